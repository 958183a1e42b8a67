/**
 * Auth: a PIN becomes a short-lived signed token (cashier 12 h, manager 30 min); every route
 * checks it and the role; wrong PINs lock a client out; nothing works without a valid token.
 */
import { sign } from 'hono/jwt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_SECRET, testProxy } from '../test-support/harness';

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
