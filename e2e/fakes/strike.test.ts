/**
 * The fake Strike against PROVIDERS.md §2: these tests pin the documented behaviour the Strike
 * adapter will be proven against, so a regression in the fake cannot pass a wrong adapter.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodePaymentRequest } from '../../src/server/bolt11';
import { listen, type FakeEnv, type RunningFake } from './common';
import { z } from '../../src/server/zod';
import { createFakeStrike, type FakeStrikeOptions } from './strike';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = 'webhook-secret-0123456789';

beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: NOW }));
afterEach(() => vi.useRealTimers());

interface Answer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests inspect arbitrary JSON
}

const InvoicePage = z.object({ items: z.array(z.object({ invoiceId: z.string() })), count: z.number() });
const EventPage = z.object({ items: z.array(z.object({ eventType: z.string(), deliverySuccess: z.boolean() })) });

/** The invoiceIds of a list page, in order. */
const idsOf = (answer: Answer) => z.parse(InvoicePage, answer.body).items.map((invoice) => invoice.invoiceId);

/** A Strike client over `app.request`: JSON in, JSON out, bearer key by default. */
function strikeClient(options: FakeStrikeOptions = {}) {
  const strike = createFakeStrike({ btcPrices: { USD: 100_000, EUR: 92_000 }, ...options });
  const call = async (
    method: string,
    path: string,
    { body, key = strike.apiKey }: { body?: unknown; key?: string | null } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (key !== null) headers.Authorization = `Bearer ${key}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await strike.app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? null : JSON.parse(text) };
  };
  const createInvoice = (body: unknown) => call('POST', '/v1/invoices', { body });
  const quote = (invoiceId: string) => call('POST', `/v1/invoices/${invoiceId}/quote`);
  const list = (query: Record<string, string>) => call('GET', `/v1/invoices?${new URLSearchParams(query).toString()}`);
  return { strike, call, createInvoice, quote, list };
}

const usd = (amount: string, extra: Record<string, unknown> = {}) => ({
  correlationId: `order-${amount}-${Math.random().toString(36).slice(2, 10)}`,
  description: 'Two coffees',
  amount: { amount, currency: 'USD' },
  ...extra,
});

function expectStrikeError(answer: Answer, status: number, code: string) {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({
    traceId: expect.any(String),
    data: expect.objectContaining({ status, code, message: expect.any(String) }),
  });
}

/** A loopback webhook receiver that keeps the raw bytes, as a real receiver must for the HMAC. */
async function webhookReceiver(answerStatus = 200) {
  const received: { raw: Buffer; signature: string | undefined; contentType: string | undefined }[] = [];
  const app = new Hono<FakeEnv>();
  app.post('/strike', async (c) => {
    received.push({
      raw: Buffer.from(await c.req.arrayBuffer()),
      signature: c.req.header('X-Webhook-Signature'),
      contentType: c.req.header('Content-Type'),
    });
    return c.body(null, answerStatus === 200 ? 200 : 500);
  });
  const server: RunningFake = await listen(app);
  return { url: `${server.url}/strike`, received, close: () => server.close() };
}

/** Our own check: hex-decode the header (any case) and compare the HMAC of the raw bytes in constant time. */
function signatureIsValid(raw: Buffer, signature: string | undefined, secret: string): boolean {
  if (signature === undefined || !/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('auth and scopes', () => {
  it('answers 401 without a key or with a wrong key, in the Strike error shape', async () => {
    const { call } = strikeClient();
    expectStrikeError(await call('GET', '/v1/invoices', { key: null }), 401, 'UNAUTHORIZED');
    expectStrikeError(await call('GET', '/v1/invoices', { key: 'not-the-key' }), 401, 'UNAUTHORIZED');
    expect((await call('GET', '/v1/invoices')).status).toBe(200);
  });

  it('answers 403 for a scope the key lacks', async () => {
    const { createInvoice, call } = strikeClient({ scopes: ['partner.invoice.read'] });
    expectStrikeError(await createInvoice(usd('1.00')), 403, 'FORBIDDEN');
    expectStrikeError(await call('GET', '/v1/rates/ticker'), 403, 'FORBIDDEN');
    expect((await call('GET', '/v1/invoices')).status).toBe(200);
  });

  it('answers 404 NOT_FOUND for an unknown invoice (after auth)', async () => {
    const { call } = strikeClient();
    expectStrikeError(await call('GET', '/v1/invoices/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
    expectStrikeError(await call('GET', '/v1/invoices/nope', { key: null }), 401, 'UNAUTHORIZED');
  });
});

describe('POST /v1/invoices', () => {
  it('creates a fiat invoice: 201, UNPAID, the documented fields', async () => {
    const { createInvoice } = strikeClient();
    const res = await createInvoice({ correlationId: 'order-1', description: 'Two coffees', amount: { amount: '12.50', currency: 'USD' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      invoiceId: expect.stringMatching(UUID),
      amount: { amount: '12.50', currency: 'USD' },
      state: 'UNPAID',
      created: '2026-11-22T10:00:00.000Z',
      correlationId: 'order-1',
      description: 'Two coffees',
      issuerId: expect.stringMatching(UUID),
      receiverId: expect.stringMatching(UUID),
    });
  });

  it('creates a BTC invoice without correlationId or description', async () => {
    const { createInvoice } = strikeClient();
    const res = await createInvoice({ amount: { amount: '0.00012345', currency: 'BTC' } });
    expect(res.status).toBe(201);
    expect(res.body.amount).toEqual({ amount: '0.00012345', currency: 'BTC' });
    expect(res.body).not.toHaveProperty('correlationId');
    expect(res.body).not.toHaveProperty('description');
  });

  it('refuses a correlationId already used with 409 DUPLICATE_INVOICE', async () => {
    const { createInvoice, strike } = strikeClient();
    expect((await createInvoice(usd('1.00', { correlationId: 'order-7' }))).status).toBe(201);
    const again = await createInvoice(usd('2.00', { correlationId: 'order-7' }));
    expectStrikeError(again, 409, 'DUPLICATE_INVOICE');
    expect(strike.invoices()).toHaveLength(1);
  });

  it.each([
    ['zero', { amount: '0', currency: 'USD' }],
    ['negative', { amount: '-1.00', currency: 'USD' }],
    ['not a decimal', { amount: '12,50', currency: 'USD' }],
    ['exponent', { amount: '1e3', currency: 'USD' }],
    ['three decimals in USD', { amount: '1.005', currency: 'USD' }],
    ['nine decimals in BTC', { amount: '0.000000001', currency: 'BTC' }],
    ['a currency without a price', { amount: '1.00', currency: 'GBP' }],
  ])('refuses %s with 422 INVALID_AMOUNT', async (_name, amount) => {
    const { createInvoice } = strikeClient();
    expectStrikeError(await createInvoice({ amount }), 422, 'INVALID_AMOUNT');
  });

  it('takes trailing zeros beyond the currency decimals (1.000 USD is 1 USD)', async () => {
    const { createInvoice } = strikeClient();
    expect((await createInvoice({ amount: { amount: '1.000', currency: 'USD' } })).status).toBe(201);
  });

  it.each([
    ['a numeric amount', { amount: { amount: 12.5, currency: 'USD' } }, 'amount.amount'],
    ['no amount', { description: 'x' }, 'amount'],
    ['a 41-character correlationId', usd('1.00', { correlationId: 'x'.repeat(41) }), 'correlationId'],
    ['a 201-character description', usd('1.00', { description: 'd'.repeat(201) }), 'description'],
  ])('answers 400 INVALID_DATA for %s, naming the field', async (_name, body, field) => {
    const { createInvoice } = strikeClient();
    const res = await createInvoice(body);
    expectStrikeError(res, 400, 'INVALID_DATA');
    expect(res.body.data.validationErrors[field]).toEqual([
      { code: expect.any(String), message: expect.any(String), values: expect.any(Object) },
    ]);
  });

  it('answers 415 for a body not declared as JSON', async () => {
    const { strike } = strikeClient();
    const res = await strike.app.request('/v1/invoices', {
      method: 'POST',
      headers: { Authorization: `Bearer ${strike.apiKey}` },
      body: JSON.stringify(usd('1.00')),
    });
    expect(res.status).toBe(415);
  });
});

describe('POST /v1/invoices/{id}/quote', () => {
  it('issues a real BOLT11 for the BTC amount at the current price, valid for 30 s', async () => {
    const { createInvoice, quote } = strikeClient({ btcPrices: { USD: 97_123.45 } });
    const invoice = (await createInvoice(usd('9.99'))).body;
    const res = await quote(invoice.invoiceId);
    expect(res.status).toBe(201);
    // 9.99 / 97123.45 BTC = 10285.86… sats → rounded up to 10286.
    expect(res.body).toEqual({
      quoteId: expect.stringMatching(UUID),
      description: 'Two coffees',
      lnInvoice: expect.stringMatching(/^lnbc/),
      expiration: '2026-11-22T10:00:30.000Z',
      expirationInSec: 30,
      targetAmount: { amount: '9.99', currency: 'USD' },
      sourceAmount: { amount: '0.00010286', currency: 'BTC' },
      conversionRate: { amount: '97123.45', sourceCurrency: 'BTC', targetCurrency: 'USD' },
    });
    const bolt11 = decodePaymentRequest(res.body.lnInvoice);
    expect(bolt11.amountMsat).toBe(10_286_000n);
    expect(bolt11.description).toBe('Two coffees');
    expect(bolt11.createdAt).toBe(NOW);
    expect(bolt11.expiresAt).toBe(Date.parse(res.body.expiration));
  });

  it('quotes a BTC invoice for exactly its amount, with the longer BTC expiry', async () => {
    const { createInvoice, quote } = strikeClient({ btcQuoteSeconds: 600 });
    const invoice = (await createInvoice({ description: 'tip', amount: { amount: '0.00012345', currency: 'BTC' } })).body;
    const res = await quote(invoice.invoiceId);
    expect(res.body.expirationInSec).toBe(600);
    expect(res.body.sourceAmount).toEqual({ amount: '0.00012345', currency: 'BTC' });
    const bolt11 = decodePaymentRequest(res.body.lnInvoice);
    expect(bolt11.amountMsat).toBe(12_345_000n);
    expect(bolt11.expiresAt - bolt11.createdAt).toBe(600_000);
  });

  it('re-quoting after expiry gives a new lnInvoice at the new price; the invoice stays UNPAID', async () => {
    const { createInvoice, quote, call, strike } = strikeClient();
    const invoice = (await createInvoice(usd('10.00'))).body;
    const first = (await quote(invoice.invoiceId)).body;
    vi.setSystemTime(NOW + 31_000);
    expect((await call('GET', `/v1/invoices/${invoice.invoiceId}`)).body.state).toBe('UNPAID');
    strike.setBtcPrice('USD', 50_000);
    const second = (await quote(invoice.invoiceId)).body;
    expect(second.quoteId).not.toBe(first.quoteId);
    expect(second.lnInvoice).not.toBe(first.lnInvoice);
    expect(decodePaymentRequest(first.lnInvoice).amountMsat).toBe(10_000_000n);
    expect(decodePaymentRequest(second.lnInvoice).amountMsat).toBe(20_000_000n);
    expect(strike.invoices()[0]!.quotes.map((q) => q.quoteId)).toEqual([first.quoteId, second.quoteId]);
  });

  it('answers 404 for an unknown invoice and 422 for one that is not UNPAID', async () => {
    const { createInvoice, quote, call } = strikeClient();
    expectStrikeError(await quote('00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
    const invoice = (await createInvoice(usd('1.00'))).body;
    await call('PATCH', `/v1/invoices/${invoice.invoiceId}/cancel`);
    expectStrikeError(await quote(invoice.invoiceId), 422, 'INVALID_STATE_FOR_INVOICE_CANCELLED');
  });
});

describe('paying and webhooks', () => {
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeEach(async () => {
    receiver = await webhookReceiver();
  });
  afterEach(() => receiver.close());

  async function subscribed(options: FakeStrikeOptions = {}, eventTypes = ['invoice.updated']) {
    const client = strikeClient(options);
    const res = await client.call('POST', '/v1/subscriptions', {
      body: { webhookUrl: receiver.url, webhookVersion: 'v1', secret: SECRET, enabled: true, eventTypes },
    });
    expect(res.status).toBe(201);
    return client;
  }

  it('refuses to pay an expired quote, then pays a fresh one', async () => {
    const { createInvoice, quote, strike } = await subscribed();
    const invoice = (await createInvoice(usd('5.00'))).body;
    await expect(strike.pay(invoice.invoiceId)).rejects.toThrow(/no quote/);
    await quote(invoice.invoiceId);
    vi.setSystemTime(NOW + 30_000);
    await expect(strike.pay(invoice.invoiceId)).rejects.toThrow(/expired/);
    expect(strike.invoices()[0]!.state).toBe('UNPAID');
    await quote(invoice.invoiceId);
    await strike.pay(invoice.invoiceId);
    expect(strike.invoices()[0]!.state).toBe('PAID');
    await expect(strike.pay(invoice.invoiceId)).rejects.toThrow(/PAID/);
  });

  it('goes PENDING then PAID and signs each invoice.updated webhook over the raw body', async () => {
    const { createInvoice, quote, call, strike } = await subscribed();
    const invoice = (await createInvoice(usd('5.00'))).body;
    await quote(invoice.invoiceId);
    await strike.pay(invoice.invoiceId);

    expect(receiver.received).toHaveLength(2);
    for (const delivery of receiver.received) {
      expect(delivery.contentType).toBe('application/json');
      expect(delivery.signature).toMatch(/^[0-9a-f]{64}$/);
      expect(signatureIsValid(delivery.raw, delivery.signature, SECRET)).toBe(true);
      expect(signatureIsValid(delivery.raw, delivery.signature, 'another-secret-123')).toBe(false);
      expect(JSON.parse(delivery.raw.toString('utf8'))).toEqual({
        id: expect.stringMatching(UUID),
        eventType: 'invoice.updated',
        webhookVersion: 'v1',
        data: { entityId: invoice.invoiceId, changes: ['state'] },
        created: '2026-11-22T10:00:00.000Z',
        deliverySuccess: false,
      });
    }
    // The payload never says the state: the receiver has to fetch the invoice.
    expect(receiver.received[0]!.raw.toString('utf8')).not.toMatch(/PAID|PENDING/);
    const fetched = await call('GET', `/v1/invoices/${invoice.invoiceId}?includeTransactions=true`);
    expect(fetched.body.state).toBe('PAID');
    expect(fetched.body.transactions).toEqual([
      expect.objectContaining({ state: 'COMPLETED', amountReceived: { amount: '5.00', currency: 'USD' } }),
    ]);
    expect(strike.deliveries().map((d) => d.status)).toEqual([200, 200]);
  });

  it('signs in upper-case hex when asked, and sends indented bodies when asked', async () => {
    const { createInvoice, quote, strike } = await subscribed({ signatureCase: 'upper', webhookBodyIndent: 2 });
    const invoice = (await createInvoice(usd('1.00'))).body;
    await quote(invoice.invoiceId);
    await strike.pay(invoice.invoiceId);
    const delivery = receiver.received[0]!;
    expect(delivery.signature).toMatch(/^[0-9A-F]{64}$/);
    expect(delivery.raw.toString('utf8')).toContain('\n  "eventType"');
    expect(signatureIsValid(delivery.raw, delivery.signature, SECRET)).toBe(true);
  });

  it('redelivers the last webhook byte for byte (same event id) for replay tests', async () => {
    const { createInvoice, quote, strike } = await subscribed();
    const invoice = (await createInvoice(usd('1.00'))).body;
    await quote(invoice.invoiceId);
    await strike.pay(invoice.invoiceId);
    await strike.redeliverLast();
    expect(receiver.received).toHaveLength(3);
    expect(receiver.received[2]!.raw.equals(receiver.received[1]!.raw)).toBe(true);
    expect(receiver.received[2]!.signature).toBe(receiver.received[1]!.signature);
    expect(strike.deliveries().at(-1)!.redelivery).toBe(true);
  });

  it('sends invoice.created only to subscriptions that ask for it, and nothing to disabled ones', async () => {
    const { createInvoice, call, strike } = await subscribed({}, ['invoice.created', 'invoice.updated']);
    const invoice = (await createInvoice(usd('1.00'))).body;
    await strike.webhooksSettled();
    expect(JSON.parse(receiver.received[0]!.raw.toString('utf8'))).toMatchObject({
      eventType: 'invoice.created',
      data: { entityId: invoice.invoiceId },
    });
    const [subscription] = (await call('GET', '/v1/subscriptions')).body;
    await call('PATCH', `/v1/subscriptions/${subscription.id}`, { body: { enabled: false } });
    await call('PATCH', `/v1/invoices/${invoice.invoiceId}/cancel`);
    await strike.webhooksSettled();
    expect(receiver.received).toHaveLength(1);
  });

  it('records a failed delivery and lists events in /v1/events', async () => {
    const failing = await webhookReceiver(500);
    try {
      const { createInvoice, call, strike } = strikeClient();
      await call('POST', '/v1/subscriptions', {
        body: { webhookUrl: failing.url, webhookVersion: 'v1', secret: SECRET, enabled: true, eventTypes: ['invoice.updated'] },
      });
      const invoice = (await createInvoice(usd('1.00'))).body;
      await call('PATCH', `/v1/invoices/${invoice.invoiceId}/cancel`);
      await strike.webhooksSettled();
      expect(strike.deliveries()).toEqual([expect.objectContaining({ status: 500, eventType: 'invoice.updated' })]);
      const events = await call('GET', `/v1/events?$filter=${encodeURIComponent(`data/entityId eq '${invoice.invoiceId}'`)}`);
      expect(z.parse(EventPage, events.body).items).toEqual([
        { eventType: 'invoice.created', deliverySuccess: false },
        { eventType: 'invoice.updated', deliverySuccess: false },
      ]);
    } finally {
      await failing.close();
    }
  });
});

describe('subscriptions', () => {
  const valid = { webhookUrl: 'https://pos.example/strike', webhookVersion: 'v1', secret: SECRET, enabled: true, eventTypes: ['invoice.updated'] };

  it('creates (201, without the secret), lists and deletes', async () => {
    const { call } = strikeClient();
    const created = await call('POST', '/v1/subscriptions', { body: valid });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(UUID),
      webhookUrl: valid.webhookUrl,
      webhookVersion: 'v1',
      enabled: true,
      created: '2026-11-22T10:00:00.000Z',
      eventTypes: ['invoice.updated'],
    });
    expect((await call('GET', '/v1/subscriptions')).body).toEqual([created.body]);
    expect((await call('DELETE', `/v1/subscriptions/${created.body.id}`)).status).toBe(204);
    expect((await call('GET', '/v1/subscriptions')).body).toEqual([]);
    expectStrikeError(await call('DELETE', `/v1/subscriptions/${created.body.id}`), 404, 'NOT_FOUND');
  });

  it.each([
    ['a 9-character secret', { secret: 'x'.repeat(9) }, 'secret'],
    ['a 51-character secret', { secret: 'x'.repeat(51) }, 'secret'],
    ['plain http off loopback', { webhookUrl: 'http://pos.example/strike' }, 'webhookUrl'],
    ['webhookVersion v3', { webhookVersion: 'v3' }, 'webhookVersion'],
  ])('refuses %s with 400 INVALID_DATA', async (_name, change, field) => {
    const { call } = strikeClient();
    const res = await call('POST', '/v1/subscriptions', { body: { ...valid, ...change } });
    expectStrikeError(res, 400, 'INVALID_DATA');
    expect(Object.keys(res.body.data.validationErrors)).toEqual([field]);
  });
});

describe('GET /v1/invoices (OData)', () => {
  async function fiveInvoices() {
    const client = strikeClient();
    const ids: string[] = [];
    for (let minute = 0; minute < 5; minute++) {
      vi.setSystemTime(NOW + minute * 60_000);
      ids.push((await client.createInvoice(usd(`${minute + 1}.00`, { correlationId: `order-${minute}` }))).body.invoiceId);
    }
    await client.call('PATCH', `/v1/invoices/${ids[1]}/cancel`);
    return { ...client, ids };
  }

  it('finds an invoice by correlationId (the retry lookup)', async () => {
    const { list, ids } = await fiveInvoices();
    const res = await list({ $filter: "correlationId eq 'order-3'" });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(1);
    expect(idsOf(res)).toEqual([ids[3]]);
    expect((await list({ $filter: "correlationId eq 'order-99'" })).body).toEqual({ items: [], count: 0 });
  });

  it('filters by state and created, orders newest first, and pages with $skip/$top', async () => {
    const { list, ids } = await fiveInvoices();
    const filter = "state eq 'UNPAID' and created ge 2026-11-22T10:01:00Z";
    const page1 = await list({ $filter: filter, $orderby: 'created desc', $top: '2' });
    const page2 = await list({ $filter: filter, $orderby: 'created desc', $top: '2', $skip: '2' });
    expect(idsOf(page1)).toEqual([ids[4], ids[3]]);
    expect(idsOf(page2)).toEqual([ids[2]]);
    expect(page1.body.count).toBe(3);
  });

  it('understands or, parentheses, quoted datetimes and currency', async () => {
    const { list, ids } = await fiveInvoices();
    const res = await list({
      $filter: "currency eq 'USD' and (state eq 'CANCELLED' or created lt '2026-11-22T10:01:00.000Z')",
      $orderby: 'created asc',
    });
    expect(idsOf(res)).toEqual([ids[0], ids[1]]);
  });

  it.each([
    [{ $filter: 'state eq UNPAID' }, '$filter'],
    [{ $filter: "amount eq '1.00'" }, '$filter'],
    [{ $filter: "state eq 'UNPAID' and" }, '$filter'],
    [{ $orderby: 'state desc' }, '$orderby'],
    [{ $top: '101' }, '$top'],
    [{ $skip: '-1' }, '$skip'],
  ])('refuses %o with 400 INVALID_DATA', async (query, field) => {
    const { list } = await fiveInvoices();
    const res = await list(query);
    expectStrikeError(res, 400, 'INVALID_DATA');
    expect(Object.keys(res.body.data.validationErrors)).toEqual([field]);
  });
});

describe('PATCH /v1/invoices/{id}/cancel', () => {
  it('cancels an UNPAID invoice and refuses a PAID one', async () => {
    const { createInvoice, quote, call, strike } = strikeClient();
    const open = (await createInvoice(usd('1.00'))).body;
    const cancelled = await call('PATCH', `/v1/invoices/${open.invoiceId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ invoiceId: open.invoiceId, state: 'CANCELLED' });

    const paid = (await createInvoice(usd('2.00'))).body;
    await quote(paid.invoiceId);
    await strike.pay(paid.invoiceId);
    expectStrikeError(await call('PATCH', `/v1/invoices/${paid.invoiceId}/cancel`), 422, 'INVALID_STATE_FOR_INVOICE_PAID');
    expect((await call('POST', `/v1/invoices/${paid.invoiceId}/cancel`)).status).toBe(404);
  });
});

