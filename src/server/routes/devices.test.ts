import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_DEVICES, normalizePairingCode, PAIR_CLIENT_MAX_FAILURES } from '../devices';
import { providerProxy, stubProvider, TEST_SETUP_CODE } from '../test-support/harness';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');

beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: NOW }));
afterEach(() => vi.useRealTimers());

function shop() {
  let client = '203.0.113.7';
  const proxy = providerProxy(
    { POS_PROVIDER: 'lnbits', POS_CASHIER_PIN: '2468', POS_MANAGER_PIN: '975310' },
    { provider: stubProvider({ id: 'lnbits' }), clientId: () => client },
  );
  const pair = (code: string, name?: string) => proxy.call('POST', '/api/devices/pair', { body: { code, ...(name ? { name } : {}) } });
  return { ...proxy, pair, from: (address: string) => (client = address) };
}

describe('POST /api/devices/pair', () => {
  it('pairs with the set-up code, as many tablets as the shop has, each with its own credential', async () => {
    const { pair } = shop();
    const first = await pair(TEST_SETUP_CODE, 'Front counter');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      device: expect.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/),
      id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      name: 'Front counter',
      pairedAt: '2026-11-22T10:00:00.000Z',
    });
    const second = await pair(`  ${TEST_SETUP_CODE} `);
    expect(second.body.name).toMatch(/^Tablet [A-Z0-9_-]{4}$/);
    expect(second.body.id).not.toBe(first.body.id);
  });

  it('refuses anything else with 401 invalid_code', async () => {
    const { pair } = shop();
    for (const code of [TEST_SETUP_CODE.slice(0, -1), TEST_SETUP_CODE.toUpperCase(), 'ABCDE-FGHJK']) {
      const res = await pair(code);
      expect(res.status, code).toBe(401);
      expect(res.body.error.code).toBe('invalid_code');
    }
  });

  it('a one-time code from a manager pairs one tablet, once, within 15 minutes', async () => {
    const { pair, call, login, from } = shop();
    const manager = await login('manager');
    const made = await call('POST', '/api/devices/codes', { token: manager });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({ code: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/), expiresAt: '2026-11-22T10:15:00.000Z' });
    // Typed as a person would: lower case, spaces, O for 0.
    const typed = made.body.code.toLowerCase().replace('-', ' ').replace(/0/g, 'o');
    from('198.51.100.4');
    expect((await pair(typed, 'Patio')).body.name).toBe('Patio');
    expect((await pair(made.body.code)).status).toBe(401);

    const late = (await call('POST', '/api/devices/codes', { token: manager })).body.code as string;
    vi.setSystemTime(NOW + 15 * 60_000 + 1);
    expect((await pair(late)).status).toBe(401);
  });

  it('two tablets typing the same code at once: one is paired, the other refused', async () => {
    const { pair, call, login } = shop();
    const code = (await call('POST', '/api/devices/codes', { token: await login('manager') })).body.code as string;
    const results = await Promise.all([pair(code), pair(code), pair(code)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
  });

  it('allows 10 wrong codes per client in 15 minutes; counts an IPv6 /64 as one client; a right code costs nothing', async () => {
    const { pair, from } = shop();
    from('2001:db8:1:2::1');
    for (let i = 0; i < 3; i++) expect((await pair(TEST_SETUP_CODE)).status).toBe(200);
    for (let i = 0; i < PAIR_CLIENT_MAX_FAILURES; i++) {
      from(`2001:db8:1:2:${i.toString(16)}::${i}`); // rotating through one's own /64
      expect((await pair(`wrong-code-number-${i}`)).status).toBe(401);
    }
    const limited = await pair(TEST_SETUP_CODE);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_attempts');
    expect(limited.headers.get('Retry-After')).toBe('900');
    from('2001:db8:1:3::1'); // the next /64 is another client
    expect((await pair(TEST_SETUP_CODE)).status).toBe(200);
    from('2001:db8:1:2::1');
    vi.setSystemTime(NOW + 15 * 60_000);
    expect((await pair(TEST_SETUP_CODE)).status).toBe(200);
  });

  it(`stops at ${MAX_DEVICES} paired tablets (409) instead of growing without end`, async () => {
    const { pair, call, login } = shop();
    const manager = await login('manager'); // the harness's own tablet is the first
    for (let i = 1; i < MAX_DEVICES; i++) expect((await pair(TEST_SETUP_CODE)).status).toBe(200);
    expect((await pair(TEST_SETUP_CODE)).status).toBe(409);
    const list = (await call('GET', '/api/devices', { token: manager })).body.data as { id: string; current: boolean }[];
    expect(list).toHaveLength(MAX_DEVICES);
    expect((await call('DELETE', `/api/devices/${list.find((d) => !d.current)!.id}`, { token: manager })).status).toBe(204);
    expect((await pair(TEST_SETUP_CODE)).status).toBe(200);
  });
});

describe('the manager’s device controls', () => {
  it('are for a manager only', async () => {
    const { call, login } = shop();
    const cashier = await login('cashier');
    for (const [method, path] of [
      ['GET', '/api/devices'],
      ['POST', '/api/devices/codes'],
      ['POST', '/api/devices/sign-out'],
      ['DELETE', '/api/devices/AAAAAAAAAAAAAAAAAAAAAA'],
      ['DELETE', '/api/devices/AAAAAAAAAAAAAAAAAAAAAA/lockout'],
    ] as const) {
      expect((await call(method, path)).status, path).toBe(401);
      expect((await call(method, path, { token: cashier })).status, path).toBe(403);
    }
  });

  it('list every paired tablet with its name, when it was paired and last seen, and which one is asking', async () => {
    const { call, login, pair } = shop();
    const manager = await login('manager');
    vi.setSystemTime(NOW + 60_000);
    const other = (await pair(TEST_SETUP_CODE, 'Patio')).body;
    const list = await call('GET', '/api/devices', { token: manager });
    expect(list.body.data).toEqual([
      { id: expect.any(String), name: 'Test tablet', pairedAt: '2026-11-22T10:00:00.000Z', lastSeenAt: '2026-11-22T10:01:00.000Z', lockedUntil: null, current: true },
      { id: other.id, name: 'Patio', pairedAt: '2026-11-22T10:01:00.000Z', lastSeenAt: null, lockedUntil: null, current: false },
    ]);
  });

  it('answer 404 for a tablet that is not paired', async () => {
    const { call, login } = shop();
    const manager = await login('manager');
    expect((await call('DELETE', '/api/devices/AAAAAAAAAAAAAAAAAAAAAA', { token: manager })).status).toBe(404);
    expect((await call('DELETE', '/api/devices/AAAAAAAAAAAAAAAAAAAAAA/lockout', { token: manager })).status).toBe(404);
  });
});

describe('normalizePairingCode', () => {
  it.each([
    ['ABCDE-FGHJK', 'ABCDEFGHJK'],
    ['abcde fghjk', 'ABCDEFGHJK'],
    ['O1L0I-22222', '01101' + '22222'],
    ['ABCDE-FGHJ', null],
    ['ABCDE-FGHJU', null],
    ['a-setup-code-of-twenty', null],
  ])('%s → %s', (typed, code) => {
    expect(normalizePairingCode(typed)).toBe(code);
  });
});
