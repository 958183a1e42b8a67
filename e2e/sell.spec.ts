/**
 * Honest navigation: Sell during a pending checkout parks the sale — the keypad is free for the
 * next customer, the invoice stays watched in Recent sales, and a payment that comes later turns
 * it Paid there. Nothing bounces back.
 */
import { expect, test } from '@playwright/test';
import { ports } from './ports';
import { charge, PINS, typeAmount, unlock } from './support';

const api = `http://127.0.0.1:${ports.demo}/api`;

test('Sell on a pending checkout parks the sale; a late payment shows in Recent sales', async ({ page, request }) => {
  await unlock(page);
  await typeAmount(page, '1875');
  await page.getByLabel('Memo').fill('parked sale');
  const invoice = await charge(page);

  await page.getByRole('link', { name: 'Sell' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('amount')).toHaveText('$0.00');
  await expect(page.getByLabel('Memo')).toHaveValue('');
  await expect(page.getByText('Sale of $18.75 parked: it stays in Recent sales and turns Paid there if the customer pays.')).toBeVisible();
  const recent = page.getByRole('region', { name: 'Recent sales' });
  await expect(recent.getByRole('link', { name: /\$18\.75, Waiting/ })).toBeVisible();
  // It stays on the keypad (no bounce back to the checkout), and the next sale can start.
  await page.waitForTimeout(1500);
  await expect(page).toHaveURL(/\/$/);
  await typeAmount(page, '500');
  await expect(page.getByTestId('amount')).toHaveText('$5.00');

  // The customer pays the parked invoice from the QR they had scanned.
  const session = await request.post(`${api}/session`, { data: { pin: PINS.cashier } });
  const { token } = (await session.json()) as { token: string };
  expect((await request.post(`${api}/demo/invoices/${invoice.id}/pay`, { headers: { Authorization: `Bearer ${token}` } })).ok()).toBe(true);
  await expect(recent.getByRole('link', { name: /\$18\.75, Paid/ })).toBeVisible({ timeout: 15_000 });
  // The sale being typed is untouched by the parked one's payment.
  await expect(page.getByTestId('amount')).toHaveText('$5.00');

  // Tapping it shows its outcome again.
  await recent.getByRole('link', { name: /\$18\.75, Paid/ }).click();
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
});

test('Sell on the expired screen goes back to the keypad with the amount', async ({ page }) => {
  const shortExpiry = `http://127.0.0.1:${ports.shortExpiry}`;
  await unlock(page, 'cashier', shortExpiry);
  await typeAmount(page, '640');
  await charge(page);
  await expect(page.getByRole('heading', { name: 'Expired' })).toBeVisible({ timeout: 8000 });
  await page.getByRole('link', { name: 'Sell' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('amount')).toHaveText('$6.40');
});

test('the sats preview says where its rate comes from and how old it is', async ({ page }) => {
  await unlock(page);
  await typeAmount(page, '1234');
  await expect(page.getByText('≈ 12,340 sats')).toBeVisible();
  await expect(page.getByTestId('rate-note')).toHaveText(/^Rate 1 BTC = \$100,000 \(demo wallet, (just now|\d+ s ago)\)$/);
});

test('a missing rate is shown as such; the invoice still says the sats', async ({ page }) => {
  await page.route('**/api/rate', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'provider_unavailable', message: 'down' } }) }));
  await unlock(page);
  await typeAmount(page, '1234');
  await expect(page.getByTestId('rate-note')).toHaveText('No exchange rate right now: the invoice shows the sats.', { timeout: 15_000 });
  await expect(page.getByText(/≈/)).toHaveCount(0);
});