describe('GET /v1/rates/ticker', () => {
  it('lists every pair among BTC and the priced currencies as decimal strings', async () => {
    const { call } = strikeClient();
    const res = await call('GET', '/v1/rates/ticker');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(6);
    expect(res.body).toEqual(
      expect.arrayContaining([
        { amount: '100000', sourceCurrency: 'BTC', targetCurrency: 'USD' },
        { amount: '0.00001', sourceCurrency: 'USD', targetCurrency: 'BTC' },
        { amount: '0.92', sourceCurrency: 'USD', targetCurrency: 'EUR' },
      ]),
    );
  });
});

describe('rate limits', () => {
  const readLimit = { max: 3, windowMs: 10 * 60_000, lockoutMs: 60 * 60_000 };

  it('locks every "everything else" request out for an hour once the budget is exceeded', async () => {
    const { call, createInvoice, strike } = strikeClient({ readLimit });
    const invoice = (await createInvoice(usd('1.00'))).body;
    const get = () => call('GET', `/v1/invoices/${invoice.invoiceId}`);
    for (let i = 0; i < 3; i++) expect((await get()).status).toBe(200);
    const over = await get();
    expectStrikeError(over, 429, 'RATE_LIMIT_EXCEEDED');
    expect(over.headers.get('Retry-After')).toBe('3600');

    // The window would have room again after 10 minutes, but the lockout lasts the hour, for every such request.
    vi.setSystemTime(NOW + 59 * 60_000);
    expectStrikeError(await get(), 429, 'RATE_LIMIT_EXCEEDED');
    expectStrikeError(await call('GET', '/v1/subscriptions'), 429, 'RATE_LIMIT_EXCEEDED');
    expectStrikeError(await call('PATCH', `/v1/invoices/${invoice.invoiceId}/cancel`), 429, 'RATE_LIMIT_EXCEEDED');
    // Creates, quotes and rates have their own budget.
    expect((await createInvoice(usd('2.00'))).status).toBe(201);
    expect((await call('GET', '/v1/rates/ticker')).status).toBe(200);

    vi.setSystemTime(NOW + 60 * 60_000);
    expect((await get()).status).toBe(200);
    expect(strike.readCount()).toBe(8);
  });

  it('slides the window: paced reads never lock out, a burst across a window boundary does', async () => {
    const { call } = strikeClient({ readLimit });
    // Three reads per ten minutes, evenly spaced, for an hour.
    for (let i = 0; i < 18; i++) {
      vi.setSystemTime(NOW + i * 200_000);
      expect((await call('GET', '/v1/invoices')).status).toBe(200);
    }
    // A fixed window starting on the hour would let the fourth read through; a sliding one does not.
    const burstStart = NOW + 2 * 60 * 60_000;
    vi.setSystemTime(burstStart - 1_000);
    for (let i = 0; i < 3; i++) expect((await call('GET', '/v1/invoices')).status).toBe(200);
    vi.setSystemTime(burstStart + 1_000);
    expectStrikeError(await call('GET', '/v1/invoices'), 429, 'RATE_LIMIT_EXCEEDED');
  });

  it('answers 429 over the per-minute create budget, without a lockout', async () => {
    const { createInvoice, quote, call } = strikeClient({ createLimitPerMinute: 2 });
    const first = (await createInvoice(usd('1.00'))).body;
    expect((await createInvoice(usd('2.00'))).status).toBe(201);
    const over = await createInvoice(usd('3.00'));
    expectStrikeError(over, 429, 'RATE_LIMIT_EXCEEDED');
    expect(over.headers.get('Retry-After')).toBe('60');
    // Each documented endpoint has its own budget; reads are unaffected.
    expect((await quote(first.invoiceId)).status).toBe(201);
    expect((await call('GET', '/v1/invoices')).status).toBe(200);
    vi.setSystemTime(NOW + 60_000);
    expect((await createInvoice(usd('3.00'))).status).toBe(201);
  });
});

