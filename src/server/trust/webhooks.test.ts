/**
 * Webhooks: verified over the raw bytes in constant time, replays dropped, stale deliveries
 * refused, unknown providers 404 — and a webhook never marks anything paid by itself: the proxy
 * reads the invoice from the provider, and only the provider's answer counts.
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeBtcpay, type FakeBtcpay } from '../../../e2e/fakes/btcpay';
import { listen, type RunningFake } from '../../../e2e/fakes/common';
import { createFakeLnbits, type FakeLnbits } from '../../../e2e/fakes/lnbits';
import { createFakeStrike, type FakeStrike } from '../../../e2e/fakes/strike';
import { providerProxy, testProxy, type ProviderProxy } from '../test-support/harness';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const STRIKE_SECRET = 'strike-webhook-secret';
const BTCPAY_SECRET = 'btcpay-webhook-secret';

let lnbits: FakeLnbits;
let strike: FakeStrike;
let btcpay: FakeBtcpay;
const running: RunningFake[] = [];
const urls: Record<string, string> = {};

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  lnbits = createFakeLnbits();
  strike = createFakeStrike();
  btcpay = createFakeBtcpay({ permissions: ['btcpay.store.cancreateinvoice', 'btcpay.store.canviewinvoices'] });
  for (const [name, app] of [['lnbits', lnbits.app], ['strike', strike.app], ['btcpay', btcpay.app]] as const) {
    const server = await listen(app);
    running.push(server);
    urls[name] = server.url;
  }
});
afterEach(async () => {
  btcpay.dispose();
  await Promise.all(running.splice(0).map((s) => s.close()));
  vi.useRealTimers();
});

type Vendor = 'lnbits' | 'strike' | 'btcpay';

function proxyFor(vendor: Vendor): ProviderProxy {
  return providerProxy({
    POS_PROVIDER: vendor,
    POS_CASHIER_PIN: '1234',
    POS_MANAGER_PIN: '999999',
    POS_SESSION_SECRET: 'webhook-test-session-secret-0123456789',
    POS_PUBLIC_URL: 'https://pos.example.com',
    LNBITS_URL: urls.lnbits!,
    LNBITS_INVOICE_KEY: lnbits.invoiceKey,
    STRIKE_API_URL: urls.strike!,
    STRIKE_API_KEY: strike.apiKey,
    STRIKE_WEBHOOK_SECRET: STRIKE_SECRET,
    BTCPAY_URL: urls.btcpay!,
    BTCPAY_API_KEY: btcpay.apiKey,
    BTCPAY_STORE_ID: btcpay.storeId,
    BTCPAY_WEBHOOK_SECRET: BTCPAY_SECRET,
  });
}

/** A well-formed, correctly signed delivery for `invoiceId`, as each vendor would send it. */
function delivery(vendor: Exclude<Vendor, 'lnbits'>, invoiceId: string, id = 'evt-1', sentAt = NOW): { body: string; headers: Record<string, string> } {
  if (vendor === 'strike') {
    const body = JSON.stringify({ id, eventType: 'invoice.updated', webhookVersion: 'v1', data: { entityId: invoiceId, changes: ['state'] }, created: new Date(sentAt).toISOString() });
    return { body, headers: { 'Content-Type': 'application/json', 'X-Webhook-Signature': createHmac('sha256', STRIKE_SECRET).update(body).digest('hex') } };
  }
  const body = JSON.stringify({ deliveryId: id, webhookId: 'w1', originalDeliveryId: id, isRedelivery: false, type: 'InvoiceSettled', timestamp: Math.floor(sentAt / 1000), storeId: btcpay.storeId, invoiceId });
  return { body, headers: { 'Content-Type': 'application/json', 'BTCPay-Sig': `sha256=${createHmac('sha256', BTCPAY_SECRET).update(body).digest('hex')}` } };
}

