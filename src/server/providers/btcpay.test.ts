/**
 * The real proxy against the fake BTCPay Server (e2e/fakes/btcpay.ts) on loopback: every path of
 * the adapter through the API, on 2.x and 1.x servers, with a least-privilege key, and with every
 * request and answer checked against BTCPay's OpenAPI fragments by the fake.
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeBtcpay, type FakeBtcpay, type FakeBtcpayOptions } from '../../../e2e/fakes/btcpay';
import { listen, type RunningFake } from '../../../e2e/fakes/common';
import { decodePaymentRequest } from '../bolt11';
import { cashier, loopbackForProxy, providerProxy, type ProviderProxy } from '../test-support/harness';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const WEBHOOK_SECRET = 'btcpay-webhook-secret-42';
const LEAST_PRIVILEGE = ['btcpay.store.cancreateinvoice', 'btcpay.store.canviewinvoices'];

let fake: FakeBtcpay;
let server: RunningFake;

async function startFake(options: FakeBtcpayOptions = {}) {
  fake = createFakeBtcpay({ permissions: LEAST_PRIVILEGE, ...options });
  server = await listen(fake.app);
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: T0 });
  await startFake();
});
afterEach(async () => {
  // Whatever a test did, the proxy never sent BTCPay anything off its OpenAPI contract.
  expect(fake.schemaViolations()).toEqual([]);
  fake.dispose();
  await server.close();
  vi.useRealTimers();
});

function btcpayProxy(env: Record<string, string> = {}, timeoutMs?: number): ProviderProxy {
  return providerProxy(
    {
      POS_PROVIDER: 'btcpay',
      POS_CASHIER_PIN: '1234',
      POS_MANAGER_PIN: '999999',
      POS_SESSION_SECRET: 'btcpay-test-session-secret-0123456789',
      BTCPAY_URL: server.url,
      BTCPAY_API_KEY: fake.apiKey,
      BTCPAY_STORE_ID: fake.storeId,
      BTCPAY_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ...env,
    },
    timeoutMs ? { timeoutMs } : {},
  );
}

const creates = () => fake.control.requests.filter((r) => r.method === 'POST' && /\/invoices$/.test(r.path));

describe('BTCPay: create → pending → paid', () => {
  it('makes a Lightning-only invoice with the sale in its metadata and reads it paid', async () => {
    const proxy = btcpayProxy();
    const { create, read } = await cashier(proxy);
    const created = await create({ amount: 1234, currency: 'USD', memo: '2 coffees', tip: 100 }, 'sale-9');
    expect(created.status).toBe(201);
    const [request] = creates();
    expect(request!.headers.authorization).toBe(`token ${fake.apiKey}`);
    expect(JSON.parse(request!.body)).toMatchObject({
      amount: '13.34',
      currency: 'USD',
      metadata: { orderId: 'sale-9', itemDesc: '2 coffees' },
      checkout: { paymentMethods: ['BTC-LightningNetwork'], expirationMinutes: 10 },
    });
    expect(created.body).toMatchObject({ status: 'pending', amount: 1234, tip: 100, currency: 'USD', memo: '2 coffees', amountSats: 13_340 });
    const bolt11 = decodePaymentRequest(created.body.paymentRequest);
    expect(Number(bolt11.amountMsat)).toBe(13_340_000);

    vi.setSystemTime(T0 + 5_000);
    await fake.pay(created.body.id);
    vi.setSystemTime(T0 + 7_000);
    const paid = await read(created.body.id);
    expect(paid.body).toMatchObject({ status: 'paid', amount: 1234, tip: 100 });
    expect(paid.body.paidAt).toBe(new Date(T0 + 5_000).toISOString());
  });

  it('invoices SAT sales in SATS', async () => {
    const proxy = btcpayProxy();
    const { create } = await cashier(proxy);
    const created = await create({ amount: 21_000, currency: 'SAT' });
    expect(JSON.parse(creates()[0]!.body)).toMatchObject({ amount: '21000', currency: 'SATS' });
    expect(created.body).toMatchObject({ amount: 21_000, currency: 'SAT', amountSats: 21_000 });
  });

  it('works with a 1.x server (legacy payment method names and shapes)', async () => {
    fake.dispose();
    await server.close();
    await startFake({ version: 'v1' });
    const proxy = btcpayProxy();
    const { create, read } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    expect(created.status).toBe(201);
    expect(created.body.amountSats).toBe(5_000);
    await fake.pay(created.body.id);
    vi.setSystemTime(T0 + 2_000);
    expect((await read(created.body.id)).body.status).toBe('paid');
  });

  it('reads expired when BTCPay expires the invoice', async () => {
    const proxy = btcpayProxy();
    const { create, read } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    await fake.expire(created.body.id);
    vi.setSystemTime(T0 + 2_000);
    expect((await read(created.body.id)).body.status).toBe('expired');
  });

  it('quotes a rate even with a key that may not read store rates', async () => {
    const proxy = btcpayProxy();
    const { create, token } = await cashier(proxy);
    await create({ amount: 500, currency: 'USD' }); // BTCPay applied its rate to this invoice
    const res = await proxy.call('GET', '/api/rate', { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ currency: 'USD', btcPrice: 100_000, satsPerUnit: 1000, source: 'btcpay' });
  });

  it('makes invoices before any rate is known, and still holds the 10,000,000-sat limit', async () => {
    const proxy = btcpayProxy();
    const { create } = await cashier(proxy);
    const over = await create({ amount: 1_000_001, currency: 'USD' }); // $10,000.01
    expect(over.status).toBe(400);
    expect(over.body.error.details).toHaveProperty('amount');
    const ok = await create({ amount: 1_000_000, currency: 'USD' });
    expect(ok.status).toBe(201);
    expect(ok.body.amountSats).toBe(10_000_000);
  });
});

describe('BTCPay: cancel', () => {
  it('marks the invoice Invalid when the key may', async () => {
    fake.dispose();
    await server.close();
    await startFake({ permissions: [...LEAST_PRIVILEGE, 'btcpay.store.canmodifyinvoices'] });
    const proxy = btcpayProxy();
    const { create, cancel } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    const res = await cancel(created.body.id);
    expect(res.body.status).toBe('cancelled');
    expect(fake.invoices()[0]!.status).toBe('Invalid');
  });

  it('remembers the cancel itself with a least-privilege key', async () => {
    const proxy = btcpayProxy();
    const { create, cancel, read } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    const res = await cancel(created.body.id);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect(fake.invoices()[0]!.status).toBe('New');
    vi.setSystemTime(T0 + 2_000);
    expect((await read(created.body.id)).body.status).toBe('cancelled');
  });

  it('refuses to cancel a paid invoice (409)', async () => {
    const proxy = btcpayProxy();
    const { create, cancel } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    await fake.pay(created.body.id);
    expect((await cancel(created.body.id)).status).toBe(409);
  });
});

describe('BTCPay: faults', () => {
  it.each([
    ['error', 503, 'provider_unavailable'],
    ['unavailable', 503, 'provider_unavailable'],
    ['rate-limited', 503, 'provider_unavailable'],
    ['garbage', 502, 'provider_error'],
  ] as const)('%s from BTCPay → %i %s', async (mode, status, code) => {
    const proxy = btcpayProxy();
    const { create } = await cashier(proxy);
    fake.control.setFault({ mode, scope: 'create', times: 1 });
    const res = await create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(/BTCPay/);
    expect(res.text).not.toContain(fake.apiKey);
  });

  it('a key that may not create invoices → 502 saying to check the key', async () => {
    fake.dispose();
    await server.close();
    await startFake({ permissions: ['btcpay.store.canviewinvoices'] });
    const proxy = btcpayProxy();
    const res = await (await cashier(proxy)).create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/key/);
  });

  it('a provider that does not answer → 504 provider_timeout', async () => {
    const proxy = btcpayProxy({}, 300);
    const { create } = await cashier(proxy);
    fake.control.setFault({ mode: 'hang', scope: 'create' });
    const res = await create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('provider_timeout');
  });
});

describe('BTCPay: a lost response', () => {
  it('finds the invoice by orderId instead of making a second', async () => {
    const proxy = btcpayProxy();
    const { create } = await cashier(proxy);
    fake.control.setFault({ mode: 'drop', scope: 'create', times: 1 });
    const res = await create({ amount: 900, currency: 'USD' }, 'lost-btcpay-1');
    expect(res.status).toBe(201);
    expect(fake.invoices()).toHaveLength(1);
    expect(res.body.id).toBe(fake.invoices()[0]!.id);
    const lookup = fake.control.requests.find((r) => r.method === 'GET' && /\/invoices$/.test(r.path) && r.query.orderId);
    expect(lookup?.query.orderId).toEqual(['lost-btcpay-1']);
  });
});

describe('BTCPay: webhooks', () => {
  it('a signed delivery makes the proxy read the invoice at once; a redelivery is not read again', async () => {
    const endpoint = await loopbackForProxy();
    try {
      // The store owner registers the webhook (the POS's own key needs no such permission).
      fake.dispose();
      await server.close();
      await startFake({ permissions: [...LEAST_PRIVILEGE, 'btcpay.store.webhooks.canmodifywebhooks'] });
      const proxy = btcpayProxy({ POS_PUBLIC_URL: endpoint.url });
      endpoint.attach(proxy.app);
      const registered = await fake.app.request(`/api/v1/stores/${fake.storeId}/webhooks`, {
        method: 'POST',
        headers: { Authorization: `token ${fake.apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ url: `${endpoint.url}/api/webhooks/btcpay`, enabled: true, automaticRedelivery: false, secret: WEBHOOK_SECRET, authorizedEvents: { everything: true } }),
      });
      expect(registered.status).toBe(200);
      const { create, read } = await cashier(proxy);
      const created = await create({ amount: 500, currency: 'USD' });
      await read(created.body.id);
      const readsOf = () => fake.control.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/invoices/${created.body.id}`)).length;
      const before = readsOf();
      await fake.pay(created.body.id);
      await fake.flush();
      expect(fake.deliveries().length).toBeGreaterThan(0);
      expect(fake.deliveries().every((d) => d.httpCode === 204)).toBe(true);
      expect(readsOf()).toBeGreaterThan(before);
      expect((await read(created.body.id)).body.status).toBe('paid');
      const afterPay = readsOf();
      await fake.redeliverLast();
      await fake.flush();
      expect(fake.deliveries().at(-1)?.httpCode).toBe(204);
      expect(readsOf()).toBe(afterPay);
    } finally {
      await endpoint.close();
    }
  });

  it('refuses a bad signature (401), and a stale delivery', async () => {
    const proxy = btcpayProxy();
    const delivery = (timestamp: number) =>
      JSON.stringify({ deliveryId: `d-${timestamp}`, webhookId: 'w', originalDeliveryId: `d-${timestamp}`, isRedelivery: false, type: 'InvoiceSettled', timestamp, storeId: fake.storeId, invoiceId: 'abc' });
    const sign = (body: string, secret = WEBHOOK_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const body = delivery(Math.floor(T0 / 1000));
    for (const header of [undefined, 'sha256=00', sign(body, 'another-secret'), sign(body).replace('sha256=', 'sha1='), sign(body.replace('abc', 'abd'))]) {
      const res = await proxy.call('POST', '/api/webhooks/btcpay', { rawBody: body, headers: { 'Content-Type': 'application/json', ...(header ? { 'BTCPay-Sig': header } : {}) } });
      expect(res.status, String(header)).toBe(401);
      expect(res.body.error.code).toBe('invalid_signature');
    }
    const stale = delivery(Math.floor(T0 / 1000) - 7200);
    expect((await proxy.call('POST', '/api/webhooks/btcpay', { rawBody: stale, headers: { 'Content-Type': 'application/json', 'BTCPay-Sig': sign(stale) } })).status).toBe(400);
  });
});

describe('BTCPay: lists', () => {
  it('lists the store’s invoices newest first, with totals the proxy counts itself', async () => {
    const proxy = btcpayProxy();
    const { create } = await cashier(proxy);
    for (let i = 0; i < 3; i++) {
      vi.setSystemTime(T0 + i * 60_000);
      await create({ amount: 100 + i, currency: 'USD' });
    }
    await fake.pay(fake.invoices()[1]!.id);
    const all = await proxy.provider.listInvoices({ limit: 2, offset: 0 });
    expect(all.total).toBe(3);
    expect(all.data.map((i) => i.amount)).toEqual([102, 101]);
    const paid = await proxy.provider.listInvoices({ status: 'paid', limit: 10, offset: 0 });
    expect(paid.data.map((i) => i.amount)).toEqual([101]);
  });
});
