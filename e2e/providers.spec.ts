/**
 * The checkout on real providers' APIs, played by the fakes: the cashier sees the same screens
 * whatever the provider, and the customer's payment reaches the Paid screen.
 */
import { expect, test } from '@playwright/test';
import { ports } from './ports';
import { charge, scanQr, typeAmount, unlock } from './support';

const lnbitsPos = `http://127.0.0.1:${ports.lnbitsPos}`;
const strikePos = `http://127.0.0.1:${ports.strikePos}`;
const fakeLnbits = `http://127.0.0.1:${ports.fakeLnbits}`;
const fakeStrike = `http://127.0.0.1:${ports.fakeStrike}`;

test('LNbits: sell, the customer pays, Paid', async ({ page, request }) => {
  await unlock(page, 'cashier', lnbitsPos);
  await expect(page.getByText('Demo PINs')).toHaveCount(0);
  await typeAmount(page, '1234');
  await page.getByLabel('Memo').fill('LNbits sale');
  const invoice = await charge(page);
  expect(invoice.amountSats).toBe(12_340); // LNbits converted $12.34 at the fake's $100,000
  expect(await scanQr(page)).toBe(`LIGHTNING:${invoice.paymentRequest.toUpperCase()}`);
  await expect(page.getByRole('button', { name: 'Simulate payment' })).toHaveCount(0);

  // The customer's wallet pays: LNbits settles the invoice (its id is the payment hash).
  expect((await request.post(`${fakeLnbits}/__fake/settle/${invoice.id}`)).ok()).toBe(true);
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 5000 });
  await expect(page.getByText('12,340 sats received')).toBeVisible();
});

test('Strike: the QR changes by itself when the quote is renewed, then the customer pays', async ({ page, request }) => {
  await unlock(page, 'cashier', strikePos);
  await typeAmount(page, '500');
  const invoice = await charge(page);
  const first = await scanQr(page);
  expect(first).toBe(`LIGHTNING:${invoice.paymentRequest.toUpperCase()}`);
  await expect(page.getByText('This QR refreshes in')).toBeVisible();

  // Nobody touches the screen: the proxy re-quotes before the quote ends and the QR follows.
  await expect(async () => expect(await scanQr(page)).not.toBe(first)).toPass({ timeout: 15_000, intervals: [500] });
  await expect(page.getByRole('heading', { name: 'Paid' })).toHaveCount(0);

  expect((await request.post(`${fakeStrike}/__fake/pay/${invoice.id}`)).ok()).toBe(true);
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 15_000 });
});
