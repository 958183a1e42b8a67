/**
 * Money safety, on every provider: the amount limit holds, sats are rounded up and equal the
 * BOLT11's own amount, a paid invoice cannot be cancelled, and an invoice past its expiry is never
 * shown paid unless the provider says so.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeBtcpay } from '../../../e2e/fakes/btcpay';
import { listen, type RunningFake } from '../../../e2e/fakes/common';
import { createFakeLnbits } from '../../../e2e/fakes/lnbits';
import { createFakeStrike } from '../../../e2e/fakes/strike';
import { amountSatsOf, decodePaymentRequest } from '../bolt11';
import { InvoiceReads } from '../reads';
import { MemoryStore } from '../store';
import { providerProxy, stubProvider, testProxy, type ProviderProxy } from '../test-support/harness';

const lnbits = createFakeLnbits();
const strike = createFakeStrike();
const btcpay = createFakeBtcpay({ permissions: ['btcpay.store.cancreateinvoice', 'btcpay.store.canviewinvoices'] });
const servers: RunningFake[] = [];
const proxies: Record<string, ProviderProxy> = {};

beforeAll(async () => {
  const [l, s, b] = await Promise.all([listen(lnbits.app), listen(strike.app), listen(btcpay.app)]);
  servers.push(l, s, b);
  const real = { POS_CASHIER_PIN: '1234', POS_MANAGER_PIN: '999999', POS_SESSION_SECRET: 'money-test-session-secret-0123456789', POS_CREATE_LIMIT: '100000' };
  proxies.demo = testProxy({ POS_CREATE_LIMIT: '100000', DEMO_BTC_PRICE: '97123.45' });
  proxies.lnbits = providerProxy({ ...real, POS_PROVIDER: 'lnbits', LNBITS_URL: l.url, LNBITS_INVOICE_KEY: lnbits.invoiceKey });
  proxies.strike = providerProxy({ ...real, POS_PROVIDER: 'strike', STRIKE_API_URL: s.url, STRIKE_API_KEY: strike.apiKey });
  proxies.btcpay = providerProxy({ ...real, POS_PROVIDER: 'btcpay', BTCPAY_URL: b.url, BTCPAY_API_KEY: btcpay.apiKey, BTCPAY_STORE_ID: btcpay.storeId });
});
afterAll(async () => {
  btcpay.dispose();
  await Promise.all(servers.map((s) => s.close()));
});

const providers = ['demo', 'lnbits', 'strike', 'btcpay'] as const;

async function create(name: string, body: object) {
  const proxy = proxies[name]!;
  return proxy.call('POST', '/api/invoices', { token: await proxy.login(), body });
}

describe('Money safety', () => {
  it.each(providers)('%s: amountSats is exactly what the BOLT11 asks for, for any amount', async (name) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 500_000 }), fc.integer({ min: 0, max: 500 }), async (amount, tip) => {
        const res = await create(name, { amount, tip, currency: 'USD' });
        expect(res.status).toBe(201);
        const decoded = decodePaymentRequest(res.body.paymentRequest);
        expect(res.body.amountSats).toBe(amountSatsOf(decoded));
        expect(Date.parse(res.body.expiresAt)).toBe(decoded.expiresAt);
        expect(res.body.paymentHash).toBe(decoded.paymentHash);
        expect(res.body.amount).toBe(amount);
        expect(res.body.tip).toBe(tip);
      }),
      { numRuns: 8 },
    );
  }, 60_000);

  it('the demo rounds sats up at an awkward price, never down', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 500_000 }), async (amount) => {
        const res = await create('demo', { amount, currency: 'USD' });
        // $97,123.45 per BTC: the sats must be worth at least the amount.
        expect(BigInt(res.body.amountSats) * 9_712_345n >= BigInt(amount) * 100_000_000n).toBe(true);
        expect(BigInt(res.body.amountSats - 1) * 9_712_345n < BigInt(amount) * 100_000_000n).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it.each(providers)('%s: the limit of 10,000,000 sats holds (SAT and fiat)', async (name) => {
    expect((await create(name, { amount: 10_000_001, currency: 'SAT' })).status).toBe(400);
    expect((await create(name, { amount: 10_000_000, currency: 'SAT' })).status).toBe(201);
    // $10,000.01 at the fakes' and demo's $100,000 (the demo here: $97,123.45, so $9,712.35 max)
    const fiatMax = name === 'demo' ? 971_234 : 1_000_000;
    expect((await create(name, { amount: fiatMax + 2, currency: 'USD' })).status).toBe(400);
    expect((await create(name, { amount: fiatMax, currency: 'USD' })).status).toBe(201);
  });

  it.each(providers)('%s: a paid invoice cannot be cancelled', async (name) => {
    const proxy = proxies[name]!;
    const created = await create(name, { amount: 300, currency: 'USD' });
    const id = created.body.id as string;
    if (name === 'demo') await proxy.call('POST', `/api/demo/invoices/${id}/pay`, { token: await proxy.login() });
    if (name === 'lnbits') await lnbits.settle(id);
    if (name === 'strike') await strike.pay(id);
    if (name === 'btcpay') await btcpay.pay(id);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // past the read cache
    const res = await proxy.call('POST', `/api/invoices/${id}/cancel`, { token: await proxy.login() });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect((await proxy.call('GET', `/api/invoices/${id}`, { token: await proxy.login() })).body.status).toBe('paid');
  });

  it('an expired invoice is not shown paid without the provider saying so', async () => {
    let providerSays: 'pending' | 'paid' = 'pending';
    const now = Date.parse('2026-11-22T10:20:00.000Z');
    const provider = stubProvider({
      id: 'lnbits',
      readPolicy: { minAgeMs: 0 },
      getInvoice: async () => ({
        id: 'abc',
        status: providerSays,
        paymentRequest: 'lnbc1',
        paymentHash: 'a'.repeat(64),
        amount: 100,
        tip: 0,
        currency: 'USD',
        amountSats: 1000,
        memo: '',
        createdAt: '2026-11-22T10:00:00.000Z',
        expiresAt: '2026-11-22T10:10:00.000Z',
        paidAt: providerSays === 'paid' ? '2026-11-22T10:09:59.000Z' : null,
      }),
    });
    vi.useFakeTimers({ toFake: ['Date'], now });
    try {
      const proxy = providerProxy({}, { provider });
      const token = await proxy.login();
      expect((await proxy.call('GET', '/api/invoices/abc', { token })).body.status).toBe('expired');
      // Only the provider can say it was paid (in the last second): then, and only then, paid.
      providerSays = 'paid';
      const reads = new InvoiceReads(provider, new MemoryStore(), () => now);
      expect((await reads.poll('abc'))?.status).toBe('paid');
    } finally {
      vi.useRealTimers();
    }
  });
});
