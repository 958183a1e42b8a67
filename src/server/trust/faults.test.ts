/**
 * Faults, fault × provider: a provider's 500, 429, 503, garbage, silence or closed port becomes
 * the API's 502/503/504 with a message a cashier can act on, within 10 seconds; nothing is ever
 * reported paid because of a fault; and once the provider is back, the same invoice carries on.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeBtcpay, type FakeBtcpay } from '../../../e2e/fakes/btcpay';
import { listen, type FakeControl, type FaultMode, type RunningFake } from '../../../e2e/fakes/common';
import { createFakeLnbits, type FakeLnbits } from '../../../e2e/fakes/lnbits';
import { createFakeStrike, type FakeStrike } from '../../../e2e/fakes/strike';
import { PROVIDER_TIMEOUT_MS } from '../providers/http';
import { providerProxy, type ProviderProxy } from '../test-support/harness';

type Vendor = 'lnbits' | 'strike' | 'btcpay';

const fakes: { lnbits: FakeLnbits; strike: FakeStrike; btcpay: FakeBtcpay } = {
  lnbits: createFakeLnbits(),
  strike: createFakeStrike(),
  btcpay: createFakeBtcpay({ permissions: ['btcpay.store.cancreateinvoice', 'btcpay.store.canviewinvoices'] }),
};
const controls: Record<Vendor, FakeControl> = { lnbits: fakes.lnbits.control, strike: fakes.strike.control, btcpay: fakes.btcpay.control };
const servers: Partial<Record<Vendor, RunningFake>> = {};

beforeAll(async () => {
  for (const vendor of ['lnbits', 'strike', 'btcpay'] as const) servers[vendor] = await listen(fakes[vendor].app);
});
afterAll(async () => {
  fakes.btcpay.dispose();
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

function proxyFor(vendor: Vendor, options: { timeoutMs?: number; url?: string } = {}): ProviderProxy {
  const url = options.url ?? servers[vendor]!.url;
  return providerProxy(
    {
      POS_PROVIDER: vendor,
      POS_CASHIER_PIN: '1234',
      POS_MANAGER_PIN: '999999',
      POS_SESSION_SECRET: 'faults-test-session-secret-0123456789',
      POS_CREATE_LIMIT: '100000',
      LNBITS_URL: url,
      LNBITS_INVOICE_KEY: fakes.lnbits.invoiceKey,
      STRIKE_API_URL: url,
      STRIKE_API_KEY: fakes.strike.apiKey,
      BTCPAY_URL: url,
      BTCPAY_API_KEY: fakes.btcpay.apiKey,
      BTCPAY_STORE_ID: fakes.btcpay.storeId,
    },
    options.timeoutMs ? { timeoutMs: options.timeoutMs } : {},
  );
}

const names: Record<Vendor, RegExp> = { lnbits: /LNbits/, strike: /Strike/, btcpay: /BTCPay/ };

const matrix: [FaultMode, number, string][] = [
  ['error', 503, 'provider_unavailable'],
  ['unavailable', 503, 'provider_unavailable'],
  ['rate-limited', 503, 'provider_unavailable'],
  ['garbage', 502, 'provider_error'],
  ['hang', 504, 'provider_timeout'],
];

describe.each(['lnbits', 'strike', 'btcpay'] as const)('Faults: %s', (vendor) => {
  it.each(matrix)('creating while the provider answers %s → %i %s, then it recovers', async (mode, status, code) => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      const proxy = proxyFor(vendor, { timeoutMs: 400 });
      const token = await proxy.login();
      controls[vendor].setFault({ mode, scope: 'create' });
      const failed = await proxy.call('POST', '/api/invoices', { token, body: { amount: 250, currency: 'USD' }, headers: { 'Idempotency-Key': `fault-${vendor}-${mode}` } });
      expect(failed.status).toBe(status);
      expect(failed.body.error.code).toBe(code);
      expect(failed.body.error.message).toMatch(names[vendor]);
      controls[vendor].setFault({ mode: 'none' });
      // Strike asked the POS to wait; the POS waits before asking again.
      if (mode === 'rate-limited' && vendor === 'strike') vi.setSystemTime(Date.now() + 61_000);
      // The tablet's retry with the same key goes through once the provider is back.
      const retried = await proxy.call('POST', '/api/invoices', { token, body: { amount: 250, currency: 'USD' }, headers: { 'Idempotency-Key': `fault-${vendor}-${mode}` } });
      expect([200, 201]).toContain(retried.status);
      expect(retried.body.status).toBe('pending');
    } finally {
      controls[vendor].setFault({ mode: 'none' });
      vi.useRealTimers();
    }
  });

  it.each(matrix)('reading while the provider answers %s: an error, never paid, and the invoice carries on', async (mode, status, code) => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      const proxy = proxyFor(vendor, { timeoutMs: 400 });
      const token = await proxy.login();
      const created = await proxy.call('POST', '/api/invoices', { token, body: { amount: 250, currency: 'USD' } });
      const id = created.body.id as string;
      controls[vendor].setFault({ mode, scope: 'read' });
      vi.setSystemTime(Date.now() + 20_000); // past every cache and fair-share interval
      const during = await proxy.call('GET', `/api/invoices/${id}`, { token });
      if (during.status === 200) {
        // Strike and LNbits after a 429 stop asking for a while and keep the last answer, rather than erroring.
        expect(vendor !== 'btcpay' && mode === 'rate-limited').toBe(true);
        expect(during.body.status).toBe('pending');
      } else {
        expect(during.status).toBe(status);
        expect(during.body.error.code).toBe(code);
      }
      controls[vendor].setFault({ mode: 'none' });
      if (vendor === 'strike' && mode === 'rate-limited') vi.setSystemTime(Date.now() + 61_000); // Strike said: wait
      if (vendor === 'lnbits') await fakes.lnbits.settle(id);
      if (vendor === 'strike') await fakes.strike.pay(id).catch(() => undefined); // its 30 s quote may have lapsed
      if (vendor === 'btcpay') await fakes.btcpay.pay(id);
      vi.setSystemTime(Date.now() + 20_000);
      const after = await proxy.call('GET', `/api/invoices/${id}`, { token });
      expect(after.status).toBe(200);
      expect(['pending', 'paid']).toContain(after.body.status);
      if (vendor !== 'strike') expect(after.body.status).toBe('paid');
    } finally {
      controls[vendor].setFault({ mode: 'none' });
      vi.useRealTimers();
    }
  });

  it('a closed port → 503 at once', async () => {
    const proxy = proxyFor(vendor, { url: 'http://127.0.0.1:9' });
    const started = Date.now();
    const res = await proxy.call('POST', '/api/invoices', { token: await proxy.login(), body: { amount: 250, currency: 'USD' } });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('provider_unavailable');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('Faults: the deadline', () => {
  it('a provider that never answers gets 504 within 10 seconds, with the real deadline, on every provider', async () => {
    expect(PROVIDER_TIMEOUT_MS).toBeLessThanOrEqual(10_000);
    for (const vendor of ['lnbits', 'strike', 'btcpay'] as const) controls[vendor].setFault({ mode: 'hang', scope: 'create' });
    try {
      const results = await Promise.all(
        (['lnbits', 'strike', 'btcpay'] as const).map(async (vendor) => {
          const proxy = proxyFor(vendor);
          const token = await proxy.login();
          const started = Date.now();
          const res = await proxy.call('POST', '/api/invoices', { token, body: { amount: 250, currency: 'USD' } });
          return { vendor, status: res.status, code: res.body.error?.code as string, ms: Date.now() - started };
        }),
      );
      for (const result of results) {
        expect(result, result.vendor).toMatchObject({ status: 504, code: 'provider_timeout' });
        expect(result.ms, result.vendor).toBeLessThan(10_000);
        expect(result.ms, result.vendor).toBeGreaterThanOrEqual(PROVIDER_TIMEOUT_MS - 100);
      }
    } finally {
      for (const vendor of ['lnbits', 'strike', 'btcpay'] as const) controls[vendor].setFault({ mode: 'none' });
    }
  }, 20_000);
});
