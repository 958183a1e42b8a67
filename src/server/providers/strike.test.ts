/**
 * The real proxy against the fake Strike (e2e/fakes/strike.ts) on loopback: every path of the
 * adapter through the API, and the read budget under ten polling tablets.
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { listen, type RunningFake } from '../../../e2e/fakes/common';
import { createFakeStrike, type FakeStrike } from '../../../e2e/fakes/strike';
import { decodePaymentRequest } from '../bolt11';
import { cashier, loopbackForProxy, providerProxy, type ProviderProxy } from '../test-support/harness';
import { UNNAMED_CASHIER_ID } from '../../contract/api';
import { correlationIdOf } from './strike';

/** The one cashier of POS_CASHIER_PIN: every sale of these tests is theirs. */
const SHARED_PIN = { id: UNNAMED_CASHIER_ID, name: '' };

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const WEBHOOK_SECRET = 'strike-webhook-secret-42';

let fake: FakeStrike;
let server: RunningFake;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: T0 });
  fake = createFakeStrike({ btcPrices: { USD: 100_000, EUR: 92_000 } });
  server = await listen(fake.app);
});
afterEach(async () => {
  await server.close();
  vi.useRealTimers();
});

function strikeProxy(env: Record<string, string> = {}, timeoutMs?: number, fetcher?: typeof fetch): ProviderProxy {
  return providerProxy(
    {
      POS_PROVIDER: 'strike',
      POS_CASHIER_PIN: '1234',
      POS_MANAGER_PIN: '999999',
      STRIKE_API_URL: server.url,
      STRIKE_API_KEY: fake.apiKey,
      STRIKE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ...env,
    },
    { ...(timeoutMs ? { timeoutMs } : {}), ...(fetcher ? { fetch: fetcher } : {}) },
  );
}

const vendorRequests = (method: string, pathPrefix: string) =>
  fake.control.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));

describe('Strike: create → pending → paid', () => {
  it('makes a fiat invoice, quotes it, and reads paid once the customer pays', async () => {
    const proxy = strikeProxy();
    const { create, read } = await cashier(proxy);
    const created = await create({ amount: 1234, currency: 'USD', memo: '2 coffees', tip: 100 }, 'sale-1');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending', amount: 1234, tip: 100, currency: 'USD', memo: '2 coffees' });

    // What Strike was asked for: the total in major units, a correlationId carrying the tip.
    const [request] = vendorRequests('POST', '/v1/invoices').filter((r) => r.path === '/v1/invoices');
    expect(JSON.parse(request!.body)).toMatchObject({
      correlationId: correlationIdOf({ reference: 'sale-1', tip: 100, cashier: SHARED_PIN }),
      description: '2 coffees',
      amount: { amount: '13.34', currency: 'USD' },
    });
    expect(request!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);

    // The QR is the quote's BOLT11; amountSats and expiresAt are what it says.
    const bolt11 = decodePaymentRequest(created.body.paymentRequest);
    expect(created.body.amountSats).toBe(13_340);
    expect(Number(bolt11.amountMsat)).toBe(13_340_000);
    expect(Date.parse(created.body.expiresAt)).toBe(bolt11.expiresAt);
    expect(bolt11.expiresAt - T0).toBeLessThanOrEqual(30_000);

    await fake.pay(created.body.id);
    vi.setSystemTime(T0 + 1_500);
    const paid = await read(created.body.id);
    expect(paid.body).toMatchObject({ status: 'paid', amount: 1234, tip: 100 });
    expect(paid.body.paidAt).not.toBeNull();
  });

  it('invoices SAT sales in BTC', async () => {
    const proxy = strikeProxy();
    const { create } = await cashier(proxy);
    const created = await create({ amount: 21_000, currency: 'SAT' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ amount: 21_000, currency: 'SAT', amountSats: 21_000 });
    const body = JSON.parse(vendorRequests('POST', '/v1/invoices').find((r) => r.path === '/v1/invoices')!.body);
    expect(body.amount).toEqual({ amount: '0.00021000', currency: 'BTC' });
  });
});

