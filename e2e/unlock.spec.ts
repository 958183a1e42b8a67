import { expect, test } from '@playwright/test';
import { PINS, shortExpiryURL, unlock } from './support';

test('a newcomer sees the demo PINs and unlocks as cashier', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/unlock\?next=%2F$/);
  await expect(page.getByText('Demo PINs: cashier 1234, manager 9999')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeDisabled();
  for (const digit of PINS.cashier) await page.getByRole('button', { name: digit, exact: true }).click();
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('amount')).toHaveText('$0.00');
  await expect(page.getByRole('link', { name: 'Sell' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'History' })).toHaveCount(0);
});

test('a wrong PIN is refused with a clear message', async ({ page }) => {
  // The short-expiry server: wrong PINs here cannot lock out the main test server's client.
  await page.goto(`${shortExpiryURL}/`);
  await page.getByLabel('PIN').fill('0000');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong PIN');
  await expect(page.getByRole('alert')).toContainText('attempts left');
  await expect(page).toHaveURL(/\/unlock/);
  await expect(page.getByLabel('PIN')).toHaveValue('');
});

test('Lock returns to the unlock screen and keeps the amount on the keypad', async ({ page }) => {
  await unlock(page);
  await page.getByRole('button', { name: '7', exact: true }).click();
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByLabel('PIN')).toBeVisible();
  await page.getByLabel('PIN').fill(PINS.cashier);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('amount')).toHaveText('$0.07');
});

test('a manager sees the History link', async ({ page }) => {
  await unlock(page, 'manager');
  await expect(page.getByRole('link', { name: 'History' })).toBeVisible();
});
