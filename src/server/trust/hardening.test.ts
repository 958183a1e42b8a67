/**
 * HTTP hardening: security headers on every response, no CORS, a 16 KiB body limit, a limit on
 * how many invoices one client may create in a minute, and answers only to the POS's own host
 * names (DNS rebinding).
 */
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../app';
import { parseConfig } from '../config';
import { silentLogger } from '../log';
import { createProvider } from '../providers/registry';
import { MemoryStore } from '../store';
import { testProxy } from '../test-support/harness';

const NOW = Date.parse('2026-11-22T10:00:30.000Z');
beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: NOW }));
afterEach(() => vi.useRealTimers());

function expectHardened(headers: Headers, what: string) {
  const csp = headers.get('Content-Security-Policy') ?? '';
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toContain("script-src 'self'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).not.toContain('unsafe-inline');
  expect(csp, what).not.toContain('unsafe-eval');
  expect(headers.get('X-Content-Type-Options'), what).toBe('nosniff');
  expect(headers.get('Referrer-Policy'), what).toBe('no-referrer');
  expect(headers.get('X-Frame-Options'), what).toBe('DENY');
  expect(headers.get('Access-Control-Allow-Origin'), what).toBeNull();
}

describe('HTTP hardening', () => {
  it('security headers on every kind of response: success, error, 404 and the SPA', async () => {
    const store = new MemoryStore();
    const config = parseConfig({});
    const { provider, demo } = createProvider(config, {}, { store });
    const spa = new Hono().get('*', (c) => c.html('<!doctype html><title>POS</title>'));
    const app = createApp({ config, provider, ...(demo ? { demo } : {}), store, log: silentLogger, assets: async (c) => spa.fetch(c.req.raw) });
    for (const [path, init] of [
      ['/api/health', {}],
      ['/api/config', {}],
      ['/api/rate', {}],
      ['/api/nowhere', {}],
      ['/api/session', { method: 'POST', body: 'x', headers: { 'Content-Type': 'application/json' } }],
      ['/', {}],
      ['/checkout/abc', {}],
    ] as const) {
      const res = await app.request(path, init);
      expectHardened(res.headers, path);
    }
  });

  it('no CORS: another origin gets no permission to read, and a preflight is refused', async () => {
    const proxy = testProxy();
    const token = await proxy.login();
    const read = await proxy.app.request('/api/rate', { headers: { Origin: 'https://evil.example', Authorization: `Bearer ${token}` } });
    expect(read.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(read.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    const preflight = await proxy.app.request('/api/session', { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toBeNull();
  });

  it('refuses bodies over 16 KiB with 413, whatever the route', async () => {
    const proxy = testProxy();
    const token = await proxy.login();
    for (const path of ['/api/session', '/api/invoices', '/api/webhooks/demo']) {
      const res = await proxy.call('POST', path, { token, rawBody: JSON.stringify({ pad: 'x'.repeat(16 * 1024) }), headers: { 'Content-Type': 'application/json' } });
      expect(res.status, path).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    }
    const fits = await proxy.call('POST', '/api/invoices', { token, rawBody: JSON.stringify({ amount: 1, currency: 'USD', pad: 'x'.repeat(15 * 1024) }), headers: { 'Content-Type': 'application/json' } });
    expect(fits.status).toBe(201);
  });

  it('limits invoice creation per client and minute (429 rate_limited with Retry-After)', async () => {
    let client = 'tablet-1';
    const proxy = testProxy({ POS_CREATE_LIMIT: '5' }, { clientId: () => client });
    const token = await proxy.login();
    const create = () => proxy.call('POST', '/api/invoices', { token, body: { amount: 100, currency: 'USD' } });
    for (let i = 0; i < 5; i++) expect((await create()).status).toBe(201);
    const limited = await create();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.headers.get('Retry-After')).toBe('30');
    expect(proxy.demo.all()).toHaveLength(5);
    client = 'tablet-2';
    expect((await create()).status).toBe(201); // another tablet is not affected
    client = 'tablet-1';
    vi.setSystemTime(NOW + 30_000);
    expect((await create()).status).toBe(201); // a new minute
  });
});

describe('Host allow-list (DNS rebinding)', () => {
  it('answers its loopback names and refuses any other, API and SPA alike (421)', async () => {
    const proxy = testProxy();
    for (const host of ['localhost', '127.0.0.1', '[::1]', 'localhost:3000', '127.0.0.1:3210']) {
      expect((await proxy.app.request(`http://${host}/api/health`)).status, host).toBe(200);
    }
    // A page on attacker.example whose name now resolves to 127.0.0.1 sends its own name as Host.
    for (const path of ['/api/health', '/api/session', '/']) {
      const res = await proxy.app.request(`http://attacker.example:3000${path}`, { headers: { Host: 'attacker.example:3000' } });
      expect(res.status, path).toBe(421);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('misdirected_request');
      expectHardened(res.headers, path);
    }
  });

  it('answers the names POS_ALLOWED_HOSTS lists (and the public URL’s), or any with *', async () => {
    const listed = testProxy({ POS_ALLOWED_HOSTS: 'pos.local,192.168.1.20', POS_PUBLIC_URL: 'https://pos.example.com' });
    expect((await listed.app.request('http://pos.local/api/health')).status).toBe(200);
    expect((await listed.app.request('http://192.168.1.20:3000/api/health')).status).toBe(200);
    expect((await listed.app.request('http://localhost/api/health')).status).toBe(421);
    expect((await testProxy({ POS_PUBLIC_URL: 'https://pos.example.com' }).app.request('https://pos.example.com/api/health')).status).toBe(200);
    expect((await testProxy({ POS_ALLOWED_HOSTS: '*' }).app.request('http://anything.example/api/health')).status).toBe(200);
  });
});
