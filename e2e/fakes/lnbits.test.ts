import type { HttpBindings } from '@hono/node-server';
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { decodePaymentRequest } from '../../src/server/bolt11';
import { callInit, callResult, type CallResult } from '../../src/server/test-support/harness';
import { listen, type FakeEnv } from './common';
import { createFakeLnbits, parsePydanticDatetime, type FakeLnbits, type FakeLnbitsOptions } from './lnbits';

interface CallOptions {
  /** Sent as X-Api-Key. */
  key?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** The client's IP as the node server would report it. */
  ip?: string;
}

/** The node server's bindings, reduced to the one field the fake reads (the client's address). */
const fromIp = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } }) as unknown as HttpBindings;

async function call(fake: FakeLnbits, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const { key, ip, ...rest } = options;
  const init = callInit(method, { ...rest, headers: { ...options.headers, ...(key === undefined ? {} : { 'X-Api-Key': key }) } });
  return callResult(await fake.app.request(path, init, ip ? fromIp(ip) : undefined));
}

function setup(options: FakeLnbitsOptions = {}) {
  const fake = createFakeLnbits(options);
  const create = (body: Record<string, unknown>, key = fake.invoiceKey) =>
    call(fake, 'POST', '/api/v1/payments', { key, body: { out: false, ...body } });
  /** `key` null: no key at all. */
  const get = (path: string, key: string | null = fake.invoiceKey) => call(fake, 'GET', path, key === null ? {} : { key });
  return { fake, create, get };
}

const NAIVE_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$/;

/** The fields the tests read from list rows, history points and control-route payments. */
const Rows = z.array(
  z.object({
    payment_hash: z.optional(z.string()),
    amount: z.optional(z.number()),
    date: z.optional(z.string()),
    origin: z.optional(z.string()),
  }),
);
const rows = (value: unknown) => z.parse(Rows, value);

afterEach(() => {
  vi.useRealTimers();
});

function freezeTime(iso: string) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
}

describe('authentication', () => {
  it('answers 401 without a key and 404 for a key it does not know', async () => {
    const { fake, get } = setup();
    expect(await get('/api/v1/wallet', null)).toMatchObject({ status: 401, body: { detail: 'No Api Key provided.' } });
    expect(await get('/api/v1/wallet', 'f'.repeat(32))).toMatchObject({ status: 404, body: { detail: 'Wallet not found.' } });
    expect((await call(fake, 'POST', '/api/v1/payments', { body: { out: false, amount: 1 } })).status).toBe(401);
  });

  it('takes the key from the header under any case, or from ?api-key=', async () => {
    const { fake } = setup();
    for (const name of ['X-Api-Key', 'x-api-key', 'X-API-KEY']) {
      expect((await call(fake, 'GET', '/api/v1/wallet', { headers: { [name]: fake.invoiceKey } })).status).toBe(200);
    }
    expect((await call(fake, 'GET', `/api/v1/wallet?api-key=${fake.invoiceKey}`)).status).toBe(200);
  });

  it('treats a body without `out` as a payment: 403 for the invoice key, 400 for the admin key', async () => {
    const { fake } = setup();
    const invoiceKey = await call(fake, 'POST', '/api/v1/payments', { key: fake.invoiceKey, body: { amount: 100, memo: 'x' } });
    expect(invoiceKey).toMatchObject({ status: 403, body: { detail: 'Invoice (or Admin) key required.' } });
    const adminKey = await call(fake, 'POST', '/api/v1/payments', { key: fake.adminKey, body: { amount: 100 } });
    expect(adminKey).toMatchObject({ status: 400, body: { detail: 'Missing BOLT11 invoice' } });
    expect(fake.payments()).toHaveLength(0);
  });

  it('lets the admin key create incoming invoices too, and shows it the wallet id', async () => {
    const { fake, create, get } = setup();
    expect((await create({ amount: 10 }, fake.adminKey)).status).toBe(201);
    expect((await get('/api/v1/wallet', fake.adminKey)).body).toEqual({ name: 'LNbits wallet', balance: 0, id: fake.walletId });
    expect((await get('/api/v1/wallet')).body).toEqual({ name: 'LNbits wallet', balance: 0 });
  });
});