describe('Strike: quotes', () => {
  it('re-quotes before the 30-second quote ends: the QR changes by itself, without a status read', async () => {
    const proxy = strikeProxy();
    const { create, read } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    const readsBefore = vendorRequests('GET', '/v1/invoices/').length;
    let current = created.body.paymentRequest as string;
    const seen = new Set([current]);
    for (let second = 1; second <= 120; second++) {
      vi.setSystemTime(T0 + second * 1000);
      const polled = await read(created.body.id);
      expect(polled.body.status, `at ${second}s`).toBe('pending');
      expect(Date.parse(polled.body.expiresAt)).toBeGreaterThan(Date.now());
      current = polled.body.paymentRequest;
      seen.add(current);
    }
    expect(seen.size).toBeGreaterThanOrEqual(5); // a new quote about every 22 s
    expect(vendorRequests('POST', `/v1/invoices/${created.body.id}/quote`).length).toBe(seen.size);
    // Renewal needs no read, and the routine reads stay within the budget.
    expect(vendorRequests('GET', '/v1/invoices/').length - readsBefore).toBeLessThanOrEqual(120);
  });

  it('expires when the sale is over: no quote after POS_INVOICE_EXPIRY', async () => {
    const proxy = strikeProxy({ POS_INVOICE_EXPIRY: '60' });
    const { create, read } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    let last = created;
    for (let second = 1; second <= 100; second++) {
      vi.setSystemTime(T0 + second * 1000);
      last = await read(created.body.id);
    }
    expect(last.body.status).toBe('expired');
    const quotes = vendorRequests('POST', `/v1/invoices/${created.body.id}/quote`).length;
    vi.setSystemTime(T0 + 200_000);
    await read(created.body.id);
    expect(vendorRequests('POST', `/v1/invoices/${created.body.id}/quote`).length).toBe(quotes);
  });
});

describe('Strike: cancel', () => {
  it('cancels an unpaid invoice', async () => {
    const proxy = strikeProxy();
    const { create, cancel, read } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    const cancelled = await cancel(created.body.id);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(fake.invoices()[0]!.state).toBe('CANCELLED');
    expect((await read(created.body.id)).body.status).toBe('cancelled');
  });

  it('refuses to cancel a paid invoice (409)', async () => {
    const proxy = strikeProxy();
    const { create, cancel } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    await fake.pay(created.body.id);
    const res = await cancel(created.body.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
  });
});

describe('Strike: faults', () => {
  it.each([
    ['error', 503, 'provider_unavailable'],
    ['unavailable', 503, 'provider_unavailable'],
    ['rate-limited', 503, 'provider_unavailable'],
    ['garbage', 502, 'provider_error'],
  ] as const)('%s from Strike → %i %s with a message a cashier can act on', async (mode, status, code) => {
    const proxy = strikeProxy();
    const { create } = await cashier(proxy);
    fake.control.setFault({ mode, scope: 'create', times: 1 });
    const res = await create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(/Strike/);
    expect(res.text).not.toContain(fake.apiKey);
  });

  it('maintenance is named as such', async () => {
    const proxy = strikeProxy();
    const { create } = await cashier(proxy);
    fake.control.setFault({ mode: 'unavailable', scope: 'create', times: 1 });
    expect((await create({ amount: 500, currency: 'USD' })).body.error.message).toMatch(/maintenance/);
  });

  it('a refused amount (INVALID_AMOUNT) → 502 provider_error', async () => {
    // Something between the proxy and Strike garbles the amount; Strike refuses it.
    const tamper: typeof fetch = (input, init) =>
      fetch(input, typeof init?.body === 'string' ? { ...init, body: init.body.replace(/"amount":"[\d.]+"/, '"amount":"-1.00"') } : init);
    const proxy = strikeProxy({}, undefined, tamper);
    const { create } = await cashier(proxy);
    const res = await create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'provider_error', details: { providerCode: 'INVALID_AMOUNT' } });
  });

  it('a provider that does not answer → 504 provider_timeout', async () => {
    const proxy = strikeProxy({}, 300);
    const { create } = await cashier(proxy);
    fake.control.setFault({ mode: 'hang', scope: 'create' });
    const res = await create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('provider_timeout');
  });

  it('after a 429 on reads the adapter stops reading for a while (quotes, budgeted apart, go on)', async () => {
    const proxy = strikeProxy();
    const { create, read } = await cashier(proxy);
    const created = await create({ amount: 500, currency: 'USD' });
    fake.control.setFault({ mode: 'rate-limited', scope: 'read' });
    vi.setSystemTime(T0 + 2_000);
    await read(created.body.id);
    const reads = () => fake.control.requests.filter((r) => r.method === 'GET').length;
    const asked = reads();
    for (let s = 3; s < 50; s++) {
      vi.setSystemTime(T0 + s * 1000);
      const res = await read(created.body.id);
      expect(res.body.status).toBe('pending'); // the last answer stands
      expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now()); // and its QR stays fresh
    }
    expect(reads()).toBe(asked);
  });
});

