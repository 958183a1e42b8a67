import { expect, test } from '@playwright/test';
import { tap, typeAmount, unlock } from './support';

test.beforeEach(async ({ page }) => unlock(page));

test('digits shift in by the currency decimals: 1 2 3 4 → $12.34', async ({ page }) => {
  const amount = page.getByTestId('amount');
  await tap(page, '1');
  await expect(amount).toHaveText('$0.01');
  await tap(page, '2', '3', '4');
  await expect(amount).toHaveText('$12.34');
  await expect(page.getByText('≈ 12,340 sats')).toBeVisible();
});

test('0 then 0 stays $0.00, Backspace and Clear', async ({ page }) => {
  const amount = page.getByTestId('amount');
  await tap(page, '0', '0');
  await expect(amount).toHaveText('$0.00');
  await typeAmount(page, '905');
  await expect(amount).toHaveText('$9.05');
  await tap(page, 'Backspace');
  await expect(amount).toHaveText('$0.90');
  await tap(page, 'Clear');
  await expect(amount).toHaveText('$0.00');
  await tap(page, 'Backspace');
  await expect(amount).toHaveText('$0.00');
});

test('Charge is disabled at zero', async ({ page }) => {
  const chargeButton = page.getByRole('button', { name: 'Charge' });
  await expect(chargeButton).toBeDisabled();
  await tap(page, '5');
  await expect(chargeButton).toBeEnabled();
  await tap(page, 'Backspace');
  await expect(chargeButton).toBeDisabled();
});

test('+ adds up a running sum', async ({ page }) => {
  await typeAmount(page, '300');
  await tap(page, 'Add item');
  await typeAmount(page, '250');
  await expect(page.getByTestId('amount')).toHaveText('$5.50');
  await expect(page.getByText('$3.00 + $2.50')).toBeVisible();
  // Backspace on an empty entry takes the last item back for editing.
  await tap(page, 'Backspace', 'Backspace', 'Backspace', 'Backspace');
  await expect(page.getByTestId('amount')).toHaveText('$3.00');
});

test('an amount over the maximum is refused with a message', async ({ page }) => {
  // $10,000.00 is 10,000,000 sats at the demo price of $100,000.
  await typeAmount(page, '1000000');
  await expect(page.getByTestId('amount')).toHaveText('$10,000.00');
  await tap(page, '1');
  await expect(page.getByTestId('amount')).toHaveText('$10,000.00');
  await expect(page.getByText('The most one sale can be is $10,000.00.')).toBeVisible();
});

test('a physical keyboard works too', async ({ page }) => {
  await page.keyboard.type('4250');
  await expect(page.getByTestId('amount')).toHaveText('$42.50');
  await page.keyboard.press('Backspace');
  await expect(page.getByTestId('amount')).toHaveText('$4.25');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('amount')).toHaveText('$0.00');
  await page.keyboard.type('199');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
  await expect(page.getByTestId('checkout-amount')).toHaveText('$1.99');
});

test('typing in the memo does not touch the amount', async ({ page }) => {
  await typeAmount(page, '12');
  await page.getByLabel('Memo').fill('Table 12');
  await expect(page.getByTestId('amount')).toHaveText('$0.12');
});

test('every key is at least 64 px, for gloves', async ({ page }) => {
  for (const name of ['0', '1', '5', '9', 'Backspace', 'Clear', 'Add item', 'Charge']) {
    const box = await page.getByRole('button', { name, exact: true }).boundingBox();
    expect(box, name).not.toBeNull();
    expect(box!.height, name).toBeGreaterThanOrEqual(64);
    expect(box!.width, name).toBeGreaterThanOrEqual(64);
  }
});
