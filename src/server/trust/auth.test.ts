/**
 * Auth: a PIN becomes a short-lived signed token (cashier 12 h, manager 30 min); every route
 * checks it and the role; wrong PINs lock a client out; nothing works without a valid token.
 * Outside the demo a PIN is only checked from a paired tablet, lockouts belong to that tablet,
 * and sessions end on the server (Lock, un-pairing, a changed PIN).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'hono';
import { sign } from 'hono/jwt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PIN_DAILY_MAX_FAILURES, PinChecker } from '../auth';
import { SqliteStore } from '../sqlite-store';
import type { KeyValueStore, MemoryStore } from '../store';
import { providerProxy, stubProvider, TEST_SECRET, TEST_SETUP_CODE, testProxy, type ProviderProxy } from '../test-support/harness';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');

beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: NOW }));
afterEach(() => vi.useRealTimers());

type Route = [method: string, path: string, role: 'cashier' | 'manager'];
const protectedRoutes: Route[] = [
  ['GET', '/api/rate', 'cashier'],
  ['POST', '/api/invoices', 'cashier'],
  ['GET', '/api/invoices/0123456789abcdef0123456789abcdef', 'cashier'],
  ['POST', '/api/invoices/0123456789abcdef0123456789abcdef/cancel', 'cashier'],
  ['POST', '/api/demo/invoices/0123456789abcdef0123456789abcdef/pay', 'cashier'],
  ['GET', '/api/payments', 'manager'],
  ['GET', '/api/history', 'manager'],
  ['GET', '/api/cashup?date=2026-11-22', 'manager'],
];
const publicRoutes = [
  ['GET', '/api/health'],
  ['GET', '/api/config'],
];

describe('Auth', () => {
  it.each(protectedRoutes)('%s %s needs a token (401 without one)', async (method, path) => {
    const proxy = testProxy();
    const res = await proxy.call(method, path, method === 'POST' ? { body: { amount: 1, currency: 'USD' } } : {});
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it.each(protectedRoutes)('%s %s: roles are enforced', async (method, path, role) => {
    const proxy = testProxy();
    const options = method === 'POST' ? { body: { amount: 1, currency: 'USD' } } : {};
    const cashier = await proxy.call(method, path, { ...options, token: await proxy.login('cashier') });
    const manager = await proxy.call(method, path, { ...options, token: await proxy.login('manager') });
    if (role === 'manager') expect(cashier.status).toBe(403);
    else expect(cashier.status).not.toBe(403);
    expect([401, 403]).not.toContain(manager.status); // a manager may do what a cashier may
  });

  it.each(publicRoutes)('%s %s is open (and tells nothing secret)', async (method, path) => {
    const res = await testProxy().call(method, path);
    expect(res.status).toBe(200);
  });

  it('tokens expire: cashier after 12 hours, manager after 30 minutes', async () => {
    const proxy = testProxy();
    const cashier = await proxy.login('cashier');
    const manager = await proxy.login('manager');
    vi.setSystemTime(NOW + 29 * 60_000);
    expect((await proxy.call('GET', '/api/history', { token: manager })).status).toBe(200);
    vi.setSystemTime(NOW + 31 * 60_000);
    expect((await proxy.call('GET', '/api/history', { token: manager })).status).toBe(401);
    expect((await proxy.call('GET', '/api/rate', { token: cashier })).status).toBe(200);
    vi.setSystemTime(NOW + 12 * 3600_000 + 1000);
    expect((await proxy.call('GET', '/api/rate', { token: cashier })).status).toBe(401);
  });

  it.each([
    ['signed with another secret', () => sign({ role: 'manager', iat: NOW / 1000, exp: NOW / 1000 + 60 }, 'x'.repeat(40), 'HS256')],
    ['with alg none', () => Promise.resolve(`${btoa('{"alg":"none","typ":"JWT"}')}.${btoa(`{"role":"manager","exp":${NOW / 1000 + 60}}`)}.`)],
    ['with a role it invented', () => sign({ role: 'owner', iat: NOW / 1000, exp: NOW / 1000 + 60 }, TEST_SECRET, 'HS256')],
    ['without an expiry', () => sign({ role: 'manager', iat: NOW / 1000 }, TEST_SECRET, 'HS256')],
    ['issued in the future', () => sign({ role: 'manager', iat: NOW / 1000 + 3600, exp: NOW / 1000 + 7200 }, TEST_SECRET, 'HS256')],
    ['signed with HS512', () => sign({ role: 'manager', iat: NOW / 1000, exp: NOW / 1000 + 60 }, TEST_SECRET, 'HS512')],
  ])('refuses a token %s', async (_name, make) => {
    const res = await testProxy().call('GET', '/api/history', { token: await make() });
    expect(res.status).toBe(401);
  });

  it('a restart with a new demo secret ends every session (the tablet unlocks again)', async () => {
    const first = testProxy({ POS_SESSION_SECRET: 'a'.repeat(32) });
    const token = await first.login();
    const second = testProxy({ POS_SESSION_SECRET: 'b'.repeat(32) });
    expect((await second.call('GET', '/api/rate', { token })).status).toBe(401);
  });

  it('5 wrong PINs lock the client out for 5 minutes, even for the right PIN (429 with Retry-After)', async () => {
    const proxy = testProxy();
    for (let i = 0; i < 5; i++) expect((await proxy.call('POST', '/api/session', { body: { pin: '0000' } })).status).toBe(401);
    const locked = await proxy.call('POST', '/api/session', { body: { pin: '9999' } });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_attempts');
    expect(locked.headers.get('Retry-After')).toBe('300');
    vi.setSystemTime(NOW + 5 * 60_000 + 1);
    expect((await proxy.call('POST', '/api/session', { body: { pin: '9999' } })).status).toBe(200);
  });

  it('compares PINs without short-circuiting: both PINs are checked every time', async () => {
    // The comparison is HMAC-verify (constant time) against both PINs; a prefix of a PIN is no closer.
    const proxy = testProxy({ POS_CASHIER_PIN: '123456', POS_MANAGER_PIN: '654321' });
    for (const guess of ['123455', '12345', '1234567', '654320']) {
      expect((await proxy.call('POST', '/api/session', { body: { pin: guess } })).body.error.code).toBe('invalid_pin');
    }
  });
});

// ------------------------------------------------------------------ pairing and sessions that end

const SHOP_PINS = { POS_CASHIER_PIN: '2468', POS_MANAGER_PIN: '975310' };

/** A shop on a real provider (stubbed): PINs are checked only from paired tablets. */
function shop(clientId: (c: Context) => string = () => '203.0.113.7', env: Record<string, string> = {}, store?: KeyValueStore) {
  const rate = { currency: 'USD', satsPerUnit: 1000, btcPrice: 100_000, source: 'lnbits' as const, at: new Date(NOW).toISOString() };
  return providerProxy(
    { POS_PROVIDER: 'lnbits', ...SHOP_PINS, ...env },
    { provider: stubProvider({ id: 'lnbits', rate: () => Promise.resolve(rate) }), clientId, ...(store ? { store } : {}) },
  );
}

