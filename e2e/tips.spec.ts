/**
 * The customer's tip (a store with POS_TIPS on): presets, a custom amount and No tip, each with the
 * total it makes; the tip then shows on the checkout, the Paid screen, Recent sales and History.
 */
import { expect, test, type Page } from '@playwright/test';
import { ports } from './ports';
import { charge, readInvoice, tap, typeAmount, unlock } from './support';

const tipsURL = `http://127.0.0.1:${ports.tips}`;

async function toTipScreen(page: Page, cents: string, role: 'cashier' | 'manager' = 'cashier') {
  await unlock(page, role, tipsURL);
  await typeAmount(page, cents);
  await page.getByRole('button', { name: 'Charge' }).click();
  await expect(page.getByRole('heading', { name: 'Add a tip?' })).toBeVisible();
}

test('presets show the tip and the total; 15 % makes the invoice for amount + tip', async ({ page }) => {
  await toTipScreen(page, '1234');
  await expect(page.getByTestId('tip-amount')).toHaveText('$12.34');
  const tips = page.getByRole('group', { name: 'Tip' });
  await expect(tips.getByRole('button', { name: '10% +$1.23 Total $13.57' })).toBeVisible();
  await expect(tips.getByRole('button', { name: '15% +$1.85 Total $14.19' })).toBeVisible();
  await expect(tips.getByRole('button', { name: '20% +$2.47 Total $14.81' })).toBeVisible();
  await expect(tips.getByRole('button', { name: 'No tip Total $12.34' })).toBeVisible();
  for (const button of await tips.getByRole('button').all()) {
    const box = (await button.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(64);
  }

  const invoice = await charge(page, '15% +$1.85 Total $14.19');
  expect(invoice).toMatchObject({ amount: 1234, tip: 185, currency: 'USD', amountSats: 14_190 });
  await expect(page.getByTestId('checkout-amount')).toHaveText('$14.19');
  await expect(page.getByText('Includes tip $1.85')).toBeVisible();

  await page.getByRole('button', { name: 'Simulate payment' }).click();
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
  await expect(page.getByTestId('paid-total')).toHaveText('$14.19');
  await expect(page.getByTestId('paid-tip')).toHaveText('$12.34 + tip $1.85');
  await page.getByRole('button', { name: 'New sale' }).click();
  await expect(page.getByRole('region', { name: 'Recent sales' }).getByRole('link', { name: /\$14\.19, Paid, tip \$1\.85/ })).toBeVisible();
});

test('a custom tip typed on the keypad', async ({ page }) => {
  await toTipScreen(page, '2000');
  await page.getByRole('button', { name: /^Custom tip/ }).click();
  await expect(page.getByRole('button', { name: 'Add tip' })).toBeDisabled();
  await tap(page, '3', '5', '0');
  await expect(page.getByTestId('custom-tip')).toHaveText('$3.50');
  await expect(page.getByText('Total $23.50')).toBeVisible();
  const invoice = await charge(page, 'Add tip');
  expect(invoice).toMatchObject({ amount: 2000, tip: 350 });
  expect((await readInvoice(page, invoice.id)).tip).toBe(350);
  await expect(page.getByTestId('checkout-amount')).toHaveText('$23.50');
});

test('No tip charges the amount alone; Back to keypad keeps it', async ({ page }) => {
  await toTipScreen(page, '999');
  await page.getByRole('button', { name: 'Back to keypad' }).click();
  await expect(page.getByTestId('amount')).toHaveText('$9.99');
  await page.getByRole('button', { name: 'Charge' }).click();
  const invoice = await charge(page, 'No tip Total $9.99');
  expect(invoice).toMatchObject({ amount: 999, tip: 0 });
  await expect(page.getByText(/Includes tip/)).toHaveCount(0);
});

test('a double tap on a tip makes one invoice', async ({ page }) => {
  await toTipScreen(page, '450');
  const keys: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/invoices') && request.method() === 'POST') keys.push(request.headers()['idempotency-key'] ?? '');
  });
  await page.getByRole('button', { name: /^10%/ }).evaluate((button: HTMLButtonElement) => {
    button.click();
    button.click();
  });
  await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
  await page.waitForTimeout(300);
  expect(keys).toHaveLength(1);
});

test('the tip shows in History: payments, the invoice and the cash-up', async ({ page }) => {
  await toTipScreen(page, '1000', 'manager');
  const invoice = await charge(page, '20% +$2.00 Total $12.00');
  await page.getByRole('button', { name: 'Simulate payment' }).click();
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
  await page.getByRole('button', { name: 'New sale' }).click();
  await page.getByRole('link', { name: 'History' }).click();

  const payments = page.getByRole('region', { name: 'Payments' });
  const row = payments.getByRole('row').filter({ hasText: '$12.00' }).first();
  await expect(row.getByRole('cell', { name: '$2.00' })).toBeVisible();
  await row.getByRole('button').click();
  const dialog = page.getByRole('dialog', { name: 'Invoice $12.00' });
  await expect(dialog.getByText('Tip', { exact: true })).toBeVisible();
  await expect(dialog.getByText('$2.00', { exact: true })).toBeVisible();
  await expect(dialog.getByText(invoice.id)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();

  const cashup = page.getByRole('region', { name: 'Cash-up' });
  await expect(cashup.getByRole('columnheader', { name: 'Tip', exact: true })).toBeVisible();
  await expect(cashup.getByRole('row').filter({ hasText: '$12.00' }).first().getByRole('cell', { name: '$2.00' })).toBeVisible();
});
