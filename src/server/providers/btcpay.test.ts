/**
 * What only BTCPay Server does, against the fake BTCPay in the release and store set-up each case
 * names (e2e/fakes/btcpay/versions.ts), with every request the POS sends checked against BTCPay's
 * OpenAPI fragments. What every provider does is the provider contract (contract.test.ts), which
 * runs BTCPay 1.10, 2.0 with a least-privilege key, and 2.4 with lazy payment methods.
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeBtcpay, type FakeBtcpay, type FakeBtcpayOptions } from '../../../e2e/fakes/btcpay';
import { listen, type RunningFake } from '../../../e2e/fakes/common';
import { cashier, providerProxy, type ProviderProxy } from '../test-support/harness';
import { BTCPAY_WEBHOOK_SECRET, btcpayEnv } from '../test-support/modes';
import { ProviderVersionError } from './provider';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const LEAST_PRIVILEGE = ['btcpay.store.cancreateinvoice', 'btcpay.store.canviewinvoices'];

let fake: FakeBtcpay;
let server: RunningFake;

async function startFake(options: FakeBtcpayOptions = {}) {
  if (server) {
    fake.dispose();
    await server.close();
  }
  fake = createFakeBtcpay({ permissions: LEAST_PRIVILEGE, ...options });
  server = await listen(fake.app);
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: T0 });
  await startFake();
});
afterEach(async () => {
  // Whatever a test did, the proxy never sent BTCPay anything off its OpenAPI description.
  expect(fake.schemaViolations()).toEqual([]);
  fake.dispose();
  await server.close();
  vi.useRealTimers();
});

function btcpayProxy(env: Record<string, string> = {}): ProviderProxy {
  return providerProxy({ ...btcpayEnv(fake, server.url), ...env });
}

const paymentMethodReads = () => fake.control.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/payment-methods'));

describe('BTCPay: what the POS sends', () => {
  it('a Lightning-only invoice under the legacy id every release takes, the sale in its metadata', async () => {
    const { create } = await cashier(btcpayProxy());
    await create({ amount: 1234, currency: 'USD', memo: '2 coffees', tip: 100 }, 'sale-9');
    await create({ amount: 21_000, currency: 'SAT' });
    const [fiat, sats] = fake.control.requests.filter((r) => r.method === 'POST' && /\/invoices$/.test(r.path));
    expect(fiat!.headers.authorization).toBe(`token ${fake.apiKey}`);
    expect(JSON.parse(fiat!.body)).toMatchObject({
      amount: '13.34',
      currency: 'USD',
      metadata: { orderId: 'sale-9', itemDesc: '2 coffees', pos: { reference: 'sale-9', amount: 1234, tip: 100, currency: 'USD' } },
      checkout: { paymentMethods: ['BTC-LightningNetwork'], expirationMinutes: 10 },
    });
    expect(JSON.parse(sats!.body)).toMatchObject({ amount: '21000', currency: 'SATS' });
  });

  it('reports ask for archived invoices too and never filter by status (case-sensitive before 1.11.2)', async () => {
    const proxy = btcpayProxy();
    await (await cashier(proxy)).create({ amount: 500, currency: 'USD' });
    for (const status of ['paid', 'expired', 'cancelled', 'pending']) await proxy.call('GET', `/api/payments?status=${status}`, { token: await proxy.login('manager') });
    const lists = fake.control.requests.filter((r) => r.method === 'GET' && /\/invoices$/.test(r.path) && r.query.skip);
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) {
      expect(list.query.includeArchived).toEqual(['true']);
      expect(list.query.status).toBeUndefined();
    }
  });
});

describe('BTCPay: releases and stores', () => {
  it('refuses a release before 1.4.0 at start-up with one line naming the minimum', async () => {
    await startFake({ version: '1.3.0' });
    const refused = await btcpayProxy().ready.then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ProviderVersionError);
    expect((refused as Error).message).toBe(
      'BTCPay Server 1.4.0 or later is required: the server at BTCPAY_URL is 1.3.0. Upgrade BTCPay Server, or use another provider.',
    );
  });

  it('a store the key cannot see answers 403: the message names the store id, not only the key', async () => {
    const res = await (await cashier(btcpayProxy({ BTCPAY_STORE_ID: 'AnotherStoreIdOf20Chars' }))).create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/BTCPAY_STORE_ID/);
  });

  it('a sale the manager archived in BTCPay still counts', async () => {
    const proxy = btcpayProxy();
    const { create } = await cashier(proxy);
    const sale = (await create({ amount: 800, currency: 'USD' })).body.id as string;
    await fake.pay(sale);
    fake.archive(sale);
    vi.setSystemTime(T0 + 60_000);
    const history = await proxy.call('GET', '/api/history', { token: await proxy.login('manager') });
    expect(history.body.data).toEqual([expect.objectContaining({ date: '2026-11-22', count: 1, amount: 800 })]);
  });

  it('money that arrives after the expiry (Expired + PaidLate) is a sale, dated when it arrived', async () => {
    const proxy = btcpayProxy();
    const { create, read } = await cashier(proxy);
    const sale = (await create({ amount: 400, currency: 'USD' })).body.id as string;
    vi.setSystemTime(T0 + 601_000);
    expect((await read(sale)).body.status).toBe('expired');
    vi.setSystemTime(T0 + 605_000);
    await fake.pay(sale);
    expect(fake.invoices()[0]).toMatchObject({ status: 'Expired', additionalStatus: 'PaidLate' });
    vi.setSystemTime(T0 + 620_000);
    expect((await read(sale)).body).toMatchObject({ status: 'paid', paidAt: new Date(T0 + 605_000).toISOString() });
  });
});

describe('BTCPay: reading payment methods (inlined only from 2.3.6 in lists, 2.4.1 in single reads)', () => {
  it('a few requests in flight at most, and what never changes read once', async () => {
    await startFake({ version: '2.0.0', permissions: [...LEAST_PRIVILEGE, 'btcpay.store.canmodifyinvoices'] });
    const proxy = btcpayProxy();
    const { create, cancel } = await cashier(proxy);
    for (let i = 0; i < 24; i++) {
      const id = (await create({ amount: 100 + i, currency: 'USD' })).body.id as string;
      if (i % 3 === 0) await fake.pay(id);
      if (i % 3 === 1) await cancel(id);
    }
    fake.control.resetLog();
    fake.control.setFault({ mode: 'slow', delayMs: 20, scope: 'read' });
    vi.setSystemTime(T0 + 7200_000); // every BOLT11 long expired
    const manager = await proxy.login('manager');
    expect((await proxy.call('GET', '/api/payments?limit=100', { token: manager })).body.total).toBe(24);
    const reads = paymentMethodReads();
    expect(reads.length).toBeGreaterThan(0);
    let inFlight = 0;
    for (const read of reads) {
      const overlapping = reads.filter((other) => other.at < (read.endedAt ?? Infinity) && (other.endedAt ?? Infinity) > read.at).length;
      inFlight = Math.max(inFlight, overlapping);
    }
    expect(inFlight).toBeLessThanOrEqual(4);
    // Nothing about these sales can change any more: the next report reads no payment methods.
    fake.control.resetLog();
    vi.setSystemTime(T0 + 7300_000);
    expect((await proxy.call('GET', '/api/cashup?date=2026-11-22', { token: manager })).body.totals.paid.count).toBe(8);
    expect(paymentMethodReads()).toEqual([]);
  });
});

describe('BTCPay: webhook signatures', () => {
  it('sha256=<hex> of the raw bytes; another secret, another prefix or a changed byte is refused; stale is refused', async () => {
    const proxy = btcpayProxy();
    const delivery = (timestamp: number) =>
      JSON.stringify({ deliveryId: `d-${timestamp}`, webhookId: 'w', originalDeliveryId: `d-${timestamp}`, isRedelivery: false, type: 'InvoiceSettled', timestamp, storeId: fake.storeId, invoiceId: 'abc' });
    const sign = (body: string, secret = BTCPAY_WEBHOOK_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const post = (body: string, header?: string) =>
      proxy.call('POST', '/api/webhooks/btcpay', { rawBody: body, headers: { 'Content-Type': 'application/json', ...(header ? { 'BTCPay-Sig': header } : {}) } });
    const body = delivery(Math.floor(T0 / 1000));
    for (const header of [undefined, 'sha256=00', sign(body, 'another-secret'), sign(body).replace('sha256=', 'sha1='), sign(body.replace('abc', 'abd'))]) {
      expect((await post(body, header)).status, String(header)).toBe(401);
    }
    expect((await post(body, sign(body))).status).toBe(204);
    const stale = delivery(Math.floor(T0 / 1000) - 7200);
    expect((await post(stale, sign(stale))).status).toBe(400);
  });
});