describe('POST /api/v1/payments', () => {
  it('creates a sat invoice: 201, msat amounts truncated from sats, naive datetimes, extra and labels echoed', async () => {
    freezeTime('2026-11-22T10:00:00.123Z');
    const { create } = setup();
    const res = await create({
      amount: 1000.9,
      memo: 'Coffee',
      expiry: 600,
      extra: { pos: { order: 'A1' } },
      labels: ['pos'],
      webhook: 'https://pos.example/hook',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      amount: 1_000_000,
      fee: 0,
      status: 'pending',
      memo: 'Coffee',
      preimage: null,
      webhook: 'https://pos.example/hook',
      webhook_status: null,
      extra: { pos: { order: 'A1' } },
      labels: ['pos'],
      fiat_provider: null,
      time: '2026-11-22T10:00:00.123000',
      created_at: '2026-11-22T10:00:00.123000',
      expiry: '2026-11-22T10:10:00',
    });
    expect(res.body.payment_request).toBe(res.body.bolt11);
    expect(res.body.checking_id).toBe(res.body.payment_hash);
    expect(res.body.updated_at).toMatch(NAIVE_ISO);
    expect(Object.keys(res.body)).toEqual([
      'checking_id', 'payment_hash', 'wallet_id', 'amount', 'fee', 'bolt11', 'payment_request', 'fiat_provider', 'status', 'memo',
      'expiry', 'webhook', 'webhook_status', 'preimage', 'tag', 'extension', 'time', 'created_at', 'updated_at', 'labels', 'extra',
    ]);
  });

  it('issues a real BOLT11 for the amount in msat, the memo and the expiry', async () => {
    const { create } = setup();
    const res = await create({ amount: 1000, memo: 'Coffee', expiry: 600 });
    const decoded = decodePaymentRequest(res.body.bolt11);
    expect(decoded.network).toBe('bc');
    expect(decoded.amountMsat).toBe(1_000_000n);
    expect(decoded.description).toBe('Coffee');
    expect(decoded.paymentHash).toBe(res.body.payment_hash);
    expect(decoded.expiresAt - decoded.createdAt).toBe(600_000);
    expect(Date.parse(`${res.body.expiry}Z`)).toBe(decoded.expiresAt);
  });

  it('defaults the memo to the site title and the expiry to an hour', async () => {
    const { create } = setup();
    const res = await create({ amount: 5 });
    const decoded = decodePaymentRequest(res.body.bolt11);
    expect(res.body.memo).toBe('LNbits');
    expect(decoded.description).toBe('LNbits');
    expect(decoded.expiresAt - decoded.createdAt).toBe(3_600_000);
  });

  it('converts fiat with int(amount * sats per unit) and adds the fiat fields to extra', async () => {
    const { create } = setup({ btcPrices: { USD: 97_000 } });
    const res = await create({ amount: 9.99, unit: 'USD', extra: { note: 'kept' } });
    // 9.99 × 1e8 / 97000 = 10298.97 sats: truncated, not rounded.
    expect(res.body.amount).toBe(10_298_000);
    expect(res.body.extra).toEqual({
      note: 'kept',
      fiat_currency: 'USD',
      fiat_amount: 9.99,
      fiat_rate: 10298 / 9.99,
      btc_rate: (9.99 / 10298) * 100_000_000,
    });
    expect(decodePaymentRequest(res.body.bolt11).amountMsat).toBe(10_298_000n);
  });

  it('coerces like pydantic: numeric strings for amount and expiry', async () => {
    const { create } = setup();
    const res = await create({ amount: '21', expiry: '600', out: 'false' });
    expect(res.status).toBe(201);
    expect(res.body.amount).toBe(21_000);
  });

  it('answers 520 for a zero amount and 500 for a missing one', async () => {
    const { create } = setup();
    expect(await create({ amount: 0 })).toMatchObject({
      status: 520,
      body: { detail: 'Amountless invoices not supported.', status: 'failed' },
    });
    const missing = await create({ memo: 'no amount' });
    expect(missing.status).toBe(500);
    expect(missing.body.detail).toMatch(/^Unexpected error! ID: \w{22}$/);
  });

  it('lists validation errors as a 400 with pydantic items, in field order', async () => {
    const { create } = setup();
    const res = await create({ amount: -1, unit: 'usd', memo: 'm'.repeat(641), labels: 'pos' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toEqual([
      { loc: ['body', 'unit'], msg: 'The provided unit is not supported', type: 'value_error' },
      {
        loc: ['body', 'amount'],
        msg: 'ensure this value is greater than or equal to 0',
        type: 'value_error.number.not_ge',
        ctx: { limit_value: 0 },
      },
      {
        loc: ['body', 'memo'],
        msg: 'ensure this value has at most 640 characters',
        type: 'value_error.any_str.max_length',
        ctx: { limit_value: 640 },
      },
      { loc: ['body', 'labels'], msg: 'value is not a valid list', type: 'type_error.list' },
    ]);
  });

  it('accepts 640 characters of memo but, like its FakeWallet, fails past the 639 bytes a BOLT11 holds', async () => {
    const { create } = setup();
    expect((await create({ amount: 1, memo: 'm'.repeat(639) })).status).toBe(201);
    const tooLong = await create({ amount: 1, memo: 'm'.repeat(640) });
    expect(tooLong.status).toBe(500);
    expect(tooLong.body.detail).toMatch(/^Unexpected error! ID: /);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const { fake } = setup();
    const res = await call(fake, 'POST', '/api/v1/payments', { key: fake.invoiceKey, rawBody: 'amount=1' });
    expect(res.status).toBe(400);
    expect(res.body.detail[0]).toMatchObject({ loc: ['body', 0], type: 'value_error.jsondecode' });
  });

  it('answers in the v0.12 shape when asked, with 401 for out:true on the invoice key', async () => {
    const { fake, create } = setup({ version: 'v0.12' });
    const res = await create({ amount: 100, memo: 'old' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['checking_id', 'lnurl_response', 'payment_hash', 'payment_request']);
    expect(res.body.lnurl_response).toBeNull();
    expect(decodePaymentRequest(res.body.payment_request).paymentHash).toBe(res.body.payment_hash);
    const paying = await call(fake, 'POST', '/api/v1/payments', { key: fake.invoiceKey, body: { amount: 1 } });
    expect(paying).toMatchObject({ status: 401, body: { detail: 'Invoice (or Admin) key required.' } });
  });
});

describe('GET /api/v1/payments/{payment_hash}', () => {
  it('shows details only to the owner, and reads the key from the header only', async () => {
    const { fake, create, get } = setup();
    const hash = (await create({ amount: 100 })).body.payment_hash;
    const path = `/api/v1/payments/${hash}`;

    const owner = await get(path);
    expect(owner.body).toMatchObject({
      paid: false,
      status: 'pending',
      preimage: null,
      details: { payment_hash: hash, status: 'pending' },
    });
    expect((await get(path, null)).body).toEqual({ paid: false, preimage: null });
    expect((await get(path, 'a'.repeat(32))).body).toEqual({ paid: false, preimage: null });
    expect((await get(`${path}?api-key=${fake.invoiceKey}`, null)).body).toEqual({ paid: false, preimage: null });

    await fake.settle(hash);
    const paid = await get(path, fake.adminKey);
    expect(Object.keys(paid.body)).toEqual(['paid', 'preimage', 'details']);
    expect(paid.body.paid).toBe(true);
    expect(bytesToHex(sha256(hexToBytes(paid.body.preimage)))).toBe(hash);
    expect((await get(path, null)).body).toEqual({ paid: true, preimage: paid.body.preimage });
  });

  it('says failed without a preimage, and 404 for a hash it does not know', async () => {
    const { fake, get } = setup();
    const failed = fake.addExternalPayment({ amountMsat: 5000, status: 'failed' });
    expect((await get(`/api/v1/payments/${failed.paymentHash}`, null)).body).toEqual({ paid: false, status: 'failed' });
    const owner = await get(`/api/v1/payments/${failed.paymentHash}`);
    expect(owner.body).toMatchObject({ paid: false, status: 'failed', details: { status: 'failed' } });
    const unknown = await get(`/api/v1/payments/${'0'.repeat(64)}`);
    expect(unknown).toMatchObject({ status: 404, body: { detail: 'Payment does not exist.' } });
  });

  it('keeps an expired unpaid invoice pending: there is no expired status', async () => {
    freezeTime('2026-11-22T10:00:00Z');
    const { create, get } = setup();
    const created = await create({ amount: 100, expiry: 60 });
    vi.setSystemTime(new Date('2026-11-22T12:00:00Z'));
    const res = await get(`/api/v1/payments/${created.body.payment_hash}`);
    expect(res.body).toMatchObject({ paid: false, status: 'pending', details: { status: 'pending', expiry: '2026-11-22T10:01:00' } });
    expect((await get('/api/v1/payments')).body[0].status).toBe('pending');
  });
});

describe('payment lists', () => {
  const T0 = Date.parse('2026-03-10T10:00:00Z');
  const HOUR_MS = 3_600_000;

  /** Five payments an hour apart: two paid in, one pending, one paid out, one failed. */
  function withPayments(options: FakeLnbitsOptions = {}) {
    const s = setup(options);
    const p = [
      s.fake.addExternalPayment({ amountMsat: 1_000_000, memo: 'Coffee', labels: ['pos', 'food'], timeMs: T0 }),
      s.fake.addExternalPayment({ amountMsat: 2_000_000, memo: 'Tea', labels: ['pos'], timeMs: T0 + HOUR_MS }),
      s.fake.addExternalPayment({ amountMsat: 3_000_000, memo: 'Cake 50% off', status: 'pending', timeMs: T0 + 2 * HOUR_MS }),
      s.fake.addExternalPayment({
        amountMsat: 500_000,
        direction: 'out',
        feeMsat: 10_000,
        memo: 'Supplier',
        timeMs: T0 + 3 * HOUR_MS,
      }),
      s.fake.addExternalPayment({ amountMsat: 4_000_000, memo: 'Failed one', status: 'failed', timeMs: T0 + 4 * HOUR_MS }),
    ];
    /** Which of the five a paginated query returns, by index. */
    const indices = async (query: string) => {
      const res = await s.get(`/api/v1/payments/paginated?${query}`);
      expect(res.status, query).toBe(200);
      return rows(res.body.data).map((d) => p.findIndex((x) => x.paymentHash === d.payment_hash));
    };
    return { ...s, p, indices };
  }

  it('GET /api/v1/payments: newest first, failed left out, outgoing negative with a negative fee', async () => {
    const { get, p } = withPayments();
    const res = await get('/api/v1/payments');
    expect(rows(res.body).map((d) => d.payment_hash)).toEqual([p[3]!, p[2]!, p[1]!, p[0]!].map((x) => x.paymentHash));
    expect(res.body[0]).toMatchObject({ amount: -500_000, fee: -10_000, status: 'success', time: '2026-03-10T13:00:00' });
  });

  it('pages 10 rows when no limit is given (LNbits v1.4+), and honours limit and offset', async () => {
    const { fake, get } = setup();
    for (let i = 0; i < 12; i += 1) fake.addExternalPayment({ amountMsat: 1000 * (i + 1), timeMs: Date.now() + i });
    expect((await get('/api/v1/payments')).body).toHaveLength(10);
    expect((await get('/api/v1/payments?limit=11')).body).toHaveLength(11);
    expect((await get('/api/v1/payments?limit=-1')).body).toHaveLength(12);
    expect(rows((await get('/api/v1/payments?limit=5&offset=10')).body).map((d) => d.amount)).toEqual([2000, 1000]);
    expect((await get('/api/v1/payments/paginated')).body.data).toHaveLength(10);
  });

  it('GET /paginated: failed included, total of all matches, total 0 past the end', async () => {
    const { get, indices } = withPayments();
    expect(await indices('')).toEqual([0, 1, 2, 3, 4]);
    const page = await get('/api/v1/payments/paginated?limit=2&offset=1');
    expect(page.body.total).toBe(5);
    expect(await indices('limit=2&offset=1')).toEqual([1, 2]);
    expect((await get('/api/v1/payments/paginated?offset=10')).body).toEqual({ data: [], total: 0 });
    expect((await get('/api/v1/payments/paginated?recheck_pending=true')).status).toBe(200);
  });

  it('sorts by the allowed fields, ascending unless told otherwise', async () => {
    const { indices } = withPayments();
    expect(await indices('sortby=amount')).toEqual([3, 0, 1, 2, 4]);
    expect(await indices('sortby=amount&direction=desc')).toEqual([4, 2, 1, 0, 3]);
    expect(await indices('sortby=memo')).toEqual([2, 0, 4, 3, 1]);
    expect(await indices('sortby=time&direction=desc')).toEqual([4, 3, 2, 1, 0]);
  });

  it('filters with field[op]=value', async () => {
    const { p, indices } = withPayments();
    expect(await indices('status[eq]=success')).toEqual([0, 1, 3]);
    expect(await indices('status=failed')).toEqual([4]);
    expect(await indices('status[in]=pending,failed')).toEqual([2, 4]);
    expect(await indices('amount[gt]=0&amount[le]=2000000')).toEqual([0, 1]);
    expect(await indices('amount[lt]=0')).toEqual([3]);
    expect(await indices('amount[in]=1000000,3000000')).toEqual([0, 2]);
    expect(await indices('amount[ex]=1000000,3000000')).toEqual([1, 3, 4]);
    expect(await indices(`payment_hash[eq]=${p[1]!.paymentHash}`)).toEqual([1]);
    expect(await indices('memo[ne]=Tea')).toEqual([0, 2, 3, 4]);
    expect(await indices('memo[like]=ca')).toEqual([2]);
    expect(await indices('memo[like]=50%25')).toEqual([2]);
    expect(await indices('labels[any]=food,pos')).toEqual([0, 1]);
    expect(await indices('labels[every]=food,pos')).toEqual([0]);
    expect(await indices('search=supp')).toEqual([3]);
  });

  it('compares time with ISO datetimes and unix seconds; a bare date or a bad value is silently ignored', async () => {
    const { indices } = withPayments();
    expect(await indices('time[ge]=2026-03-10T11:00:00Z&time[lt]=2026-03-10T13:00:00Z')).toEqual([1, 2]);
    expect(await indices('time[ge]=2026-03-10T12:00:00%2B01:00')).toEqual([1, 2, 3, 4]);
    expect(await indices('time[lt]=2026-03-10T10:30:00.000Z')).toEqual([0]);
    expect(await indices(`time[lt]=${(T0 + HOUR_MS / 2) / 1000}`)).toEqual([0]);
    expect(await indices('time[ge]=2026-03-11')).toEqual([0, 1, 2, 3, 4]);
    expect(await indices('amount[gt]=lots&nosuchfield[eq]=1&status[nosuchop]=x')).toEqual([0, 1, 2, 3, 4]);
  });

  it("reads a naive time filter in the server's zone, not UTC", async () => {
    const { indices } = withPayments({ serverTimeZone: 'Europe/Berlin' });
    // 12:00 in Berlin (UTC+1 in March) is 11:00Z: payments 1 to 4, not 2 to 4.
    expect(await indices('time[ge]=2026-03-10T12:00:00')).toEqual([1, 2, 3, 4]);
    expect(parsePydanticDatetime('2026-07-01T12:00:00', 'Europe/Berlin')).toBe(Date.parse('2026-07-01T10:00:00Z'));
  });

  it('answers 400 for bad paging parameters and an unknown sort field', async () => {
    const { get } = withPayments();
    const bad = await get('/api/v1/payments/paginated?limit=ten&direction=up&recheck_pending=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toEqual([
      { loc: ['query', 'limit'], msg: 'value is not a valid integer', type: 'type_error.integer' },
      {
        loc: ['query', 'direction'],
        msg: "unexpected value; permitted: 'asc', 'desc'",
        type: 'value_error.const',
        ctx: { given: 'up', permitted: ['asc', 'desc'] },
      },
      { loc: ['query', 'recheck_pending'], msg: 'value could not be parsed to a boolean', type: 'type_error.bool' },
    ]);
    const sort = await get('/api/v1/payments?sortby=wallet_id');
    expect(sort.status).toBe(400);
    expect(sort.body.detail).toContain('Invalid sort field');
    expect((await get('/api/v1/payments', null)).status).toBe(401);
  });
});

describe('GET /api/v1/payments/history', () => {
  function withHistory(serverTimeZone: string) {
    const s = setup({ serverTimeZone });
    s.fake.addExternalPayment({ amountMsat: 1_000_000, timeMs: Date.parse('2026-03-10T12:00:00Z') });
    // 00:30 on 11 March in Berlin, still 10 March in UTC.
    s.fake.addExternalPayment({ amountMsat: 2_000_000, timeMs: Date.parse('2026-03-10T23:30:00Z') });
    s.fake.addExternalPayment({ amountMsat: 500_000, direction: 'out', feeMsat: 10_000, timeMs: Date.parse('2026-03-11T08:00:00Z') });
    s.fake.addExternalPayment({ amountMsat: 7_000_000, status: 'pending', timeMs: Date.parse('2026-03-11T09:00:00Z') });
    s.fake.addExternalPayment({ amountMsat: 9_000_000, status: 'failed', timeMs: Date.parse('2026-03-11T09:00:00Z') });
    return s;
  }

  it("buckets days in the server's zone, msat amounts, balance walked back from today's", async () => {
    const { get } = withHistory('Europe/Berlin');
    expect((await get('/api/v1/wallet')).body.balance).toBe(2_490_000);
    expect((await get('/api/v1/payments/history?group=day')).body).toEqual([
      { date: '2026-03-10T00:00:00', income: 1_000_000, spending: 0, balance: 1_000_000 },
      { date: '2026-03-11T00:00:00', income: 2_000_000, spending: 510_000, balance: 2_490_000 },
    ]);
    expect((await get('/api/v1/payments/history')).body).toHaveLength(2);
  });

  it('puts the same payments in other buckets on a UTC server', async () => {
    const { get } = withHistory('UTC');
    expect((await get('/api/v1/payments/history?group=day')).body).toEqual([
      { date: '2026-03-10T00:00:00', income: 3_000_000, spending: 0, balance: 3_000_000 },
      { date: '2026-03-11T00:00:00', income: 0, spending: 510_000, balance: 2_490_000 },
    ]);
  });

  it('groups by hour and month, applies filters, and refuses other groups', async () => {
    const { get } = withHistory('Europe/Berlin');
    const hours = rows((await get('/api/v1/payments/history?group=hour')).body).map((point) => point.date);
    expect(hours).toEqual(['2026-03-10T13:00:00', '2026-03-11T00:00:00', '2026-03-11T09:00:00']);
    expect((await get('/api/v1/payments/history?group=month')).body).toEqual([
      { date: '2026-03-01T00:00:00', income: 3_000_000, spending: 510_000, balance: 2_490_000 },
    ]);
    expect((await get('/api/v1/payments/history?group=month&amount[gt]=0')).body[0]).toMatchObject({ income: 3_000_000, spending: 0 });
    const week = await get('/api/v1/payments/history?group=week');
    expect(week.status).toBe(400);
    expect(week.body.detail[0]).toMatchObject({ loc: ['query', 'group'], type: 'value_error.const' });
  });
});

describe('rates', () => {
  it('gives sats per fiat unit and the BTC price without a key; lists the currencies', async () => {
    const { get } = setup({ btcPrices: { USD: 100_000, EUR: 92_000 } });
    expect((await get('/api/v1/rate/USD', null)).body).toEqual({ rate: 1000, price: 100_000 });
    expect((await get('/api/v1/rate/usd', null)).body).toEqual({ rate: 1000, price: 100_000 });
    expect(await get('/api/v1/rate/XYZ', null)).toMatchObject({ status: 400, body: { detail: "Currency 'XYZ' not allowed." } });
    expect((await get('/api/v1/currencies', null)).body).toEqual(['USD', 'EUR']);
  });
});

describe('webhook', () => {
  async function receiver(status: 200 | 500 = 200) {
    const received: { body: string; headers: Headers }[] = [];
    const app = new Hono<FakeEnv>();
    app.post('/hook', async (c) => {
      received.push({ body: await c.req.text(), headers: c.req.raw.headers });
      return c.body(null, status);
    });
    const server = await listen(app);
    return { received, url: `${server.url}/hook?token=t0k3n`, close: server.close };
  }

  it('v1: posts once a JSON string holding the Payment JSON, unsigned, and records the status', async () => {
    const hook = await receiver();
    try {
      const { fake, create, get } = setup();
      const hash = (await create({ amount: 100, memo: 'Café', webhook: hook.url })).body.payment_hash;
      expect(hook.received).toHaveLength(0);
      await fake.settle(hash);
      await fake.settle(hash);
      expect(hook.received).toHaveLength(1);
      const { body, headers } = hook.received[0]!;
      expect(body.startsWith('"{\\"checking_id\\": ')).toBe(true);
      const outer: unknown = JSON.parse(body);
      expect(typeof outer).toBe('string');
      const payment = JSON.parse(String(outer));
      expect(payment).toMatchObject({ payment_hash: hash, status: 'success', amount: 100_000, memo: 'Café', webhook_status: null });
      expect(payment.preimage).toMatch(/^[0-9a-f]{64}$/);
      expect(body).toContain('Caf\\\\u00e9');
      expect(headers.get('user-agent')).toMatch(/^LNbits\//);
      expect(headers.get('content-type')).toBe('application/json');
      expect([...headers.keys()].filter((name) => /sig|hmac/i.test(name))).toEqual([]);
      expect((await get(`/api/v1/payments/${hash}`)).body.details.webhook_status).toBe('200');
    } finally {
      await hook.close();
    }
  });

  it('v0.12: posts a plain object (v0.12 Payment dict)', async () => {
    const hook = await receiver();
    try {
      const { fake, create } = setup({ version: 'v0.12' });
      const hash = (await create({ amount: 100, webhook: hook.url })).body.payment_hash;
      await fake.settle(hash);
      expect(hook.received).toHaveLength(1);
      const body = JSON.parse(hook.received[0]!.body);
      expect(body).toMatchObject({ payment_hash: hash, status: 'success', pending: false, amount: 100_000 });
      expect(Number.isInteger(body.time)).toBe(true);
    } finally {
      await hook.close();
    }
  });

  it('records an error status, and "-1" when nothing answers; never retries', async () => {
    const failing = await receiver(500);
    const gone = await receiver();
    await gone.close();
    try {
      const { fake, create } = setup();
      const first = (await create({ amount: 1, webhook: failing.url })).body.payment_hash;
      const second = (await create({ amount: 1, webhook: gone.url })).body.payment_hash;
      await fake.settle(first);
      await fake.settle(second);
      expect(failing.received).toHaveLength(1);
      expect(fake.payments().map((p) => p.webhookStatus)).toEqual(['500', '-1']);
    } finally {
      await failing.close();
    }
  });
});

describe('rate limit', () => {
  it('refuses the request past the limit per IP and endpoint with 429, for a minute', async () => {
    freezeTime('2026-11-22T10:00:00Z');
    const { fake } = setup({ rateLimitPerMinute: 3 });
    const wallet = (ip: string) => call(fake, 'GET', '/api/v1/wallet', { key: fake.invoiceKey, ip });
    for (let i = 0; i < 3; i += 1) expect((await wallet('10.0.0.1')).status).toBe(200);
    expect(await wallet('10.0.0.1')).toMatchObject({ status: 429, body: { error: 'Rate limit exceeded: 3 per 1 minute' } });
    expect((await wallet('10.0.0.2')).status).toBe(200);
    expect((await call(fake, 'GET', '/api/v1/currencies', { ip: '10.0.0.1' })).status).toBe(200);
    for (let i = 0; i < 5; i += 1) expect((await call(fake, 'GET', '/__fake/payments', { ip: '10.0.0.1' })).status).toBe(200);
    vi.setSystemTime(new Date('2026-11-22T10:01:00Z'));
    expect((await wallet('10.0.0.1')).status).toBe(200);
  });
});

describe('faults', () => {
  it('answers with LNbits-like bodies for error, unavailable and rate-limited', async () => {
    const { fake, create, get } = setup();
    fake.control.setFault({ mode: 'error' });
    const error = await get('/api/v1/wallet');
    expect(error.status).toBe(500);
    expect(error.body.detail).toMatch(/^Unexpected error! ID: /);

    fake.control.setFault({ mode: 'unavailable' });
    const unavailable = await get('/api/v1/wallet');
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('Content-Type')).toContain('text/html');
    expect(unavailable.text).toContain('503 Service Temporarily Unavailable');

    fake.control.setFault({ mode: 'rate-limited', times: 1 });
    expect(await get('/api/v1/wallet')).toMatchObject({ status: 429, body: { error: 'Rate limit exceeded: 200 per 1 minute' } });
    expect((await get('/api/v1/wallet')).status).toBe(200);

    fake.control.setFault({ mode: 'error', scope: 'create' });
    expect((await get('/api/v1/wallet')).status).toBe(200);
    expect((await create({ amount: 1 })).status).toBe(500);
    expect(fake.payments()).toHaveLength(0);
  });
});

describe('control routes and unknown routes', () => {
  it('adds, lists and settles payments over HTTP', async () => {
    const { fake, create } = setup();
    const added = await call(fake, 'POST', '/__fake/external-payment', { body: { amountMsat: 5000, memo: 'tip jar', tag: 'lnurlp' } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ amountMsat: 5000, status: 'success', memo: 'tip jar', tag: 'lnurlp', origin: 'external' });
    const hash = (await create({ amount: 1 })).body.payment_hash;
    const settled = await call(fake, 'POST', `/__fake/settle/${hash}`);
    expect(settled).toMatchObject({ status: 200, body: { paymentHash: hash, status: 'success' } });
    expect(rows((await call(fake, 'GET', '/__fake/payments')).body).map((p) => p.origin)).toEqual(['external', 'api']);
    expect((await call(fake, 'POST', `/__fake/settle/${'0'.repeat(64)}`)).status).toBe(404);
    expect((await call(fake, 'POST', '/__fake/external-payment', { body: { amountMsat: -5 } })).status).toBe(400);
  });

  it('answers FastAPI 404 and 405 bodies', async () => {
    const { fake } = setup();
    expect(await call(fake, 'GET', '/api/v1/nope')).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
    const wrongMethod = await call(fake, 'DELETE', '/api/v1/payments', { key: fake.invoiceKey });
    expect(wrongMethod).toMatchObject({ status: 405, body: { detail: 'Method Not Allowed' } });
  });
});
