/**
 * Faults in the browser: network loss, a failing proxy, an ended session and a provider outage.
 * Each ends in a state the cashier understands, the sale is never lost, and nothing shows paid
 * until the provider says so.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { ports } from './ports';
import { charge, PINS, readInvoice, scanQr, typeAmount, unlock } from './support';

const demoApi = `http://127.0.0.1:${ports.demo}/api`;

async function payThroughApi(request: APIRequestContext, id: string) {
  const session = await request.post(`${demoApi}/session`, { data: { pin: PINS.cashier } });
  const { token } = (await session.json()) as { token: string };
  return request.post(`${demoApi}/demo/invoices/${id}/pay`, { headers: { Authorization: `Bearer ${token}` } });
}

test('offline: a banner says so, the checkout waits, and carries on when the network is back', async ({ page, context, request }) => {
  await unlock(page);
  await typeAmount(page, '880');
  const invoice = await charge(page);
  await context.setOffline(true);
  await expect(page.getByText(/^Offline\. The sale is kept/)).toBeVisible();
  // The customer pays while the tablet is offline.
  expect((await payThroughApi(request, invoice.id)).ok()).toBe(true);
  await page.waitForTimeout(2000);
  await expect(page.getByRole('heading', { name: 'Paid' })).toHaveCount(0);
  await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
  await context.setOffline(false);
  await expect(page.getByText(/^Offline\./)).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 15_000 });
});

test('polling backs off while the proxy cannot be reached, says so, and resumes', async ({ page, request }) => {
  await unlock(page);
  await typeAmount(page, '990');
  let reads = 0;
  // Every status read fails from the first, held or not (a held read sent before a route would be let through).
  const statusReads = /\/api\/invoices\/[^/?]+(\?.*)?$/;
  await page.route(statusReads, (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    reads += 1;
    return route.abort('connectionrefused');
  });
  const invoice = await charge(page);
  await expect(page.getByText('Payment status could not be checked')).toBeVisible({ timeout: 6000 });
  const before = reads;
  await page.waitForTimeout(6000);
  // About one read a second without back-off; with it, a few in 6 seconds.
  expect(reads - before).toBeLessThanOrEqual(3);
  await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
  expect((await payThroughApi(request, invoice.id)).ok()).toBe(true);
  await page.unroute(statusReads);
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 15_000 });
});

test('an ended session returns to Unlock, and unlocking returns to the same checkout', async ({ page }) => {
  await unlock(page);
  await typeAmount(page, '1230');
  const invoice = await charge(page);
  const qr = await scanQr(page);
  // The proxy no longer accepts the token (it expired, or the proxy restarted with a new secret).
  await page.evaluate(() => {
    const stored = JSON.parse(localStorage.getItem('pos-session') ?? '{}') as { state: { session: { token: string } } };
    stored.state.session.token = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiY2FzaGllciJ9.invalid';
    localStorage.setItem('pos-session', JSON.stringify(stored));
  });
  await page.reload();
  await expect(page.getByLabel('PIN')).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/unlock\\?next=%2Fcheckout%2F${invoice.id}`));
  await page.getByLabel('PIN').fill(PINS.cashier);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page).toHaveURL(new RegExp(`/checkout/${invoice.id}$`));
  expect(await scanQr(page)).toBe(qr);
  expect((await readInvoice(page, invoice.id)).status).toBe('pending');
});

test('a token that expires during the checkout locks the POS without losing the sale', async ({ page }) => {
  await unlock(page);
  await typeAmount(page, '456');
  const invoice = await charge(page);
  // Let the session's own expiry time pass.
  await page.evaluate(() => {
    const stored = JSON.parse(localStorage.getItem('pos-session') ?? '{}') as { state: { session: { expiresAt: string } } };
    stored.state.session.expiresAt = new Date(Date.now() - 1000).toISOString();
    localStorage.setItem('pos-session', JSON.stringify(stored));
  });
  await page.reload();
  await expect(page.getByLabel('PIN')).toBeVisible();
  await page.getByLabel('PIN').fill(PINS.cashier);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page).toHaveURL(new RegExp(`/checkout/${invoice.id}$`));
  await expect(page.getByTestId('checkout-amount')).toHaveText('$4.56');
});

test('a provider outage shows the cashier what is wrong, and the checkout recovers (LNbits)', async ({ page, request }) => {
  const fakeLnbits = `http://127.0.0.1:${ports.fakeLnbits}`;
  await unlock(page, 'cashier', `http://127.0.0.1:${ports.lnbitsPos}`);
  await typeAmount(page, '777');
  const invoice = await charge(page);
  await request.post(`${fakeLnbits}/__fake/fault`, { data: { mode: 'unavailable', scope: 'read', match: invoice.id } });
  try {
    await expect(page.getByText(/LNbits is having problems right now/)).toBeVisible({ timeout: 10_000 });
    await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Paid' })).toHaveCount(0);
  } finally {
    await request.post(`${fakeLnbits}/__fake/fault`, { data: { mode: 'none', match: invoice.id } });
  }
  expect((await request.post(`${fakeLnbits}/__fake/settle/${invoice.id}`)).ok()).toBe(true);
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 20_000 });
});

test('a failing Charge keeps the amount and says why (provider down)', async ({ page, request }) => {
  const fakeLnbits = `http://127.0.0.1:${ports.fakeLnbits}`;
  await unlock(page, 'cashier', `http://127.0.0.1:${ports.lnbitsPos}`);
  await typeAmount(page, '321');
  const memo = `outage-${test.info().project.name}-${Date.now()}`;
  await page.getByLabel('Memo').fill(memo);
  await request.post(`${fakeLnbits}/__fake/fault`, { data: { mode: 'error', scope: 'create', times: 1, match: memo } });
  await page.getByRole('button', { name: 'Charge' }).click();
  await expect(page.getByRole('alert')).toContainText('Could not create the invoice. LNbits is having problems right now');
  await expect(page.getByTestId('amount')).toHaveText('$3.21');
  await charge(page);
});
