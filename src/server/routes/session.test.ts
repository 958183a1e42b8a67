import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sign } from 'hono/jwt';
import { TEST_SECRET, testProxy } from '../test-support/harness';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');

beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: NOW }));
afterEach(() => vi.useRealTimers());

describe('POST /api/session', () => {
  it('gives a cashier token for 12 hours', async () => {
    const { call } = testProxy();
    const res = await call('POST', '/api/session', { body: { pin: '1234' } });
    expect(res.status).toBe(200);
    // The single cashier PIN of a shop without POS_CASHIERS is one cashier without a name.
    expect(res.body).toEqual({
      token: expect.any(String),
      role: 'cashier',
      expiresAt: '2026-11-22T22:00:00.000Z',
      cashier: { id: expect.stringMatching(/^[0-9a-f]{8}$/), name: '' },
    });
  });

  it('gives a manager token for 30 minutes', async () => {
    const { call } = testProxy();
    const res = await call('POST', '/api/session', { body: { pin: '9999' } });
    expect(res.body).toMatchObject({ role: 'manager', expiresAt: '2026-11-22T10:30:00.000Z' });
  });

  it('uses the configured PINs, not the demo ones', async () => {
    const { call } = testProxy({ POS_CASHIER_PIN: '246810', POS_MANAGER_PIN: '13579' });
    expect((await call('POST', '/api/session', { body: { pin: '1234' } })).status).toBe(401);
    expect((await call('POST', '/api/session', { body: { pin: '246810' } })).body.role).toBe('cashier');
    expect((await call('POST', '/api/session', { body: { pin: '13579' } })).body.role).toBe('manager');
  });

  it('refuses a wrong PIN with 401 invalid_pin and the attempts left', async () => {
    const { call } = testProxy();
    const res = await call('POST', '/api/session', { body: { pin: '0000' } });
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: 'invalid_pin', message: 'Wrong PIN. Please try again.', details: { attemptsLeft: 4 } });
  });

  it.each([
    ['no body', undefined, 'body'],
    ['no pin', {}, 'pin'],
    ['a number', { pin: 1234 }, 'pin'],
    ['too short', { pin: '123' }, 'pin'],
    ['too long', { pin: '1234567890123' }, 'pin'],
    ['letters', { pin: '12ab' }, 'pin'],
  ])('answers 400 for %s', async (_name, body, field) => {
    const { call } = testProxy();
    const res = await call('POST', '/api/session', body === undefined ? { headers: { 'Content-Type': 'application/json' }, rawBody: '' } : { body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(Object.keys(res.body.error.details)).toContain(field);
  });

  it('locks a client out after 5 wrong PINs, even for the right PIN, for 5 minutes', async () => {
    const { call } = testProxy();
    for (let i = 4; i >= 0; i--) {
      const res = await call('POST', '/api/session', { body: { pin: '0000' } });
      expect(res.status).toBe(401);
      expect(res.body.error.details.attemptsLeft).toBe(i);
    }
    const locked = await call('POST', '/api/session', { body: { pin: '1234' } });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_attempts');
    expect(Number(locked.headers.get('Retry-After'))).toBe(300);

    vi.setSystemTime(NOW + 4 * 60_000);
    expect((await call('POST', '/api/session', { body: { pin: '1234' } })).status).toBe(429);
    vi.setSystemTime(NOW + 5 * 60_000 + 1);
    expect((await call('POST', '/api/session', { body: { pin: '1234' } })).status).toBe(200);
  });

  it('counts per client: another tablet is not locked out', async () => {
    let client = 'tablet-a';
    const { call } = testProxy({}, { clientId: () => client });
    for (let i = 0; i < 5; i++) await call('POST', '/api/session', { body: { pin: '0000' } });
    expect((await call('POST', '/api/session', { body: { pin: '1234' } })).status).toBe(429);
    client = 'tablet-b';
    expect((await call('POST', '/api/session', { body: { pin: '1234' } })).status).toBe(200);
  });

  it('lets no more than 5 guesses through a parallel burst', async () => {
    const { call } = testProxy();
    const guesses = Array.from({ length: 40 }, (_, i) => String(1000 + i * 7).padStart(4, '0'));
    const results = await Promise.all(guesses.map((pin) => call('POST', '/api/session', { body: { pin } })));
    const checked = results.filter((r) => r.status === 401 || r.status === 200);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(35);
  });

  it('does not count right PINs against the limit', async () => {
    const { call } = testProxy();
    for (let i = 0; i < 20; i++) expect((await call('POST', '/api/session', { body: { pin: '1234' } })).status).toBe(200);
    expect((await call('POST', '/api/session', { body: { pin: '0000' } })).body.error.details.attemptsLeft).toBe(4);
  });
});

describe('session tokens', () => {
  it('are required by cashier routes', async () => {
    const { call } = testProxy();
    const res = await call('GET', '/api/rate');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['a JWT signed with another secret', 'other'],
    ['an expired token', 'expired'],
    ['a token with an unknown role', 'role'],
  ])('refuses %s', async (_name, kind) => {
    const { call } = testProxy();
    const iat = Math.floor(NOW / 1000);
    const token =
      kind === 'other'
        ? await sign({ role: 'manager', iat, exp: iat + 60 }, 'another-secret-another-secret-1234', 'HS256')
        : kind === 'expired'
          ? await sign({ role: 'manager', iat: iat - 7200, exp: iat - 60 }, TEST_SECRET, 'HS256')
          : kind === 'role'
            ? await sign({ role: 'owner', iat, exp: iat + 60 }, TEST_SECRET, 'HS256')
            : kind;
    const res = await call('GET', '/api/rate', { token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('expire: a cashier token works for 12 hours, then 401', async () => {
    const { call, login } = testProxy();
    const token = await login('cashier');
    vi.setSystemTime(NOW + 12 * 3600_000 - 1000);
    expect((await call('GET', '/api/rate', { token })).status).toBe(200);
    vi.setSystemTime(NOW + 12 * 3600_000 + 1000);
    expect((await call('GET', '/api/rate', { token })).status).toBe(401);
  });

  it('are only good with the secret that signed them, even once another proxy has seen them', async () => {
    const first = testProxy({ POS_SESSION_SECRET: 'first-session-secret-0123456789abcdef' });
    const second = testProxy({ POS_SESSION_SECRET: 'other-session-secret-0123456789abcdef' });
    const token = await first.login('cashier');
    expect((await first.call('GET', '/api/rate', { token })).status).toBe(200);
    expect((await second.call('GET', '/api/rate', { token })).status).toBe(401);
    expect((await first.call('GET', '/api/rate', { token })).status).toBe(200);
  });

  it('from the manager PIN may do what a cashier may', async () => {
    const { call, login } = testProxy();
    expect((await call('GET', '/api/rate', { token: await login('manager') })).status).toBe(200);
  });
});