describe('fault modes', () => {
  it.each([
    ['error', 500, 'INTERNAL_SERVER_ERROR'],
    ['unavailable', 503, 'MAINTENANCE_MODE'],
    ['rate-limited', 429, 'RATE_LIMIT_EXCEEDED'],
  ] as const)('%s answers %i %s in the Strike error shape', async (mode, status, code) => {
    const { call, strike } = strikeClient();
    strike.control.setFault({ mode, times: 1 });
    expectStrikeError(await call('GET', '/v1/invoices'), status, code);
    expect((await call('GET', '/v1/invoices')).status).toBe(200);
  });

  it('faults only creates when scoped so', async () => {
    const { call, createInvoice, strike } = strikeClient();
    strike.control.setFault({ mode: 'unavailable', scope: 'create' });
    expectStrikeError(await createInvoice(usd('1.00')), 503, 'MAINTENANCE_MODE');
    expect((await call('GET', '/v1/invoices')).status).toBe(200);
  });
});

describe('control routes over HTTP', () => {
  it('pays, lists invoices, counts reads and redelivers for tests in other processes', async () => {
    const receiver = await webhookReceiver();
    const { strike, createInvoice, quote, call } = strikeClient();
    const server = await listen(strike.app);
    try {
      await call('POST', '/v1/subscriptions', {
        body: { webhookUrl: receiver.url, webhookVersion: 'v1', secret: SECRET, enabled: true, eventTypes: ['invoice.updated'] },
      });
      const invoice = (await createInvoice(usd('1.00'))).body;
      expect((await fetch(`${server.url}/__fake/pay/${invoice.invoiceId}`, { method: 'POST' })).status).toBe(409);
      await quote(invoice.invoiceId);
      expect((await fetch(`${server.url}/__fake/pay/${invoice.invoiceId}`, { method: 'POST' })).status).toBe(204);

      const invoices = await (await fetch(`${server.url}/__fake/invoices`)).json();
      expect(invoices).toEqual([expect.objectContaining({ invoiceId: invoice.invoiceId, state: 'PAID', quotes: [expect.any(Object)] })]);
      expect(await (await fetch(`${server.url}/__fake/read-count`)).json()).toEqual({ readCount: 1 });
      expect((await fetch(`${server.url}/__fake/redeliver-last`, { method: 'POST' })).status).toBe(204);
      expect(receiver.received).toHaveLength(3);
      const prices = await fetch(`${server.url}/__fake/btc-prices`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ USD: 50_000 }),
      });
      expect(prices.status).toBe(204);
      expect((await call('GET', '/v1/rates/ticker')).body).toContainEqual({ amount: '50000', sourceCurrency: 'BTC', targetCurrency: 'USD' });
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});
