/**
 * The checkout's held status reads: the tablet asks once and the proxy answers when the invoice
 * changes, so a payment made elsewhere (the customer's wallet) reaches the screen without polling.
 */
import { expect, test, type APIRequestContext, type Page, type Request } from '@playwright/test';
import { charge, typeAmount, unlock } from './support';

test.beforeEach(async ({ page }) => unlock(page));

interface StatusRead {
  id: string;
  /** When it went out (ms). */
  at: number;
  request: Request;
}

/** Every status read the page sends (`GET /api/invoices/:id`). */
function statusReads(page: Page): StatusRead[] {
  const reads: StatusRead[] = [];
  page.on('request', (request) => {
    const id = /^\/api\/invoices\/([^/]+)$/.exec(new URL(request.url()).pathname)?.[1];
    if (id && request.method() === 'GET') reads.push({ id, at: Date.now(), request });
  });
  return reads;
}

/** The customer's wallet pays the demo invoice: another client, not the tablet. */
async function payElsewhere(page: Page, request: APIRequestContext, id: string): Promise<void> {
  const token = await page.evaluate(() => (JSON.parse(localStorage.getItem('pos-session') ?? '{}') as { state: { session: { token: string } } }).state.session.token);
  const paid = await request.post(`/api/demo/invoices/${id}/pay`, { headers: { Authorization: `Bearer ${token}` } });
  expect(paid.ok()).toBe(true);
}

test('Paid shows after a payment made elsewhere, with no second status request between the QR and Paid', async ({ page, request }) => {
  const all = statusReads(page);
  await typeAmount(page, '1250');
  const invoiceId = (await charge(page)).id;
  const qrPaintedAt = Date.now();

  // Long enough for a tablet polling each second to have asked three or four times.
  await page.waitForTimeout(3_500);
  await payElsewhere(page, request, invoiceId);
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 3_000 });
  const paidAt = Date.now();

  const reads = all.filter((r) => r.id === invoiceId);
  const between = reads.filter((r) => r.at > qrPaintedAt && r.at < paidAt);
  expect(between.length, between.map((r) => r.request.url()).join('\n')).toBeLessThanOrEqual(1);
  // The read that brought Paid was held: it went out around the QR, and answered with the payment.
  const last = reads.at(-1)!;
  expect(last.at).toBeLessThan(qrPaintedAt + 1_000);
  expect(new URL(last.request.url()).searchParams.get('wait')).toBe('25');
  expect(await (await last.request.response())?.json()).toMatchObject({ id: invoiceId, status: 'paid' });
});

test('where held reads come back at once (a proxy that cannot hold them), the checkout polls each second instead', async ({ page, request }) => {
  // A captive proxy on the way: it answers every held read at once, with what the proxy would say without waiting.
  await page.route(/\/api\/invoices\/[^/?]+\?wait=/, async (route) => {
    const url = new URL(route.request().url());
    url.search = '';
    await route.fulfill({ response: await route.fetch({ url: url.toString() }) });
  });
  const all = statusReads(page);
  await typeAmount(page, '800');
  const invoiceId = (await charge(page)).id;
  await page.waitForTimeout(4_000);

  const reads = all.filter((r) => r.id === invoiceId);
  const held = reads.filter((r) => r.request.url().includes('wait='));
  const plain = reads.filter((r) => !r.request.url().includes('wait='));
  expect(held).toHaveLength(3);
  expect(plain.length).toBeGreaterThanOrEqual(2);
  expect(plain.length).toBeLessThanOrEqual(5);
  expect(plain[0]!.at).toBeGreaterThanOrEqual(held.at(-1)!.at);
  for (let i = 1; i < plain.length; i++) expect(plain[i]!.at - plain[i - 1]!.at).toBeGreaterThan(800);

  await payElsewhere(page, request, invoiceId);
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 3_000 });
});