describe('Strike: a lost response', () => {
  it('finds the invoice by correlationId instead of making a second', async () => {
    const proxy = strikeProxy();
    const { create } = await cashier(proxy);
    fake.control.setFault({ mode: 'drop', scope: 'create', times: 1 });
    const res = await create({ amount: 700, currency: 'USD', tip: 50 }, 'lost-1');
    expect(res.status).toBe(201);
    expect(fake.invoices()).toHaveLength(1);
    expect(res.body).toMatchObject({ id: fake.invoices()[0]!.invoiceId, amount: 700, tip: 50, status: 'pending' });
    const lookup = vendorRequests('GET', '/v1/invoices').find((r) => r.path === '/v1/invoices');
    expect(lookup?.query.$filter).toEqual([`correlationId eq '${correlationIdOf({ reference: 'lost-1', tip: 50, cashier: SHARED_PIN })}'`]);
  });

  it('and when the tablet retries after a failure, the retry finds it too', async () => {
    const proxy = strikeProxy();
    const { create } = await cashier(proxy);
    // The invoice is made, then quoting fails: the tablet sees an error and retries.
    fake.control.setFault({ mode: 'error', scope: 'create', times: 0 });
    let first = await create({ amount: 800, currency: 'USD' }, 'retry-1');
    expect(first.status).toBe(503);
    fake.control.setFault({ mode: 'none' });
    first = await create({ amount: 800, currency: 'USD' }, 'retry-1');
    expect(first.status).toBe(201);
    expect(fake.invoices().length).toBeLessThanOrEqual(1);
  });
});

