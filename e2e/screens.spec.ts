/**
 * The screens a cashier and a customer see, photographed at both tablet orientations. With
 * UPDATE_SCREENSHOTS=1 the pictures are written to e2e/screenshots/ for the README.
 */
import { expect, test } from '@playwright/test';
import { charge, shortExpiryURL, tap, typeAmount, unlock } from './support';

const save = (name: string) =>
  process.env.UPDATE_SCREENSHOTS ? { path: `e2e/screenshots/${name}.png` } : {};

test('unlock, keypad, checkout, paid, expired', async ({ page }, info) => {
  const suffix = info.project.name;
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
  await page.screenshot(save(`unlock-${suffix}`));

  await unlock(page);
  await typeAmount(page, '450');
  await tap(page, 'Add item');
  await typeAmount(page, '325');
  await page.getByLabel('Memo').fill('2 flat whites');
  await expect(page.getByTestId('amount')).toHaveText('$7.75');
  await page.screenshot(save(`cashier-${suffix}`));

  await charge(page);
  await page.screenshot(save(`checkout-${suffix}`));
  await page.getByRole('button', { name: 'Simulate payment' }).click();
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
  await page.screenshot(save(`paid-${suffix}`));

  await unlock(page, 'cashier', shortExpiryURL);
  await typeAmount(page, '1200');
  await charge(page);
  await expect(page.getByRole('heading', { name: 'Expired' })).toBeVisible({ timeout: 8000 });
  await page.screenshot(save(`expired-${suffix}`));
});

test('the manager’s history', async ({ page }, info) => {
  await unlock(page, 'manager');
  for (const cents of ['450', '1275', '890']) {
    await typeAmount(page, cents);
    await charge(page);
    await page.getByRole('button', { name: 'Simulate payment' }).click();
    await page.getByRole('button', { name: 'New sale' }).click();
  }
  await page.screenshot(save(`cashier-recent-${info.project.name}`));
  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByTestId('today-total')).not.toHaveText('…');
  await page.getByRole('button', { name: 'Last 7 days' }).click();
  await expect(page.getByRole('img', { name: /Gross by day/ })).toBeVisible();
  await page.screenshot(save(`history-${info.project.name}`));
});