async function pairTablet(proxy: ProviderProxy, name = 'Front counter'): Promise<{ id: string; device: string }> {
  const res = await proxy.call('POST', '/api/devices/pair', { body: { code: TEST_SETUP_CODE, name } });
  expect(res.status).toBe(200);
  return res.body;
}

const unlockOn = (proxy: ProviderProxy, device: string | undefined, pin: string) =>
  proxy.call('POST', '/api/session', { body: { pin }, ...(device ? { headers: { 'X-POS-Device': device } } : {}) });

describe('Pairing: no PIN is checked from a browser the shop has not paired', () => {
  it('tells an unpaired browser so (401 device_not_paired) and checks nothing, whatever PIN it sends', async () => {
    const proxy = shop();
    const check = vi.spyOn(PinChecker.prototype, 'ownerOf');
    for (const device of [undefined, 'garbage', `${'A'.repeat(22)}.${'B'.repeat(43)}`]) {
      const res = await unlockOn(proxy, device, SHOP_PINS.POS_CASHIER_PIN);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('device_not_paired');
    }
    expect(check).not.toHaveBeenCalled();
    check.mockRestore();
    const tablet = await pairTablet(proxy);
    expect((await unlockOn(proxy, tablet.device, SHOP_PINS.POS_CASHIER_PIN)).body.role).toBe('cashier');
    // A credential is only good with its own signature.
    const [id] = tablet.device.split('.');
    expect((await unlockOn(proxy, `${id}.${'x'.repeat(43)}`, SHOP_PINS.POS_CASHIER_PIN)).body.error.code).toBe('device_not_paired');
  });

  it('a distributed guess — every 4-digit PIN, each from its own address, rotated through a trusted X-Forwarded-For — checks no PIN and stores nothing', async () => {
    // As behind a reverse proxy with POS_TRUST_PROXY=1 (entries/node.ts): the client is the last hop named.
    const proxy = shop((c) => c.req.header('X-Forwarded-For')?.split(',').pop()?.trim() ?? 'proxy', { POS_TRUST_PROXY: '1' });
    const store = proxy.store as MemoryStore;
    await proxy.call('GET', '/api/health');
    const before = store.size;
    const check = vi.spyOn(PinChecker.prototype, 'ownerOf');
    const statuses = new Map<number, number>();
    for (let pin = 0; pin < 10_000; pin++) {
      const address = `10.${(pin >> 16) & 255}.${(pin >> 8) & 255}.${pin & 255}`;
      const res = await proxy.call('POST', '/api/session', { body: { pin: String(pin).padStart(4, '0') }, headers: { 'X-Forwarded-For': `198.51.100.1, ${address}` } });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    expect([...statuses]).toEqual([[401, 10_000]]);
    expect(check).not.toHaveBeenCalled();
    check.mockRestore();
    expect(store.size).toBe(before);
  }, 60_000);

  it('a flood of wrong PINs and wrong codes from the shop’s own address does not stop its paired tablets', async () => {
    const proxy = shop(() => '203.0.113.7'); // every tablet and the attacker behind one NAT
    const tablet = await pairTablet(proxy);
    for (let i = 0; i < 500; i++) expect((await unlockOn(proxy, undefined, String(1000 + i))).status).toBe(401);
    const codes = [];
    for (let i = 0; i < 50; i++) codes.push((await proxy.call('POST', '/api/devices/pair', { body: { code: `wrong-code-${i}` } })).status);
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(codes.slice(10)).toEqual(Array(40).fill(429));
    expect((await unlockOn(proxy, tablet.device, SHOP_PINS.POS_CASHIER_PIN)).status).toBe(200);
    expect((await unlockOn(proxy, tablet.device, SHOP_PINS.POS_MANAGER_PIN)).status).toBe(200);
  });

  it('on the demo, wrong PINs lock an address out, but not a tablet paired there', async () => {
    const proxy = testProxy({}, { clientId: () => '203.0.113.7' });
    const manager = await proxy.login('manager');
    const code = (await proxy.call('POST', '/api/devices/codes', { token: manager })).body.code as string;
    const tablet = (await proxy.call('POST', '/api/devices/pair', { body: { code } })).body.device as string;
    for (let i = 0; i < 5; i++) await unlockOn(proxy, undefined, '0000');
    expect((await unlockOn(proxy, undefined, '1234')).status).toBe(429);
    expect((await unlockOn(proxy, tablet, '1234')).status).toBe(200);
  });
});

describe('Lockouts belong to a paired tablet', () => {
  it('5 wrong PINs lock that tablet for 5 minutes; another tablet is not affected', async () => {
    const proxy = shop();
    const [a, b] = [await pairTablet(proxy, 'A'), await pairTablet(proxy, 'B')];
    for (let left = 4; left >= 0; left--) expect((await unlockOn(proxy, a.device, '0000')).body.error.details.attemptsLeft).toBe(left);
    const locked = await unlockOn(proxy, a.device, SHOP_PINS.POS_CASHIER_PIN);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('Retry-After')).toBe('300');
    expect((await unlockOn(proxy, b.device, SHOP_PINS.POS_CASHIER_PIN)).status).toBe(200);
    vi.setSystemTime(NOW + 5 * 60_000 + 1);
    expect((await unlockOn(proxy, a.device, SHOP_PINS.POS_CASHIER_PIN)).status).toBe(200);
  });

  it('10 wrong PINs in a day lock a tablet for the rest of the day, until a manager clears it', async () => {
    const proxy = shop();
    const [tablet, office] = [await pairTablet(proxy, 'Counter'), await pairTablet(proxy, 'Office')];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5; i++) expect((await unlockOn(proxy, tablet.device, '0000')).status).toBe(401);
      vi.setSystemTime(Date.now() + 5 * 60_000 + 1);
    }
    const locked = await unlockOn(proxy, tablet.device, SHOP_PINS.POS_CASHIER_PIN);
    expect(locked.status).toBe(429);
    expect(locked.body.error.message).toMatch(/today/);
    expect(Number(locked.headers.get('Retry-After'))).toBeGreaterThan(3600);

    const manager = (await unlockOn(proxy, office.device, SHOP_PINS.POS_MANAGER_PIN)).body.token as string;
    const listed = await proxy.call('GET', '/api/devices', { token: manager });
    expect(listed.body.data.find((d: { id: string }) => d.id === tablet.id).lockedUntil).toBe('2026-11-23T00:00:00.000Z');
    expect(listed.body.data.find((d: { id: string }) => d.id === office.id)).toMatchObject({ current: true, lockedUntil: null });
    expect((await proxy.call('DELETE', `/api/devices/${tablet.id}/lockout`, { token: manager })).status).toBe(204);
    expect((await unlockOn(proxy, tablet.device, SHOP_PINS.POS_CASHIER_PIN)).status).toBe(200);
  });

  it('measured: a tablet guessing as fast as it is let (on every Retry-After) gets 10 wrong PINs checked a day', async () => {
    const proxy = shop();
    const tablet = await pairTablet(proxy);
    const days = 100;
    const end = NOW + days * 24 * 3600_000;
    let checked = 0;
    for (let at = NOW; at < end; ) {
      vi.setSystemTime(at);
      const res = await unlockOn(proxy, tablet.device, '0000');
      if (res.status === 401) checked++;
      else expect(res.status).toBe(429);
      at += res.status === 429 ? Number(res.headers.get('Retry-After')) * 1000 : 1;
    }
    // Days are counted from midnight UTC: 100 days from 10:00 touch 101 of them.
    expect(checked).toBe((days + 1) * PIN_DAILY_MAX_FAILURES);
    // Finding a 4-digit PIN takes half of its 10,000 values on average: 500 days at that pace.
    expect(10_000 / 2 / PIN_DAILY_MAX_FAILURES).toBeGreaterThanOrEqual(365);
  }, 60_000);
});

