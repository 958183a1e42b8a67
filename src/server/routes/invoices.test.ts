import { UNNAMED_CASHIER_ID } from '../../contract/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodePaymentRequest } from '../bolt11';
import { MemoryStore } from '../store';
import { providerProxy, stubProvider, testProxy } from '../test-support/harness';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const coffees = { amount: 1234, currency: 'USD', memo: '2 coffees' };

beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: NOW }));
afterEach(() => vi.useRealTimers());

async function cashier(env = {}) {
  const proxy = testProxy(env);
  const token = await proxy.login('cashier');
  const create = (body: unknown, headers: Record<string, string> = {}) =>
    proxy.call('POST', '/api/invoices', { token, body, headers });
  return { ...proxy, token, create };
}

describe('POST /api/invoices', () => {
  it('creates an invoice (201) in the shape of docs/api.md', async () => {
    const { create } = await cashier();
    const res = await create({ ...coffees, tip: 100 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      status: 'pending',
      paymentRequest: expect.stringMatching(/^lnbcrt/),
      paymentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      amount: 1234,
      tip: 100,
      currency: 'USD',
      amountSats: 13_340,
      memo: '2 coffees',
      createdAt: '2026-11-22T10:00:00.000Z',
      expiresAt: '2026-11-22T10:10:00.000Z',
      paidAt: null,
      // Extension: who charged it (the one cashier of POS_CASHIER_PIN has no name).
      cashier: { id: UNNAMED_CASHIER_ID, name: '' },
    });
  });

  it('reports amountSats and expiresAt exactly as the BOLT11 has them', async () => {
    const { create } = await cashier({ DEMO_BTC_PRICE: '97123.45', DEMO_INVOICE_EXPIRY: '90' });
    const res = await create({ amount: 999, currency: 'USD' });
    const bolt11 = decodePaymentRequest(res.body.paymentRequest);
    expect(res.body.amountSats).toBe(Number(bolt11.amountMsat! / 1000n));
    expect(res.body.amountSats).toBe(10_286); // 9.99 / 97123.45 BTC = 10285.9… → rounded up
    expect(Date.parse(res.body.expiresAt)).toBe(bolt11.expiresAt);
    expect(res.body.paymentHash).toBe(bolt11.paymentHash);
  });

  it('accepts SAT amounts in a fiat store', async () => {
    const { create } = await cashier();
    const res = await create({ amount: 21_000, currency: 'SAT' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: 21_000, currency: 'SAT', amountSats: 21_000, tip: 0, memo: '' });
  });

  it('works in a SAT store', async () => {
    const { create } = await cashier({ POS_CURRENCY: 'SAT' });
    expect((await create({ amount: 500, currency: 'SAT' })).body.amountSats).toBe(500);
    const usd = await create({ amount: 500, currency: 'USD' });
    expect(usd.status).toBe(400);
    expect(usd.body.error.details).toEqual({ currency: 'must be SAT or SAT' });
  });

  it('ignores unknown fields', async () => {
    const { create } = await cashier();
    const res = await create({ ...coffees, status: 'paid', paidAt: '2026-01-01T00:00:00.000Z', admin: true });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('pending');
  });

  it.each([
    ['amount 0', { amount: 0, currency: 'USD' }, 'amount'],
    ['a negative amount', { amount: -5, currency: 'USD' }, 'amount'],
    ['a fractional amount', { amount: 12.34, currency: 'USD' }, 'amount'],
    ['an amount as a string', { amount: '1234', currency: 'USD' }, 'amount'],
    ['no amount', { currency: 'USD' }, 'amount'],
    ['no currency', { amount: 100 }, 'currency'],
    ['another store currency', { amount: 100, currency: 'EUR' }, 'currency'],
    ['a lowercase currency', { amount: 100, currency: 'usd' }, 'currency'],
    ['a memo over 140 characters', { amount: 100, currency: 'USD', memo: 'x'.repeat(141) }, 'memo'],
    ['a memo with control characters', { amount: 100, currency: 'USD', memo: 'a\u0000b' }, 'memo'],
    ['a negative tip', { amount: 100, currency: 'USD', tip: -1 }, 'tip'],
    ['a fractional tip', { amount: 100, currency: 'USD', tip: 0.5 }, 'tip'],
    ['an amount over 10,000,000 sats', { amount: 1_000_001, currency: 'USD' }, 'amount'],
    ['amount + tip over 10,000,000 sats', { amount: 1_000_000, currency: 'USD', tip: 1 }, 'amount'],
    ['SAT over the limit', { amount: 10_000_001, currency: 'SAT' }, 'amount'],
    ['an array', [1, 2], 'body'],
    ['a string', 'pay me', 'body'],
    ['null', null, 'body'],
  ])('answers 400 for %s, naming the field', async (_name, body, field) => {
    const { create, demo } = await cashier();
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details).toHaveProperty([field]);
    expect(demo.all()).toHaveLength(0);
  });

  it('accepts exactly 10,000,000 sats', async () => {
    const { create } = await cashier();
    // $10,000.00 at $100,000 per BTC
    expect((await create({ amount: 1_000_000, currency: 'USD' })).body.amountSats).toBe(10_000_000);
    expect((await create({ amount: 10_000_000, currency: 'SAT' })).status).toBe(201);
  });

  it('trims the memo', async () => {
    const { create } = await cashier();
    expect((await create({ amount: 100, currency: 'USD', memo: '  latte  ' })).body.memo).toBe('latte');
  });
});