async function newInvoice(proxy: ProviderProxy): Promise<string> {
  const res = await proxy.call('POST', '/api/invoices', { token: await proxy.login(), body: { amount: 500, currency: 'USD' } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const readsOf = (vendor: Vendor, id: string) =>
  ({ lnbits: lnbits.control, strike: strike.control, btcpay: btcpay.control })[vendor].requests.filter((r) => r.method === 'GET' && r.path.includes(id)).length;

describe('Webhooks', () => {
  it.each(['strike', 'btcpay'] as const)('%s: the signature is over the raw bytes', async (vendor) => {
    const proxy = proxyFor(vendor);
    const id = await newInvoice(proxy);
    const signed = delivery(vendor, id);
    // The same JSON, re-serialised: the bytes differ, so the signature does not match.
    const reformatted = JSON.stringify(JSON.parse(signed.body), null, 2);
    expect((await proxy.call('POST', `/api/webhooks/${vendor}`, { rawBody: reformatted, headers: signed.headers })).status).toBe(401);
    // One byte changed.
    const tampered = signed.body.replace('"evt-1"', '"evt-2"').replace(id, id.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')));
    expect((await proxy.call('POST', `/api/webhooks/${vendor}`, { rawBody: tampered, headers: signed.headers })).status).toBe(401);
    // The original bytes pass.
    expect((await proxy.call('POST', `/api/webhooks/${vendor}`, { rawBody: signed.body, headers: signed.headers })).status).toBe(204);
  });

  it.each(['strike', 'btcpay'] as const)('%s: signatures of the wrong length or alphabet are refused', async (vendor) => {
    const proxy = proxyFor(vendor);
    const signed = delivery(vendor, 'x');
    const header = vendor === 'strike' ? 'X-Webhook-Signature' : 'BTCPay-Sig';
    const good = signed.headers[header] ?? '';
    for (const bad of ['', 'sha256=', good.slice(0, -2), `${good}00`, good.replace(/[0-9a-f]/, 'g'), 'sha1=abcd']) {
      const res = await proxy.call('POST', `/api/webhooks/${vendor}`, { rawBody: signed.body, headers: { ...signed.headers, [header]: bad } });
      expect(res.status, bad).toBe(401);
      expect(res.body.error.code).toBe('invalid_signature');
    }
  });

  it.each(['strike', 'btcpay'] as const)('%s: a replayed delivery is answered but not acted on again', async (vendor) => {
    const proxy = proxyFor(vendor);
    const id = await newInvoice(proxy);
    const signed = delivery(vendor, id, 'evt-replay');
    expect((await proxy.call('POST', `/api/webhooks/${vendor}`, { rawBody: signed.body, headers: signed.headers })).status).toBe(204);
    const reads = readsOf(vendor, id);
    for (let i = 0; i < 5; i++) expect((await proxy.call('POST', `/api/webhooks/${vendor}`, { rawBody: signed.body, headers: signed.headers })).status).toBe(204);
    expect(readsOf(vendor, id)).toBe(reads);
  });

  it.each(['strike', 'btcpay'] as const)('%s: a stale delivery is refused', async (vendor) => {
    const proxy = proxyFor(vendor);
    const stale = delivery(vendor, 'x', 'evt-old', NOW - 2 * 3600_000);
    const res = await proxy.call('POST', `/api/webhooks/${vendor}`, { rawBody: stale.body, headers: stale.headers });
    expect(res.status).toBe(400);
  });

  it('unknown providers, and providers the POS does not use, get 404', async () => {
    const demo = testProxy();
    for (const name of ['demo', 'lnbits', 'strike', 'btcpay', 'paypal', '..', 'STRIKE']) {
      expect((await demo.call('POST', `/api/webhooks/${name}`, { body: {} })).status, name).toBe(404);
    }
    const proxy = proxyFor('strike');
    expect((await proxy.call('POST', '/api/webhooks/btcpay', { body: {} })).status).toBe(404);
    expect((await proxy.call('POST', '/api/webhooks/lnbits', { body: {} })).status).toBe(404);
  });

  it.each(['strike', 'btcpay'] as const)('%s: a genuine webhook for an unpaid invoice marks nothing paid', async (vendor) => {
    const proxy = proxyFor(vendor);
    const id = await newInvoice(proxy);
    const signed = delivery(vendor, id, 'evt-lie');
    expect((await proxy.call('POST', `/api/webhooks/${vendor}`, { rawBody: signed.body, headers: signed.headers })).status).toBe(204);
    // It was read again from the provider, which says: not paid.
    expect((await proxy.call('GET', `/api/invoices/${id}`, { token: await proxy.login() })).body.status).toBe('pending');
  });

  it('lnbits: a webhook with a valid token but a made-up payment marks nothing paid', async () => {
    const proxy = proxyFor('lnbits');
    const id = await newInvoice(proxy);
    const webhookUrl = new URL(JSON.parse(lnbits.control.requests.find((r) => r.method === 'POST')!.body).webhook);
    const lie = JSON.stringify(JSON.stringify({ payment_hash: id, status: 'success', paid: true, pending: false }));
    const res = await proxy.call('POST', `/api/webhooks/lnbits${webhookUrl.search}`, { rawBody: lie, headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(204);
    expect((await proxy.call('GET', `/api/invoices/${id}`, { token: await proxy.login() })).body.status).toBe('pending');
  });
});