describe('Strike: webhooks', () => {
  async function withWebhooks() {
    const endpoint = await loopbackForProxy();
    const proxy = strikeProxy({ POS_PUBLIC_URL: endpoint.url });
    endpoint.attach(proxy.app);
    const subscribe = await fake.app.request('/v1/subscriptions', {
      method: 'POST',
      headers: { Authorization: `Bearer ${fake.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        webhookUrl: `${endpoint.url}/api/webhooks/strike`,
        webhookVersion: 'v1',
        secret: WEBHOOK_SECRET,
        enabled: true,
        eventTypes: ['invoice.updated'],
      }),
    });
    expect(subscribe.status).toBe(201);
    return { proxy, endpoint };
  }

  it('a verified webhook makes the proxy read the invoice at once', async () => {
    const { proxy, endpoint } = await withWebhooks();
    try {
      const { create, read } = await cashier(proxy);
      const created = await create({ amount: 500, currency: 'USD' });
      await read(created.body.id); // cached from here on
      const before = vendorRequests('GET', `/v1/invoices/${created.body.id}`).length;
      await fake.pay(created.body.id); // delivers signed invoice.updated webhooks
      expect(fake.deliveries().every((d) => d.status === 204)).toBe(true);
      expect(vendorRequests('GET', `/v1/invoices/${created.body.id}`).length).toBeGreaterThan(before);
      // No time has passed: the tablet's next poll sees paid from the webhook's re-read.
      expect((await read(created.body.id)).body.status).toBe('paid');
    } finally {
      await endpoint.close();
    }
  });

  it('a replayed delivery is read only once', async () => {
    const { proxy, endpoint } = await withWebhooks();
    try {
      const { create } = await cashier(proxy);
      const created = await create({ amount: 500, currency: 'USD' });
      await fake.pay(created.body.id);
      const reads = vendorRequests('GET', `/v1/invoices/${created.body.id}`).length;
      await fake.redeliverLast();
      expect(fake.deliveries().at(-1)?.status).toBe(204);
      expect(vendorRequests('GET', `/v1/invoices/${created.body.id}`).length).toBe(reads);
    } finally {
      await endpoint.close();
    }
  });

  it('refuses a bad or missing signature with 401, and never reads because of it', async () => {
    const proxy = strikeProxy();
    const body = JSON.stringify({
      id: 'evt-1',
      eventType: 'invoice.updated',
      webhookVersion: 'v1',
      data: { entityId: '00000000-0000-4000-8000-000000000000', changes: ['state'] },
      created: new Date(T0).toISOString(),
    });
    const good = createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex');
    for (const signature of [undefined, 'nope', good.replace(/.$/, (c) => (c === '0' ? '1' : '0')), createHmac('sha256', 'other-secret-123').update(body).digest('hex')]) {
      const res = await proxy.call('POST', '/api/webhooks/strike', {
        rawBody: body,
        headers: { 'Content-Type': 'application/json', ...(signature ? { 'X-Webhook-Signature': signature } : {}) },
      });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_signature');
    }
    // The signature is over the raw bytes: the same JSON re-serialised does not pass.
    const spaced = body.replace(/,/g, ', ');
    const res = await proxy.call('POST', '/api/webhooks/strike', {
      rawBody: spaced,
      headers: { 'Content-Type': 'application/json', 'X-Webhook-Signature': good },
    });
    expect(res.status).toBe(401);
    expect(vendorRequests('GET', '/v1/invoices/')).toHaveLength(0);
  });

  it('accepts upper-case hex and refuses stale deliveries', async () => {
    const proxy = strikeProxy();
    const event = (created: number) =>
      JSON.stringify({ id: `evt-${created}`, eventType: 'subscription.test', data: {}, created: new Date(created).toISOString() });
    const sign = (body: string) => createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex').toUpperCase();
    const fresh = event(T0 - 60_000);
    expect((await proxy.call('POST', '/api/webhooks/strike', { rawBody: fresh, headers: { 'Content-Type': 'application/json', 'X-Webhook-Signature': sign(fresh) } })).status).toBe(204);
    const stale = event(T0 - 2 * 3600_000);
    const res = await proxy.call('POST', '/api/webhooks/strike', { rawBody: stale, headers: { 'Content-Type': 'application/json', 'X-Webhook-Signature': sign(stale) } });
    expect(res.status).toBe(400);
  });

  it('answers 404 for webhooks of a provider the POS does not use', async () => {
    const proxy = strikeProxy();
    expect((await proxy.call('POST', '/api/webhooks/btcpay', { body: {} })).status).toBe(404);
    expect((await proxy.call('POST', '/api/webhooks/paypal', { body: {} })).status).toBe(404);
  });
});

describe('Strike: the read budget', () => {
  it('10 tablets polling for 10 simulated minutes cost fewer than 1,000 reads, and a payment is seen', async () => {
    const proxy = strikeProxy({ POS_INVOICE_EXPIRY: '900' });
    const { create, read } = await cashier(proxy);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await create({ amount: 100 + i, currency: 'USD' })).body.id);
    const readsAtStart = fake.readCount();
    let paidSeenAt: number | null = null;
    const payAt = T0 + 300_000;
    for (let second = 1; second <= 600; second++) {
      const now = T0 + second * 1000;
      vi.setSystemTime(now);
      if (now === payAt) await fake.pay(ids[3]!);
      const answers = await Promise.all(ids.map((id) => read(id)));
      for (const answer of answers) expect(answer.status, `at ${second}s`).toBe(200);
      if (paidSeenAt === null && answers[3]!.body.status === 'paid') paidSeenAt = now;
      for (const [i, answer] of answers.entries()) if (i !== 3) expect(answer.body.status).toBe('pending');
    }
    const reads = fake.readCount() - readsAtStart;
    expect(reads).toBeLessThan(1000);
    expect(reads).toBeLessThanOrEqual(750); // the adapter's own share of the budget
    expect(fake.control.requests.filter((r) => r.method === 'GET').length).toBeGreaterThan(300); // it did read
    expect(paidSeenAt).not.toBeNull();
    // The budget allows ~1.2 reads/s; shared by 10 invoices that is one read each ~8 s.
    expect(paidSeenAt! - payAt).toBeLessThanOrEqual(10_000);
  }, 60_000);
});
