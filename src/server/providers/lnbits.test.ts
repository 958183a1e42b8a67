/**
 * What only LNbits does, against the fake LNbits in the release and database each case names
 * (e2e/fakes/lnbits/versions.ts). What every provider does is the provider contract
 * (contract.test.ts), which runs LNbits 1.3 on SQLite and 1.4 on PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { listen, type RunningFake } from '../../../e2e/fakes/common';
import { createFakeLnbits, type FakeLnbits, type LnbitsMode } from '../../../e2e/fakes/lnbits';
import { DEVICE_HEADER } from '../../contract/api';
import { cashier, providerProxy, type ProviderProxy } from '../test-support/harness';
import { parseLnbitsTime } from './lnbits';
import { ProviderVersionError } from './provider';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');

let fake: FakeLnbits;
let server: RunningFake;

async function startFake(mode: Partial<LnbitsMode> = {}, more: { rateLimitPerMinute?: number; btcPrices?: Record<string, number> } = {}) {
  await server?.close();
  fake = createFakeLnbits({ ...mode, ...more });
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

function lnbitsProxy(env: Record<string, string> = {}, fetcher?: typeof fetch): ProviderProxy {
  return providerProxy(
    { POS_PROVIDER: 'lnbits', POS_CASHIER_PIN: '1234', POS_MANAGER_PIN: '999999', LNBITS_URL: server.url, LNBITS_INVOICE_KEY: fake.invoiceKey, ...env },
    fetcher ? { fetch: fetcher } : {},
  );
}

const creates = () => fake.control.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/payments');

describe('LNbits: what the POS sends', () => {
  it('an incoming invoice (out: false), fiat as its unit in major units, the sale in extra.pos', async () => {
    const { create } = await cashier(lnbitsProxy());
    await create({ amount: 1234, currency: 'USD', memo: '2 coffees', tip: 100 });
    await create({ amount: 21_000, currency: 'SAT' });
    const [fiat, sats] = creates();
    expect(fiat!.headers['x-api-key']).toBe(fake.invoiceKey);
    const body = JSON.parse(fiat!.body);
    expect(body).toMatchObject({ out: false, amount: 13.34, unit: 'USD', memo: '2 coffees', expiry: 600 });
    expect(body.extra.pos).toMatchObject({ amount: 1234, tip: 100, currency: 'USD', memo: '2 coffees' });
    expect(body.webhook).toBeUndefined(); // no POS_PUBLIC_URL: polling only
    expect(JSON.parse(sats!.body)).toMatchObject({ amount: 21_000, unit: 'sat' });
  });

  it('never a time[...] filter, which LNbits 1.4–1.5 on PostgreSQL answer with 500', async () => {
    await startFake({ version: '1.4.0', database: 'postgres' });
    const proxy = lnbitsProxy();
    const { create } = await cashier(proxy);
    fake.control.setFault({ mode: 'drop', scope: 'create', times: 1 });
    expect((await create({ amount: 900, currency: 'USD' }, 'lost-on-postgres')).status).toBe(201);
    const manager = await proxy.login('manager');
    for (const path of ['/api/payments', '/api/history', '/api/cashup?date=2026-11-22', '/api/payments?status=expired']) {
      expect((await proxy.call('GET', path, { token: manager })).status, path).toBe(200);
    }
    const keys = fake.control.requests.flatMap((r) => Object.keys(r.query));
    expect(keys.filter((key) => key.startsWith('time'))).toEqual([]);
  });
});

describe('LNbits: releases', () => {
  it('refuses 0.x at start-up with one line naming the minimum, and answers every sale with it', async () => {
    await startFake({ version: '0.12.12' });
    const proxy = lnbitsProxy();
    const refused = await proxy.ready.then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ProviderVersionError);
    const line = (refused as Error).message;
    expect(line).toMatch(/^LNbits 1\.0\.0 or later is required/);
    expect(line).not.toContain('\n');
    const res = await (await cashier(proxy)).create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(503);
    expect(res.body.error.message).toBe(line);
    expect(creates()).toEqual([]);
  });

  it('no price right now (1.5: rate 0; 1.0–1.4: 400) is said as such, not as an answer it cannot read', async () => {
    for (const version of ['1.5.1', '1.4.0']) {
      await startFake({ version }, { btcPrices: { USD: 0 } });
      const proxy = lnbitsProxy();
      const res = await proxy.call('GET', '/api/rate', { token: await proxy.login() });
      expect(res.status, version).toBe(503);
      expect(res.body.error.message, version).toBe('LNbits has no price for USD right now (no exchange answered it). Try again in a minute.');
    }
  });
});

describe('LNbits: expired invoices turn failed', () => {
  it('a sale cancelled at the POS stays cancelled when LNbits later marks it failed', async () => {
    const proxy = lnbitsProxy();
    const { create, cancel, read } = await cashier(proxy);
    const sale = (await create({ amount: 500, currency: 'USD' })).body.id as string;
    expect((await cancel(sale)).body.status).toBe('cancelled');
    vi.setSystemTime(T0 + 700_000);
    expect((await read(sale)).body.status).toBe('cancelled');
    expect(fake.payments()[0]!.status).toBe('failed');
    vi.setSystemTime(T0 + 800_000);
    const listed = await proxy.call('GET', '/api/payments?status=cancelled', { token: await proxy.login('manager') });
    expect(listed.body.data.map((i: { id: string }) => i.id)).toEqual([sale]);
  });
});

describe('LNbits: errors', () => {
  it('a refusal by the node (520) → 502 provider_error', async () => {
    const zeroAmount: typeof fetch = (input, init) =>
      fetch(input, typeof init?.body === 'string' ? { ...init, body: init.body.replace(/"amount":[\d.]+/, '"amount":0') } : init);
    const res = await (await cashier(lnbitsProxy({}, zeroAmount))).create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('provider_error');
  });

  it('a wrong key (LNbits answers 404 "Wallet not found") says to check the key', async () => {
    const res = await (await cashier(lnbitsProxy({ LNBITS_INVOICE_KEY: 'f'.repeat(32) }))).create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/LNBITS_INVOICE_KEY/);
    expect(res.text).not.toContain('f'.repeat(32));
  });

  it('refuses a limit that is not a whole number', () => {
    expect(() => lnbitsProxy({ LNBITS_RATE_LIMIT: 'lots' })).toThrow(/LNBITS_RATE_LIMIT: must be a whole number/);
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

describe('LNbits: its rate limit (per client IP and endpoint)', () => {
  const statusReads = () => fake.control.requests.filter((r) => r.method === 'GET' && /^\/api\/v1\/payments\/[0-9a-f]{64}$/.test(r.path));

  /** Ten tablets, each unlocked on its own (a session each), each with a sale on screen. */
  async function tablets(proxy: ProviderProxy) {
    const all: { id: string; read: () => ReturnType<ProviderProxy['call']> }[] = [];
    for (let i = 0; i < 10; i++) {
      vi.setSystemTime(T0 - (10 - i) * 1000);
      // A tablet of its own: a paired tablet has one cashier session at a time.
      const device = (await proxy.call('POST', '/api/devices/pair', { body: { code: proxy.config.setupCode, name: `Tablet ${i + 1}` } })).body.device as string;
      const token = (await proxy.call('POST', '/api/session', { body: { pin: '1234' }, headers: { [DEVICE_HEADER]: device } })).body.token as string;
      const id = (await proxy.call('POST', '/api/invoices', { token, body: { amount: 100 + i, currency: 'USD' } })).body.id as string;
      all.push({ id, read: () => proxy.call('GET', `/api/invoices/${id}`, { token }) });
    }
    vi.setSystemTime(T0);
    return all;
  }

  it('10 tablets polling for 5 simulated minutes stay inside 200 reads a minute, and a payment is seen in its turn', async () => {
    const checkouts = await tablets(lnbitsProxy({ POS_INVOICE_EXPIRY: '900' }));
    const payAt = T0 + 120_000;
    let paidSeenAt: number | null = null;
    for (let second = 1; second <= 300; second++) {
      const now = T0 + second * 1000;
      vi.setSystemTime(now);
      if (now === payAt) await fake.settle(checkouts[3]!.id);
      const answers = await Promise.all(checkouts.map((checkout) => checkout.read()));
      for (const answer of answers) expect(answer.status, `at ${second}s`).toBe(200);
      if (paidSeenAt === null && answers[3]!.body.status === 'paid') paidSeenAt = now;
    }
    // In no minute did the POS use more than its three quarters of LNbits' 200, so LNbits never refused one.
    const times = statusReads().map((r) => r.at);
    let worst = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 60_000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(150);
    expect(times.length).toBeGreaterThan(400); // it did read: about 2 a second
    expect(paidSeenAt! - payAt).toBeLessThanOrEqual(6_000);
  }, 60_000);

  it('a server with a higher limit (LNBITS_RATE_LIMIT) lets many checkouts be read every 0.9 s', async () => {
    await startFake({}, { rateLimitPerMinute: 2000 });
    const checkouts = await tablets(lnbitsProxy({ LNBITS_RATE_LIMIT: '2000' }));
    for (let second = 1; second <= 30; second++) {
      vi.setSystemTime(T0 + second * 1000);
      await Promise.all(checkouts.map((checkout) => checkout.read()));
    }
    expect(statusReads()).toHaveLength(300);
  }, 30_000);
});
