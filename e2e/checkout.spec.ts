import { expect, test } from '@playwright/test';
import { charge, isCreate, readInvoice, scanQr, typeAmount, unlock } from './support';

test.beforeEach(async ({ page }) => unlock(page));

test('sell $12.34: the QR holds the invoice, the customer pays, Paid', async ({ page }) => {
  await typeAmount(page, '1234');
  await page.getByLabel('Memo').fill('2 coffees');
  const invoice = await charge(page);

  expect(invoice).toMatchObject({ amount: 1234, currency: 'USD', amountSats: 12_340, memo: '2 coffees', status: 'pending' });
  expect(invoice.paymentRequest).toMatch(/^lnbcrt123400n1/);
  expect(await scanQr(page)).toBe(`LIGHTNING:${invoice.paymentRequest.toUpperCase()}`);

  await expect(page.getByTestId('checkout-amount')).toHaveText('$12.34');
  await expect(page.getByTestId('checkout-sats')).toHaveText('12,340 sats');
  await expect(page.getByTestId('checkout-memo')).toHaveText('2 coffees');
  await expect(page.getByTestId('countdown')).toHaveText(/^(10:00|9:5\d)$/);

  await page.getByRole('button', { name: 'Simulate payment' }).click();
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
  await expect(page.getByText('12,340 sats received')).toBeVisible();
  expect((await readInvoice(page, invoice.id)).status).toBe('paid');

  await page.getByRole('button', { name: 'New sale' }).click();
  await expect(page.getByTestId('amount')).toHaveText('$0.00');
  await expect(page.getByLabel('Memo')).toHaveValue('');
});

test('the QR is large enough to scan from 40 cm and has a quiet zone', async ({ page }) => {
  await typeAmount(page, '500');
  await charge(page);
  const box = await page.getByRole('img', { name: 'Payment QR code' }).boundingBox();
  expect(box!.width).toBeGreaterThanOrEqual(320);
  expect(Math.abs(box!.width - box!.height)).toBeLessThanOrEqual(1);
  // The outermost 4 modules are white on every side.
  const png = await page.getByRole('img', { name: 'Payment QR code' }).screenshot();
  const { PNG } = await import('pngjs');
  const image = PNG.sync.read(png);
  const edge = Math.floor(image.width * 0.03);
  for (let i = 0; i < image.width; i += 7) {
    for (const [x, y] of [[i, edge], [edge, i], [i, image.height - 1 - edge], [image.width - 1 - edge, i]] as const) {
      const at = (image.width * Math.min(y, image.height - 1) + Math.min(x, image.width - 1)) * 4;
      expect(image.data[at], `pixel ${x},${y}`).toBeGreaterThan(200);
    }
  }
});

test('payment is detected by polling, without touching the screen', async ({ page }) => {
  await typeAmount(page, '250');
  const invoice = await charge(page);
  // The customer's wallet pays: here, another client settles the demo invoice through the API.
  await page.evaluate(async (id) => {
    const stored = JSON.parse(localStorage.getItem('pos-session') ?? '{}') as { state: { session: { token: string } } };
    await fetch(`/api/demo/invoices/${id}/pay`, { method: 'POST', headers: { Authorization: `Bearer ${stored.state.session.token}` } });
  }, invoice.id);
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 3000 });
});

test('Copy invoice puts the BOLT11 on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await typeAmount(page, '100');
  const invoice = await charge(page);
  await page.getByRole('button', { name: 'Copy invoice' }).click();
  await expect(page.getByText('Invoice copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(invoice.paymentRequest);
});

test('Cancel cancels the invoice and returns to the keypad with the amount', async ({ page }) => {
  await typeAmount(page, '777');
  const invoice = await charge(page);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('amount')).toHaveText('$7.77');
  expect((await readInvoice(page, invoice.id)).status).toBe('cancelled');
});

test('a reload mid-checkout returns to the same invoice', async ({ page }) => {
  await typeAmount(page, '4200');
  const invoice = await charge(page);
  const before = await scanQr(page);
  await page.reload();
  await expect(page).toHaveURL(new RegExp(`/checkout/${invoice.id}$`));
  await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
  expect(await scanQr(page)).toBe(before);
  // Even from the start page, the open sale leads back to its checkout.
  await page.goto('/');
  await expect(page).toHaveURL(new RegExp(`/checkout/${invoice.id}$`));
  await page.getByRole('button', { name: 'Simulate payment' }).click();
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible();
});

test('a double tap on Charge makes one invoice', async ({ page }) => {
  await typeAmount(page, '999');
  const creates: string[] = [];
  page.on('response', (response) => {
    if (isCreate(response)) creates.push(response.request().headers()['idempotency-key'] ?? '');
  });
  await page.getByRole('button', { name: 'Charge' }).evaluate((button: HTMLButtonElement) => {
    button.click();
    button.click();
  });
  await page.getByRole('button', { name: 'Charge' }).dblclick({ force: true, timeout: 1000 }).catch(() => {});
  await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
  await page.waitForTimeout(300);
  expect(creates).toHaveLength(1);
});

test('a failed Charge keeps the sale; the retry reuses the key and makes no second invoice', async ({ page }) => {
  await typeAmount(page, '1500');
  const keys: string[] = [];
  // The first request reaches the proxy, but its answer never comes back to the tablet.
  await page.route('**/api/invoices', async (route) => {
    keys.push(route.request().headers()['idempotency-key'] ?? '');
    if (keys.length === 1) {
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await page.getByRole('button', { name: 'Charge' }).click();
  await expect(page.getByRole('alert')).toContainText('Could not create the invoice');
  await expect(page.getByRole('alert')).toContainText('Cannot reach the POS server');

  // Even after a reload the sale is still on the keypad, and nothing was sent by itself.
  await page.reload();
  await expect(page.getByTestId('amount')).toHaveText('$15.00');
  expect(keys).toHaveLength(1);

  const retry = page.waitForResponse(isCreate);
  await page.getByRole('button', { name: 'Charge' }).click();
  const response = await retry;
  expect(response.status()).toBe(200); // the proxy already had it: the same invoice, nothing new
  const invoice = (await response.json()) as { id: string; amount: number };
  await expect(page).toHaveURL(new RegExp(`/checkout/${invoice.id}$`));
  expect(invoice.amount).toBe(1500);
  expect(keys).toEqual([keys[0], keys[0]]);
});

test('a tab that dies mid-Charge resumes the same charge when it comes back', async ({ page }) => {
  await typeAmount(page, '2500');
  const keys: string[] = [];
  let reachedProxy: () => void = () => {};
  const firstReachedProxy = new Promise<void>((resolve) => (reachedProxy = resolve));
  await page.route('**/api/invoices', async (route) => {
    keys.push(route.request().headers()['idempotency-key'] ?? '');
    if (keys.length > 1) return route.continue();
    await route.fetch(); // the proxy makes the invoice; the tab never hears back
    reachedProxy();
  });
  await page.getByRole('button', { name: 'Charge' }).click();
  await firstReachedProxy;

  const resumed = page.waitForResponse(isCreate);
  await page.reload();
  const response = await resumed;
  expect(response.status()).toBe(200);
  const invoice = (await response.json()) as { id: string; amount: number };
  await expect(page).toHaveURL(new RegExp(`/checkout/${invoice.id}$`));
  await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
  expect(invoice.amount).toBe(2500);
  expect(keys).toEqual([keys[0], keys[0]]);
});
