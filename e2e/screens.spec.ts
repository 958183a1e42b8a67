/**
 * The screens a cashier and a customer see, photographed at both tablet orientations. With
 * UPDATE_SCREENSHOTS=1 the pictures are written to e2e/screenshots/ for the README.
 */
import { expect, test } from '@playwright/test';
import { ports } from './ports';
import { charge, receiptPath, shortExpiryURL, tap, typeAmount, unlock } from './support';

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

test('the customer’s tip, and their receipt on a phone', async ({ page, browser }, info) => {
  const tips = `http://127.0.0.1:${ports.tips}`;
  await unlock(page, 'cashier', tips);
  await typeAmount(page, '1234');
  await page.getByLabel('Memo').fill('2 flat whites');
  await page.getByRole('button', { name: 'Charge' }).click();
  await expect(page.getByRole('heading', { name: 'Add a tip?' })).toBeVisible();
  await page.screenshot(save(`tip-${info.project.name}`));
  await charge(page, '15%');
  await page.getByRole('button', { name: 'Simulate payment' }).click();
  await expect(page.getByRole('img', { name: 'Receipt QR code' })).toBeVisible();
  await page.screenshot(save(`paid-tip-${info.project.name}`));
  if (info.project.name !== 'portrait') return;
  const path = await receiptPath(page);
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const customer = await phone.newPage();
  await customer.goto(`${tips}${path}`);
  await expect(customer.getByRole('article', { name: 'Receipt' })).toBeVisible();
  await customer.screenshot(save('receipt-phone'));
  await phone.close();
});