describe('Idempotency-Key', () => {
  it('returns the same invoice (200) and creates nothing more', async () => {
    const { create, demo } = await cashier();
    const first = await create(coffees, { 'Idempotency-Key': 'sale-42' });
    const again = await create(coffees, { 'Idempotency-Key': 'sale-42' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(demo.all()).toHaveLength(1);
  });

  it('returns the invoice as it is now (paid)', async () => {
    const { create, demo } = await cashier();
    const first = await create(coffees, { 'Idempotency-Key': 'sale-43' });
    demo.pay(first.body.id);
    expect((await create(coffees, { 'Idempotency-Key': 'sale-43' })).body.status).toBe('paid');
  });

  it('makes one invoice from a burst of identical requests (a double tap)', async () => {
    const { create, demo } = await cashier();
    const results = await Promise.all(Array.from({ length: 5 }, () => create(coffees, { 'Idempotency-Key': 'tap-tap' })));
    expect(new Set(results.map((r) => String(r.body.id))).size).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(demo.all()).toHaveLength(1);
  });

  it('two instances of the proxy sharing a store make one invoice from one key', async () => {
    const store = new MemoryStore();
    const first = testProxy({}, { store });
    const second = providerProxy({}, { store, provider: first.demo });
    const [a, b] = [await first.login(), await second.login()];
    const results = await Promise.all([
      ...Array.from({ length: 3 }, () => first.call('POST', '/api/invoices', { token: a, body: coffees, headers: { 'Idempotency-Key': 'shared-1' } })),
      ...Array.from({ length: 3 }, () => second.call('POST', '/api/invoices', { token: b, body: coffees, headers: { 'Idempotency-Key': 'shared-1' } })),
    ]);
    expect(first.demo.all()).toHaveLength(1);
    expect(new Set(results.map((r) => String(r.body.id))).size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it('refuses a reused key for a different sale (409)', async () => {
    const { create, demo } = await cashier();
    await create(coffees, { 'Idempotency-Key': 'sale-44' });
    const res = await create({ ...coffees, amount: 9999 }, { 'Idempotency-Key': 'sale-44' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(demo.all()).toHaveLength(1);
  });

  it('lasts 24 hours', async () => {
    const { create, call, demo } = await cashier();
    await create(coffees, { 'Idempotency-Key': 'sale-45' });
    vi.setSystemTime(NOW + 24 * 3600_000 - 1000);
    const manager = (await call('POST', '/api/session', { body: { pin: '9999' } })).body.token;
    const within = await call('POST', '/api/invoices', { token: manager, body: coffees, headers: { 'Idempotency-Key': 'sale-45' } });
    expect(within.status).toBe(200);
    vi.setSystemTime(NOW + 24 * 3600_000 + 1);
    const after = await call('POST', '/api/invoices', { token: manager, body: coffees, headers: { 'Idempotency-Key': 'sale-45' } });
    expect(after.status).toBe(201);
    expect(demo.all()).toHaveLength(2);
  });

  it('without a key, every request is a new invoice', async () => {
    const { create, demo } = await cashier();
    await create(coffees);
    await create(coffees);
    expect(demo.all()).toHaveLength(2);
  });

  it.each([
    ['longer than 64 characters', 'k'.repeat(65)],
    ['with a space', 'sale 1'],
    ['with a non-ASCII character', 'café'],
  ])('answers 400 for a key %s', async (_name, key) => {
    const { create, demo } = await cashier();
    const res = await create(coffees, { 'Idempotency-Key': key });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toHaveProperty(['Idempotency-Key']);
    expect(demo.all()).toHaveLength(0);
  });

  it('accepts a 64-character key', async () => {
    const { create } = await cashier();
    expect((await create(coffees, { 'Idempotency-Key': 'k'.repeat(64) })).status).toBe(201);
  });
});

describe('GET /api/invoices/:id', () => {
  it('reads the invoice as it is now', async () => {
    const { create, call, token, demo } = await cashier();
    const { body: created } = await create(coffees);
    expect((await call('GET', `/api/invoices/${created.id}`, { token })).body).toEqual(created);
    demo.pay(created.id);
    const paid = await call('GET', `/api/invoices/${created.id}`, { token });
    expect(paid.body).toMatchObject({ status: 'paid', paidAt: '2026-11-22T10:00:00.000Z' });
  });

  it('reads expired once past the BOLT11 expiry', async () => {
    const { create, call, token } = await cashier({ DEMO_INVOICE_EXPIRY: '30' });
    const { body: created } = await create(coffees);
    vi.setSystemTime(NOW + 30_000);
    expect((await call('GET', `/api/invoices/${created.id}`, { token })).body.status).toBe('expired');
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const { call, token } = await cashier();
    const missing = await call('GET', '/api/invoices/0123456789abcdef', { token });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const bad = await call('GET', `/api/invoices/${'x'.repeat(129)}`, { token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toHaveProperty(['id']);
    expect((await call('GET', '/api/invoices/a%20b', { token })).status).toBe(400);
  });

  it('never reads paid from a provider that keeps saying pending after expiry', async () => {
    const stuck = stubProvider({
      id: 'lnbits',
      getInvoice: () =>
        Promise.resolve({
          id: 'abc',
          status: 'pending',
          paymentRequest: 'lnbcrt1',
          paymentHash: '0'.repeat(64),
          amount: 1,
          tip: 0,
          currency: 'USD',
          amountSats: 10,
          memo: '',
          createdAt: '2026-11-22T09:00:00.000Z',
          expiresAt: '2026-11-22T09:10:00.000Z',
          paidAt: null,
          reference: 'sale-abc',
          cashier: null,
        }),
    });
    const proxy = providerProxy({}, { provider: stuck });
    const res = await proxy.call('GET', '/api/invoices/abc', { token: await proxy.login() });
    expect(res.body.status).toBe('expired');
  });
});

describe('POST /api/invoices/:id/cancel', () => {
  it('cancels a pending invoice', async () => {
    const { create, call, token } = await cashier();
    const { body: created } = await create(coffees);
    const res = await call('POST', `/api/invoices/${created.id}/cancel`, { token });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect((await call('GET', `/api/invoices/${created.id}`, { token })).body.status).toBe('cancelled');
  });

  it('refuses to cancel a paid invoice (409) and it stays paid', async () => {
    const { create, call, token, demo } = await cashier();
    const { body: created } = await create(coffees);
    demo.pay(created.id);
    const res = await call('POST', `/api/invoices/${created.id}/cancel`, { token });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect((await call('GET', `/api/invoices/${created.id}`, { token })).body.status).toBe('paid');
  });

  it('answers 404 for an unknown invoice', async () => {
    const { call, token } = await cashier();
    expect((await call('POST', '/api/invoices/0123456789abcdef/cancel', { token })).status).toBe(404);
  });
});

describe('POST /api/demo/invoices/:id/pay', () => {
  it('settles a demo invoice', async () => {
    const { create, call, token } = await cashier();
    const { body: created } = await create(coffees);
    const res = await call('POST', `/api/demo/invoices/${created.id}/pay`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, status: 'paid', paidAt: '2026-11-22T10:00:00.000Z' });
  });

  it('refuses an expired or cancelled invoice (409)', async () => {
    const { create, call, token } = await cashier({ DEMO_INVOICE_EXPIRY: '10' });
    const { body: cancelled } = await create(coffees);
    await call('POST', `/api/invoices/${cancelled.id}/cancel`, { token });
    expect((await call('POST', `/api/demo/invoices/${cancelled.id}/pay`, { token })).status).toBe(409);
    const { body: late } = await create(coffees);
    vi.setSystemTime(NOW + 10_000);
    const res = await call('POST', `/api/demo/invoices/${late.id}/pay`, { token });
    expect(res.status).toBe(409);
    expect((await call('GET', `/api/invoices/${late.id}`, { token })).body.status).toBe('expired');
  });

  it('needs a session and knows only demo invoices', async () => {
    const { call, token } = await cashier();
    expect((await call('POST', '/api/demo/invoices/abc/pay')).status).toBe(401);
    expect((await call('POST', '/api/demo/invoices/0123456789abcdef/pay', { token })).status).toBe(404);
  });

  it('does not exist with another provider', async () => {
    const other = stubProvider({ id: 'lnbits' });
    const proxy = providerProxy({}, { provider: other });
    const res = await proxy.call('POST', '/api/demo/invoices/abc/pay', { token: await proxy.login() });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
