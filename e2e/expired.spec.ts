import { expect, test } from '@playwright/test';
import { charge, readInvoice, shortExpiryURL, typeAmount, unlock } from './support';

// This server issues invoices that expire after 4 seconds.
test.beforeEach(async ({ page }) => unlock(page, 'cashier', shortExpiryURL));

test('an unpaid invoice expires; New invoice charges the same amount again', async ({ page }) => {
  await typeAmount(page, '650');
  await page.getByLabel('Memo').fill('Cake');
  const first = await charge(page);
  await expect(page.getByRole('heading', { name: 'Expired' })).toBeVisible({ timeout: 8000 });
  await expect(page.getByText('expired before it was paid')).toBeVisible();
  expect((await readInvoice(page, first.id)).status).toBe('expired');

  // A late payment could still arrive for the first invoice: the cashier is warned first.
  await expect(page.getByText('Still watching for a late payment…')).toBeVisible();
  await page.getByRole('button', { name: 'New invoice' }).click();
  await expect(page.getByRole('dialog', { name: 'The customer may already have paid' })).toBeVisible();
  const second = await charge(page, 'Make a new invoice');
  expect(second.id).not.toBe(first.id);
  expect(second).toMatchObject({ amount: 650, memo: 'Cake', status: 'pending' });
  await page.getByRole('button', { name: 'Simulate payment' }).click();
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
});

test('an expired invoice cannot be paid any more', async ({ page }) => {
  await typeAmount(page, '100');
  const invoice = await charge(page);
  await expect(page.getByRole('heading', { name: 'Expired' })).toBeVisible({ timeout: 8000 });
  const status = await page.evaluate(async (id) => {
    const stored = JSON.parse(localStorage.getItem('pos-session') ?? '{}') as { state: { session: { token: string } } };
    const response = await fetch(`/api/demo/invoices/${id}/pay`, { method: 'POST', headers: { Authorization: `Bearer ${stored.state.session.token}` } });
    return response.status;
  }, invoice.id);
  expect(status).toBe(409);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Expired' })).toBeVisible();
});

test('Back to keypad keeps the amount to change it', async ({ page }) => {
  await typeAmount(page, '321');
  await charge(page);
  await expect(page.getByRole('heading', { name: 'Expired' })).toBeVisible({ timeout: 8000 });
  await page.getByRole('button', { name: 'Back to keypad' }).click();
  await expect(page.getByTestId('amount')).toHaveText('$3.21');
});
