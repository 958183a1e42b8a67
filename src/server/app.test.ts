import { describe, expect, it } from 'vitest';
import { testProxy, TEST_SECRET } from './test-support/harness';

describe('GET /api/health', () => {
  it('says which provider is in use', async () => {
    const res = await testProxy().call('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, provider: 'demo' });
  });
});

describe('GET /api/config', () => {
  it('tells the SPA what it needs to start, with the demo PINs as a hint', async () => {
    const res = await testProxy({ POS_CURRENCY: 'EUR', POS_TIMEZONE: 'Europe/Berlin', POS_STORE_NAME: 'Café Nord' }).call('GET', '/api/config');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      provider: 'demo',
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      storeName: 'Café Nord',
      demo: true,
      demoPins: { cashier: '1234', manager: '9999' },
      maxInvoiceSats: 10_000_000,
      pairingRequired: false,
      tipPercents: [10, 15, 20],
      capabilities: { renewsQr: false },
    });
  });

  it('tells the tip presets and the store address as configured', async () => {
    const res = await testProxy({ POS_TIPS: '5, 12,8', POS_STORE_ADDRESS: '1 Main St, Springfield' }).call('GET', '/api/config');
    expect(res.body).toMatchObject({ tipPercents: [5, 8, 12], storeAddress: '1 Main St, Springfield' });
    expect((await testProxy({ POS_TIPS: 'off' }).call('GET', '/api/config')).body.tipPercents).toEqual([]);
  });

  it('says the store’s language only when POS_LANGUAGE sets one', async () => {
    expect((await testProxy({ POS_LANGUAGE: 'de' }).call('GET', '/api/config')).body.language).toBe('de');
    expect((await testProxy({}).call('GET', '/api/config')).body).not.toHaveProperty('language');
  });

  it('never shows PINs an operator has set', async () => {
    const res = await testProxy({ POS_CASHIER_PIN: '5555', POS_MANAGER_PIN: '7777' }).call('GET', '/api/config');
    expect(res.body.demoPins).toBeUndefined();
    expect(res.text).not.toContain('5555');
    expect(res.text).not.toContain('7777');
  });
});

describe('GET /api/rate', () => {
  it('gives the demo price and keeps it for a minute', async () => {
    const proxy = testProxy({ DEMO_BTC_PRICE: '97123.45' });
    const token = await proxy.login();
    const first = await proxy.call('GET', '/api/rate', { token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ currency: 'USD', btcPrice: 97123.45, source: 'demo' });
    expect(first.body.satsPerUnit).toBeCloseTo(1029.6, 1);
    expect((await proxy.call('GET', '/api/rate', { token })).body.at).toBe(first.body.at);
  });

  it('is 1 sat per unit in a SAT store', async () => {
    const proxy = testProxy({ POS_CURRENCY: 'SAT' });
    const res = await proxy.call('GET', '/api/rate', { token: await proxy.login() });
    expect(res.body).toMatchObject({ currency: 'SAT', satsPerUnit: 1 });
  });
});

describe('every response', () => {
  it('carries the security headers', async () => {
    const res = await testProxy().call('GET', '/api/health');
    expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(res.headers.get('Content-Security-Policy')).not.toContain('unsafe-inline');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('lets the SPA register its own service worker and manifest, and allows nothing else beside them', async () => {
    const res = await testProxy().call('GET', '/api/health');
    const policy = Object.fromEntries(
      (res.headers.get('Content-Security-Policy') ?? '').split(';').map((d) => {
        const [name = '', ...sources] = d.trim().split(/\s+/);
        return [name, sources.join(' ')];
      }),
    );
    expect(policy).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'font-src': "'self'",
      'worker-src': "'self'",
      'manifest-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
  });

  it('is JSON with the error shape for unknown routes', async () => {
    const proxy = testProxy();
    for (const [method, path] of [
      ['GET', '/api/nope'],
      ['DELETE', '/api/invoices/abc'],
      ['GET', '/api'],
      ['PUT', '/api/session'],
    ] as const) {
      const res = await proxy.call(method, path, { token: await proxy.login() });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
      expect(res.headers.get('Content-Type')).toContain('application/json');
    }
  });
});

describe('request bodies', () => {
  it('must be JSON (415)', async () => {
    const proxy = testProxy();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      const res = await proxy.call('POST', '/api/session', { rawBody: '{"pin":"1234"}', headers: { 'Content-Type': type } });
      expect(res.status, type).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
    }
    const none = await proxy.call('POST', '/api/session', { rawBody: '{"pin":"1234"}' });
    expect(none.status).toBe(415);
  });

  it('accepts JSON with a charset', async () => {
    const res = await testProxy().call('POST', '/api/session', {
      rawBody: '{"pin":"1234"}',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(res.status).toBe(200);
  });

  it('must be valid JSON (400)', async () => {
    const res = await testProxy().call('POST', '/api/session', { rawBody: '{"pin":', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', details: { body: 'is not valid JSON' } });
  });

  it('may not exceed 16 KiB (413)', async () => {
    const proxy = testProxy();
    const token = await proxy.login();
    const big = { amount: 100, currency: 'USD', padding: 'x'.repeat(16 * 1024) };
    const res = await proxy.call('POST', '/api/invoices', { token, body: big });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(proxy.demo.all()).toHaveLength(0);
  });
});

describe('secrets', () => {
  it('never appear in responses or logs', async () => {
    const proxy = testProxy();
    const token = await proxy.login();
    const texts: string[] = [];
    for (const [method, path, body] of [
      ['GET', '/api/config'],
      ['GET', '/api/health'],
      ['POST', '/api/session', { pin: '0000' }],
      ['POST', '/api/invoices', { amount: 1, currency: 'USD' }],
      ['POST', '/api/invoices', { amount: -1 }],
      ['GET', '/api/invoices/0123'],
      ['GET', '/api/rate'],
    ] as const) {
      texts.push((await proxy.call(method, path, { token, ...(body ? { body } : {}) })).text);
    }
    for (const text of [...texts, ...proxy.logs]) expect(text).not.toContain(TEST_SECRET);
  });
});
