/**
 * State that matters is never lost: not to an anonymous flood (nothing is evicted to make room;
 * strangers get quotas, not space), and not to a restart of the Node proxy (the store is a SQLite
 * file). Reproduces the findings of the second trust review: after 54,000 anonymous wrong PINs
 * a lockout and an Idempotency-Key record were gone, and a restart forgot everything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'hono';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { listen, type RunningFake } from '../../../e2e/fakes/common';
import { createFakeLnbits } from '../../../e2e/fakes/lnbits';
import { RequestBudget } from '../budget';
import { PAIR_GLOBAL_MAX_FAILURES } from '../devices';
import { MAX_STRANGER_ENTRIES, STRANGERS_PER_SLOT } from '../quota';
import { SqliteStore } from '../sqlite-store';
import { MemoryStore, type KeyValueStore } from '../store';
import { providerProxy, TEST_SETUP_CODE, testProxy, type ProviderProxy } from '../test-support/harness';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const FLOOD = 54_000;
const PINS = { POS_CASHIER_PIN: '2468', POS_MANAGER_PIN: '975310' };

const lnbits = createFakeLnbits({ btcPrices: { USD: 100_000 } });
let fake: RunningFake;
beforeAll(async () => {
  fake = await listen(lnbits.app);
});
afterAll(() => fake.close());
beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: NOW }));
afterEach(() => vi.useRealTimers());

/** Who is asking: the address a test puts in this header (as a socket address would be). */
const fromHeader = (c: Context) => c.req.header('X-Test-Client') ?? '203.0.113.7';

function lnbitsShop(store: KeyValueStore): ProviderProxy {
  return providerProxy(
    { POS_PROVIDER: 'lnbits', ...PINS, POS_CREATE_LIMIT: '100000', LNBITS_URL: fake.url, LNBITS_INVOICE_KEY: lnbits.invoiceKey },
    { store, clientId: fromHeader },
  );
}

async function pair(proxy: ProviderProxy, code = TEST_SETUP_CODE): Promise<{ id: string; device: string }> {
  const res = await proxy.call('POST', '/api/devices/pair', { body: { code }, headers: { 'X-Test-Client': '192.0.2.1' } });
  expect(res.status).toBe(200);
  return res.body;
}

const unlock = (proxy: ProviderProxy, device: string | undefined, pin: string, client = '203.0.113.7') =>
  proxy.call('POST', '/api/session', { body: { pin }, headers: { 'X-Test-Client': client, ...(device ? { 'X-POS-Device': device } : {}) } });

/** What must outlive any flood: lockouts, pairings, sessions, idempotency records, budgets, cancels, keys. */
const SECURITY = ['pin-lock:', 'device:', 'session:', 'idem:', 'budget:provider-reads:', 'lnbits-cancelled:', 'key:'];

async function securityEntries(store: KeyValueStore): Promise<Map<string, unknown>> {
  const entries = (await store.list('')).filter(({ key }) => SECURITY.some((prefix) => key.startsWith(prefix)));
  // Each kind is there to be lost: a test of what stays must hold some of every kind.
  for (const prefix of SECURITY) expect(entries.some(({ key }) => key.startsWith(prefix)), prefix).toBe(true);
  return new Map(entries.map(({ key, value }) => [key, value]));
}