describe('Sessions end on the server', () => {
  it('un-pairing a tablet ends its sessions and refuses its next unlock', async () => {
    const proxy = shop();
    const [tablet, office] = [await pairTablet(proxy, 'Stolen'), await pairTablet(proxy, 'Office')];
    const cashier = (await unlockOn(proxy, tablet.device, SHOP_PINS.POS_CASHIER_PIN)).body.token as string;
    const manager = (await unlockOn(proxy, office.device, SHOP_PINS.POS_MANAGER_PIN)).body.token as string;
    expect((await proxy.call('GET', '/api/rate', { token: cashier })).status).toBe(200);
    expect((await proxy.call('DELETE', `/api/devices/${tablet.id}`, { token: manager })).status).toBe(204);
    expect((await proxy.call('GET', '/api/rate', { token: cashier })).status).toBe(401);
    expect((await unlockOn(proxy, tablet.device, SHOP_PINS.POS_CASHIER_PIN)).body.error.code).toBe('device_not_paired');
    expect((await proxy.call('GET', '/api/rate', { token: manager })).status).toBe(200);
  });

  it('one session per tablet and role: unlocking again ends the one before', async () => {
    const proxy = shop();
    const tablet = await pairTablet(proxy);
    const first = (await unlockOn(proxy, tablet.device, SHOP_PINS.POS_CASHIER_PIN)).body.token as string;
    const second = (await unlockOn(proxy, tablet.device, SHOP_PINS.POS_CASHIER_PIN)).body.token as string;
    expect((await proxy.call('GET', '/api/rate', { token: first })).status).toBe(401);
    expect((await proxy.call('GET', '/api/rate', { token: second })).status).toBe(200);
  });

  it('a changed or retired PIN ends the sessions it opened, also across a restart; the other role’s stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-auth-'));
    try {
      const before = new SqliteStore(dir);
      const proxy = shop(undefined, {}, before);
      const tablet = await pairTablet(proxy);
      const cashier = (await unlockOn(proxy, tablet.device, SHOP_PINS.POS_CASHIER_PIN)).body.token as string;
      const manager = (await unlockOn(proxy, tablet.device, SHOP_PINS.POS_MANAGER_PIN)).body.token as string;
      before.close();

      // The same configuration after a restart: nothing ends.
      const same = new SqliteStore(dir);
      const restarted = shop(undefined, {}, same);
      expect((await restarted.call('GET', '/api/rate', { token: cashier })).status).toBe(200);
      same.close();

      // The cashier PIN changed: its sessions end, the manager's do not.
      const after = new SqliteStore(dir);
      const changed = shop(undefined, { POS_CASHIER_PIN: '1357' }, after);
      expect((await changed.call('GET', '/api/rate', { token: cashier })).status).toBe(401);
      expect((await changed.call('GET', '/api/rate', { token: manager })).status).toBe(200);
      expect((await unlockOn(changed, tablet.device, '1357')).status).toBe(200);
      after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
