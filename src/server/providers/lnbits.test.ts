/**
 * The real proxy against the fake LNbits (e2e/fakes/lnbits.ts) on loopback: every path of the
 * adapter through the API, in LNbits v1 and v0.12.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { listen, type RunningFake } from '../../../e2e/fakes/common';
import { createFakeLnbits, type FakeLnbits } from '../../../e2e/fakes/lnbits';
import { decodePaymentRequest } from '../bolt11';
import { cashier, loopbackForProxy, providerProxy, type ProviderProxy } from '../test-support/harness';
import { parseLnbitsTime } from './lnbits';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');

let fake: FakeLnbits;
let server: RunningFake;

async function startFake(version: 'v1' | 'v0.12' = 'v1', rateLimitPerMinute?: number) {
  fake = createFakeLnbits({ version, btcPrices: { USD: 100_000, EUR: 92_000 }, ...(rateLimitPerMinute ? { rateLimitPerMinute } : {}) });
  server = await listen(fake.app);
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: T0 });
  await startFake();
});
afterEach(async () => {
  await server.close();
  vi.useRealTimers();
});

interface Options {
  env?: Record<string, string>;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

function lnbitsProxy({ env = {}, timeoutMs, fetch: fetcher }: Options = {}): ProviderProxy {
  return providerProxy(
    {
      POS_PROVIDER: 'lnbits',
      POS_CASHIER_PIN: '1234',
      POS_MANAGER_PIN: '999999',
      POS_SESSION_SECRET: 'lnbits-test-session-secret-0123456789',
      LNBITS_URL: server.url,
      LNBITS_INVOICE_KEY: fake.invoiceKey,
      ...env,
    },
    { ...(timeoutMs ? { timeoutMs } : {}), ...(fetcher ? { fetch: fetcher } : {}) },
  );
}

const creates = () => fake.control.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/payments');

describe('LNbits: create → pending → paid', () => {
  it('asks for an incoming fiat invoice and reads it paid, amounts from msat', async () => {
    const proxy = lnbitsProxy();
    const { create, read } = await cashier(proxy);
    const created = await create({ amount: 1234, currency: 'USD', memo: '2 coffees', tip: 100 });
    expect(created.status).toBe(201);

    const [request] = creates();
    expect(request!.headers['x-api-key']).toBe(fake.invoiceKey);
    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({ out: false, amount: 13.34, unit: 'USD', memo: '2 coffees', expiry: 600 });
    expect(body.extra.pos).toMatchObject({ amount: 1234, tip: 100, currency: 'USD' });
    expect(body.webhook).toBeUndefined(); // no POS_PUBLIC_URL: polling only

    // LNbits converts: 13.34 USD at $100,000 → 13,340 sats; amountSats is what the BOLT11 asks.
    expect(created.body).toMatchObject({ status: 'pending', amount: 1234, tip: 100, currency: 'USD', amountSats: 13_340 });
    const bolt11 = decodePaymentRequest(created.body.paymentRequest);
    expect(Number(bolt11.amountMsat)).toBe(13_340_000);
    expect(created.body.id).toBe(bolt11.paymentHash);
    expect(Date.parse(created.body.expiresAt)).toBe(bolt11.expiresAt);

    await fake.settle(created.body.id);
    vi.setSystemTime(T0 + 2_000);
    const paid = await read(created.body.id);
    expect(paid.body).toMatchObject({ status: 'paid', amount: 1234, tip: 100, memo: '2 coffees' });
    expect(paid.body.paidAt).toBe(new Date(T0).toISOString());
  });

  it('asks for sats as unit "sat"', async () => {
    const proxy = lnbitsProxy();
    const { create } = await cashier(proxy);
    const created = await create({ amount: 21_000, currency: 'SAT' });
    expect(JSON.parse(creates()[0]!.body)).toMatchObject({ out: false, amount: 21_000, unit: 'sat' });
    expect(created.body).toMatchObject({ amount: 21_000, currency: 'SAT', amountSats: 21_000 });
  });

  it('understands the v0.12 create answer too', async () => {
    await server.close();
    await startFake('v0.12');
    const proxy = lnbitsProxy();
    const { create, read } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    expect(created.status).toBe(201);
    expect(created.body.amountSats).toBe(5_000);
    await fake.settle(created.body.id);
    vi.setSystemTime(T0 + 2_000);
    expect((await read(created.body.id)).body.status).toBe('paid');
  });

  it('reads expired when the BOLT11 expiry passes, though LNbits still says pending', async () => {
    const proxy = lnbitsProxy({ env: { POS_INVOICE_EXPIRY: '60' } });
    const { create, read } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    vi.setSystemTime(T0 + 61_000);
    expect((await read(created.body.id)).body.status).toBe('expired');
    expect(fake.payments()[0]!.status).toBe('pending');
  });

  it('quotes the LNbits rate', async () => {
    const proxy = lnbitsProxy();
    const res = await proxy.call('GET', '/api/rate', { token: await proxy.login() });
    expect(res.body).toMatchObject({ currency: 'USD', btcPrice: 100_000, satsPerUnit: 1000, source: 'lnbits' });
  });
});

describe('LNbits: cancel', () => {
  it('cancels in the proxy (LNbits cannot) and the provider still wins if it gets paid', async () => {
    const proxy = lnbitsProxy();
    const { create, cancel, read } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    const cancelled = await cancel(created.body.id);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    vi.setSystemTime(T0 + 2_000);
    expect((await read(created.body.id)).body.status).toBe('cancelled');
    // A wallet paid the QR anyway: money arrived, and the POS says so.
    await fake.settle(created.body.id);
    vi.setSystemTime(T0 + 12_000);
    expect((await read(created.body.id)).body.status).toBe('paid');
  });

  it('refuses to cancel a paid invoice (409)', async () => {
    const proxy = lnbitsProxy();
    const { create, cancel } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    await fake.settle(created.body.id);
    const res = await cancel(created.body.id);
    expect(res.status).toBe(409);
  });
});

describe('LNbits: faults', () => {
  it.each([
    ['error', 503, 'provider_unavailable'],
    ['unavailable', 503, 'provider_unavailable'],
    ['rate-limited', 503, 'provider_unavailable'],
    ['garbage', 502, 'provider_error'],
  ] as const)('%s from LNbits → %i %s', async (mode, status, code) => {
    const proxy = lnbitsProxy();
    const { create } = await cashier(proxy);
    fake.control.setFault({ mode, scope: 'create', times: 1 });
    const res = await create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(/LNbits/);
    expect(res.text).not.toContain(fake.invoiceKey);
  });

  it('a refusal by the node (520) → 502 provider_error', async () => {
    const zeroAmount: typeof fetch = (input, init) =>
      fetch(input, typeof init?.body === 'string' ? { ...init, body: init.body.replace(/"amount":[\d.]+/, '"amount":0') } : init);
    const proxy = lnbitsProxy({ fetch: zeroAmount });
    const res = await (await cashier(proxy)).create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('provider_error');
  });

  it('a wrong key (LNbits answers 404 "Wallet not found") says to check the key', async () => {
    const proxy = lnbitsProxy({ env: { LNBITS_INVOICE_KEY: 'f'.repeat(32) } });
    const res = await (await cashier(proxy)).create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/LNBITS_INVOICE_KEY/);
    expect(res.text).not.toContain('f'.repeat(32));
  });

  it('a provider that does not answer → 504 provider_timeout', async () => {
    const proxy = lnbitsProxy({ timeoutMs: 300 });
    const { create } = await cashier(proxy);
    fake.control.setFault({ mode: 'hang', scope: 'create' });
    const res = await create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('provider_timeout');
  });

  it('a read that fails answers 503 and the next poll recovers', async () => {
    const proxy = lnbitsProxy();
    const { create, read } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    fake.control.setFault({ mode: 'error', scope: 'read', times: 1 });
    vi.setSystemTime(T0 + 2_000);
    expect((await read(created.body.id)).status).toBe(503);
    expect((await read(created.body.id)).body.status).toBe('pending');
  });

  it('a proxy that cannot reach LNbits at all → 503', async () => {
    const proxy = lnbitsProxy({ env: { LNBITS_URL: 'http://127.0.0.1:9' } });
    const res = await (await cashier(proxy)).create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('provider_unavailable');
  });
});

describe('LNbits: a lost response', () => {
  it('finds the invoice it made instead of making a second', async () => {
    const proxy = lnbitsProxy();
    const { create } = await cashier(proxy);
    fake.control.setFault({ mode: 'drop', scope: 'create', times: 1 });
    const res = await create({ amount: 900, currency: 'USD', memo: 'Lost' }, 'lost-lnbits-1');
    expect(res.status).toBe(201);
    expect(fake.payments()).toHaveLength(1);
    expect(res.body).toMatchObject({ id: fake.payments()[0]!.paymentHash, amount: 900, memo: 'Lost' });
  });

  it('and a tablet retrying with the same key gets the same invoice', async () => {
    const proxy = lnbitsProxy({ timeoutMs: 300 });
    const { create } = await cashier(proxy);
    fake.control.setFault({ mode: 'slow', scope: 'create', delayMs: 600, times: 1 });
    const first = await create({ amount: 901, currency: 'USD' }, 'lost-lnbits-2');
    await new Promise((resolve) => setTimeout(resolve, 500)); // LNbits finishes making it
    if (first.status === 201) expect(fake.payments()).toHaveLength(1);
    const again = await create({ amount: 901, currency: 'USD' }, 'lost-lnbits-2');
    expect([200, 201]).toContain(again.status);
    expect(fake.payments()).toHaveLength(1);
    expect(again.body.id).toBe(fake.payments()[0]!.paymentHash);
  });
});

describe('LNbits: webhooks', () => {
  it('the per-invoice webhook makes the proxy read the payment at once (v1 double-encoded body)', async () => {
    const endpoint = await loopbackForProxy();
    try {
      const proxy = lnbitsProxy({ env: { POS_PUBLIC_URL: endpoint.url } });
      endpoint.attach(proxy.app);
      const { create, read } = await cashier(proxy);
      const created = await create({ amount: 500, currency: 'USD' });
      const webhookUrl = new URL(JSON.parse(creates()[0]!.body).webhook);
      expect(webhookUrl.pathname).toBe('/api/webhooks/lnbits');
      expect(webhookUrl.searchParams.get('token')).toMatch(/^[0-9a-f]{64}$/);

      await read(created.body.id);
      await fake.settle(created.body.id); // LNbits posts the webhook once and records its status
      expect(fake.payments()[0]!.webhookStatus).toBe('204');
      // No time has passed, yet the next poll sees paid: the webhook made the proxy re-read.
      expect((await read(created.body.id)).body.status).toBe('paid');
    } finally {
      await endpoint.close();
    }
  });

  it('accepts the v0.12 plain body too', async () => {
    await server.close();
    await startFake('v0.12');
    const endpoint = await loopbackForProxy();
    try {
      const proxy = lnbitsProxy({ env: { POS_PUBLIC_URL: endpoint.url } });
      endpoint.attach(proxy.app);
      const { create, read } = await cashier(proxy);
      const created = await create({ amount: 500, currency: 'USD' });
      await read(created.body.id);
      await fake.settle(created.body.id);
      expect(fake.payments()[0]!.webhookStatus).toBe('204');
      expect((await read(created.body.id)).body.status).toBe('paid');
    } finally {
      await endpoint.close();
    }
  });

  it('refuses a webhook without the right token (401), and reads nothing', async () => {
    const proxy = lnbitsProxy({ env: { POS_PUBLIC_URL: 'https://pos.example.com' } });
    const { create } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    const good = new URL(JSON.parse(creates()[0]!.body).webhook);
    const body = JSON.stringify(JSON.stringify({ payment_hash: created.body.id, status: 'success' }));
    const readsBefore = fake.control.requests.filter((r) => r.method === 'GET').length;
    for (const query of [
      '',
      `?ref=${good.searchParams.get('ref')}`,
      `?ref=${good.searchParams.get('ref')}&token=${'0'.repeat(64)}`,
      `?ref=other&token=${good.searchParams.get('token')}`,
      `?ref=${good.searchParams.get('ref')}&token=zz`,
    ]) {
      const res = await proxy.call('POST', `/api/webhooks/lnbits${query}`, { rawBody: body, headers: { 'Content-Type': 'application/json' } });
      expect(res.status, query).toBe(401);
      expect(res.body.error.code).toBe('invalid_signature');
    }
    expect(fake.control.requests.filter((r) => r.method === 'GET').length).toBe(readsBefore);
    // The right token is accepted; the body is only a hint, and the payment is still pending.
    const ok = await proxy.call('POST', `/api/webhooks/lnbits${good.search}`, { rawBody: body, headers: { 'Content-Type': 'application/json' } });
    expect(ok.status).toBe(204);
    expect((await proxy.call('GET', `/api/invoices/${created.body.id}`, { token: await proxy.login() })).body.status).toBe('pending');
  });
});

describe('LNbits: lists and times', () => {
  it('lists incoming payments, the POS’s own with their sale and others in sats', async () => {
    const proxy = lnbitsProxy();
    const { create } = await cashier(proxy);
    const ours = await create({ amount: 500, currency: 'USD', tip: 50 });
    vi.setSystemTime(T0 + 60_000);
    fake.addExternalPayment({ amountMsat: 42_000_000, status: 'success', memo: 'tip jar', timeMs: T0 + 60_000 });
    fake.addExternalPayment({ amountMsat: 5_000_000, direction: 'out', status: 'success', memo: 'paid a bill', timeMs: T0 + 60_000 });
    const page = await proxy.provider.listInvoices({ limit: 20, offset: 0 });
    expect(page.total).toBe(2);
    expect(page.data.map((i) => [i.memo, i.amount, i.currency, i.tip])).toEqual([
      ['tip jar', 42_000, 'SAT', 0],
      ['', 500, 'USD', 50],
    ]);
    expect(page.data[1]!.id).toBe(ours.body.id);
  });

  it('reads LNbits datetimes naive or with an offset, always as UTC', () => {
    expect(parseLnbitsTime('2026-11-22T10:00:00')).toBe(T0);
    expect(parseLnbitsTime('2026-11-22T10:00:00.123456')).toBe(T0 + 123);
    expect(parseLnbitsTime('2026-11-22T10:00:00+00:00')).toBe(T0);
    expect(parseLnbitsTime('2026-11-22T11:00:00+01:00')).toBe(T0);
    expect(parseLnbitsTime(T0 / 1000)).toBe(T0);
    expect(parseLnbitsTime('yesterday')).toBeNull();
    expect(parseLnbitsTime(null)).toBeNull();
  });
});

describe('LNbits: its rate limit', () => {
  const statusReads = () => fake.control.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/payments/'));

  it('10 tablets polling for 5 simulated minutes stay inside 200 reads a minute, and a payment is seen in its turn', async () => {
    const proxy = lnbitsProxy({ env: { POS_INVOICE_EXPIRY: '900' } });
    const { create, read } = await cashier(proxy);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await create({ amount: 100 + i, currency: 'USD' })).body.id);
    const payAt = T0 + 120_000;
    let paidSeenAt: number | null = null;
    for (let second = 1; second <= 300; second++) {
      const now = T0 + second * 1000;
      vi.setSystemTime(now);
      if (now === payAt) await fake.settle(ids[3]!);
      const answers = await Promise.all(ids.map((id) => read(id)));
      for (const answer of answers) expect(answer.status, `at ${second}s`).toBe(200);
      if (paidSeenAt === null && answers[3]!.body.status === 'paid') paidSeenAt = now;
      for (const [i, answer] of answers.entries()) if (i !== 3) expect(answer.body.status).toBe('pending');
    }
    // LNbits counts every read of every invoice against one 200-a-minute bucket: in no minute did
    // the POS use more than its three quarters of it, so LNbits never refused one.
    const times = statusReads().map((r) => r.at);
    let worst = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 60_000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(150);
    expect(times.length).toBeGreaterThan(400); // it did read: about 2 a second
    expect(paidSeenAt).not.toBeNull();
    // About 2 reads a second shared by 10 invoices: each is read every ~5 s.
    expect(paidSeenAt! - payAt).toBeLessThanOrEqual(6_000);
  }, 60_000);

  it('one checkout alone is still read every 0.9 s', async () => {
    const proxy = lnbitsProxy();
    const { create, read } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    for (let second = 1; second <= 30; second++) {
      vi.setSystemTime(T0 + second * 1000);
      await read(created.body.id);
    }
    expect(statusReads()).toHaveLength(30);
  });

  it('a server with a higher limit (LNBITS_RATE_LIMIT) lets many checkouts be read every 0.9 s', async () => {
    await server.close();
    await startFake('v1', 2000);
    const proxy = lnbitsProxy({ env: { LNBITS_RATE_LIMIT: '2000' } });
    const { create, read } = await cashier(proxy);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await create({ amount: 100 + i, currency: 'USD' })).body.id);
    for (let second = 1; second <= 30; second++) {
      vi.setSystemTime(T0 + second * 1000);
      await Promise.all(ids.map((id) => read(id)));
    }
    expect(statusReads()).toHaveLength(300);
  });

  it('after a 429 on reads the polls keep the last answer and LNbits is left alone for a while', async () => {
    const proxy = lnbitsProxy();
    const { create, read } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    fake.control.setFault({ mode: 'rate-limited', scope: 'read' });
    vi.setSystemTime(T0 + 1_000);
    expect((await read(created.body.id)).body.status).toBe('pending');
    const asked = statusReads().length;
    for (let ms = 2_000; ms < 15_000; ms += 1_000) {
      vi.setSystemTime(T0 + ms);
      const res = await read(created.body.id);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('pending'); // the last answer stands
    }
    expect(statusReads()).toHaveLength(asked);
    fake.control.setFault({ mode: 'none' });
    await fake.settle(created.body.id);
    vi.setSystemTime(T0 + 17_000);
    expect((await read(created.body.id)).body.status).toBe('paid');
  });

  it('refuses a limit that is not a whole number', () => {
    expect(() => lnbitsProxy({ env: { LNBITS_RATE_LIMIT: 'lots' } })).toThrow(/LNBITS_RATE_LIMIT: must be a whole number/);
  });
});