/** A different address for each request of a flood. */
const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('An anonymous flood evicts nothing', () => {
  it(`${FLOOD.toLocaleString('en')} wrong PINs from as many addresses: every lockout, pairing, idempotency record, budget and cancel stays`, async () => {
    const store = new MemoryStore();
    // The demo, where unpaired browsers may try PINs (and so may write), and an LNbits POS on the
    // same store, whose cancels are the proxy's own: two instances of one deployment.
    const demo = testProxy({ POS_CREATE_LIMIT: '100000' }, { store, clientId: fromHeader });
    const shop = lnbitsShop(store);
    const [counter, locked] = [await pair(shop), await pair(shop)];
    for (let i = 0; i < 5; i++) await unlock(shop, locked.device, '0000');
    expect((await unlock(shop, locked.device, PINS.POS_CASHIER_PIN)).status).toBe(429);
    for (let i = 0; i < 5; i++) await unlock(demo, undefined, '0000', '198.51.100.99');
    const token = (await unlock(shop, counter.device, PINS.POS_CASHIER_PIN)).body.token as string;
    const sale = (key: string, amount: number) =>
      shop.call('POST', '/api/invoices', { token, body: { amount, currency: 'USD' }, headers: { 'Idempotency-Key': key } });
    const kept = await sale('flood-sale-1', 1500);
    expect(kept.status).toBe(201);
    const cancelled = (await sale('flood-sale-2', 700)).body.id as string;
    expect((await shop.call('POST', `/api/invoices/${cancelled}/cancel`, { token })).body.status).toBe('cancelled');
    // A provider's read budget spent for this slot (6 minutes: the flood falls inside it).
    const budget = new RequestBudget('provider-reads', { limit: 1000, windowMs: 3_600_000, share: 0.75 }, store);
    for (let i = 0; i < budget.perSlot; i++) expect(await budget.tryTake()).toBe(true);
    const held = await securityEntries(store);

    const statuses = new Map<number, number>();
    for (let i = 0; i < FLOOD; i++) {
      if (i % 250 === 0) vi.setSystemTime(NOW + i * 4); // 54,000 requests in 3.6 minutes
      const res = await unlock(demo, undefined, '0000', address(i));
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    // The first strangers are heard (wrong PIN), the rest are refused room (429); nothing is dropped.
    expect([...statuses.keys()].sort()).toEqual([401, 429]);
    expect(statuses.get(401)).toBeLessThanOrEqual(2 * STRANGERS_PER_SLOT);
    expect(store.size - held.size).toBeLessThanOrEqual(MAX_STRANGER_ENTRIES + 10);

    expect(await securityEntries(store)).toEqual(held);
    expect((await unlock(shop, locked.device, PINS.POS_CASHIER_PIN)).status).toBe(429);
    expect((await unlock(demo, undefined, '1234', '198.51.100.99')).status).toBe(429);
    expect((await unlock(shop, counter.device, PINS.POS_MANAGER_PIN)).status).toBe(200);
    expect((await sale('flood-sale-1', 1500)).body.id).toBe(kept.body.id);
    expect((await sale('flood-sale-1', 9999)).status).toBe(409);
    expect(await budget.tryTake()).toBe(false);
    vi.setSystemTime(NOW + FLOOD * 4 + 11_000); // past the recheck: the cancel mark decides, not a cached read
    expect((await shop.call('GET', `/api/invoices/${cancelled}`, { token })).body.status).toBe('cancelled');
  }, 180_000);

  it('wrong pairing codes from thousands of addresses: at most 100 are checked, and the paired tablets carry on', async () => {
    const store = new MemoryStore();
    const shop = lnbitsShop(store);
    const tablet = await pair(shop);
    const before = store.size;
    const statuses = new Map<number, number>();
    for (let i = 0; i < 5_000; i++) {
      const res = await shop.call('POST', '/api/devices/pair', { body: { code: `guess-${i}-0123456789abcdef` }, headers: { 'X-Test-Client': address(i) } });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: PAIR_GLOBAL_MAX_FAILURES, 429: 5_000 - PAIR_GLOBAL_MAX_FAILURES });
    // One counter per address that was heard, and the shop's own.
    expect(store.size - before).toBeLessThanOrEqual(PAIR_GLOBAL_MAX_FAILURES + 2);
    // Even the set-up code waits for the window to pass; a paired tablet never waits.
    expect((await shop.call('POST', '/api/devices/pair', { body: { code: TEST_SETUP_CODE } })).status).toBe(429);
    expect((await unlock(shop, tablet.device, PINS.POS_CASHIER_PIN)).status).toBe(200);
  }, 60_000);
});

describe('A restart of the Node proxy loses nothing that matters', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('a paired tablet is still paired, an un-paired one still refused, an Idempotency-Key still answered with its invoice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-restart-'));
    dirs.push(dir);
    const before = new SqliteStore(dir);
    const first = lnbitsShop(before);
    const [kept, stolen] = [await pair(first), await pair(first)];
    const manager = (await unlock(first, kept.device, PINS.POS_MANAGER_PIN)).body.token as string;
    expect((await first.call('DELETE', `/api/devices/${stolen.id}`, { token: manager })).status).toBe(204);
    const cashier = (await unlock(first, kept.device, PINS.POS_CASHIER_PIN)).body.token as string;
    const created = await first.call('POST', '/api/invoices', { token: cashier, body: { amount: 2500, currency: 'USD' }, headers: { 'Idempotency-Key': 'before-restart' } });
    expect(created.status).toBe(201);
    for (let i = 0; i < 5; i++) await unlock(first, stolen.device, '0000');
    before.close();

    const after = new SqliteStore(dir);
    const second = lnbitsShop(after);
    expect((await second.call('GET', '/api/rate', { token: cashier })).status).toBe(200);
    expect((await unlock(second, kept.device, PINS.POS_CASHIER_PIN)).status).toBe(200);
    const refused = await unlock(second, stolen.device, PINS.POS_CASHIER_PIN);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('device_not_paired');
    const token = await second.login();
    const replay = await second.call('POST', '/api/invoices', { token, body: { amount: 2500, currency: 'USD' }, headers: { 'Idempotency-Key': 'before-restart' } });
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(created.body.id);
    const other = await second.call('POST', '/api/invoices', { token, body: { amount: 9999, currency: 'USD' }, headers: { 'Idempotency-Key': 'before-restart' } });
    expect(other.status).toBe(409);
    after.close();
  });
});
