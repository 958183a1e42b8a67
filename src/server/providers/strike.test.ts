/**
 * What only Strike does, against the fake Strike (e2e/fakes/strike): quotes that last 30 seconds,
 * the paid time only on a single read with transactions, a read allowance whose excess locks the
 * account out for an hour, and webhooks signed over the raw bytes. What every provider does is
 * the provider contract (contract.test.ts).
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { listen, type RunningFake } from '../../../e2e/fakes/common';
import { createFakeStrike, type FakeStrike } from '../../../e2e/fakes/strike';
import { DEVICE_HEADER, Invoice, MANAGER_AS_CASHIER, UNNAMED_CASHIER_ID } from '../../contract/api';
import { decodePaymentRequest } from '../bolt11';
import { cashier, providerProxy, type ProviderProxy } from '../test-support/harness';
import { STRIKE_WEBHOOK_SECRET } from '../test-support/modes';
import { MemoryStore } from '../store';
import { cashierIdOf } from '../staff';
import { z } from '../zod';
import { CORRELATION_ID_MAX_LENGTH, correlationIdOf } from './strike';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');

let fake: FakeStrike;
let server: RunningFake;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: T0 });
  fake = createFakeStrike();
  server = await listen(fake.app);
});
afterEach(async () => {
  await server.close();
  vi.useRealTimers();
});

function strikeProxy(env: Record<string, string> = {}, fetcher?: typeof fetch): ProviderProxy {
  return providerProxy(
    { POS_PROVIDER: 'strike', POS_CASHIER_PIN: '1234', POS_MANAGER_PIN: '999999', STRIKE_API_URL: server.url, STRIKE_API_KEY: fake.apiKey, STRIKE_WEBHOOK_SECRET, ...env },
    fetcher ? { fetch: fetcher } : {},
  );
}

const vendorRequests = (method: string, pathPrefix: string) => fake.control.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));

describe('Strike: what the POS sends', () => {
  it('the total in major units, a correlationId carrying the reference, the tip and the cashier; SAT sales in BTC', async () => {
    const { create } = await cashier(strikeProxy());
    const created = await create({ amount: 1234, currency: 'USD', memo: '2 coffees', tip: 100 }, 'sale-1');
    await create({ amount: 21_000, currency: 'SAT' });
    const [fiat, sats] = vendorRequests('POST', '/v1/invoices').filter((r) => r.path === '/v1/invoices');
    expect(fiat!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(JSON.parse(fiat!.body)).toMatchObject({
      correlationId: correlationIdOf({ reference: 'sale-1', tip: 100, cashier: UNNAMED_CASHIER_ID }),
      description: '2 coffees',
      amount: { amount: '13.34', currency: 'USD' },
    });
    expect(JSON.parse(sats!.body).amount).toEqual({ amount: '0.00021000', currency: 'BTC' });
    // The QR is the quote's BOLT11, good for 30 seconds.
    expect(decodePaymentRequest(created.body.paymentRequest).expiresAt - T0).toBeLessThanOrEqual(30_000);
  });

  it('reads one invoice with its transactions, the only place the paid time is', async () => {
    const { create, read } = await cashier(strikeProxy());
    const sale = (await create({ amount: 500, currency: 'USD' })).body.id as string;
    vi.setSystemTime(T0 + 10_000);
    await read(sale);
    expect(vendorRequests('GET', `/v1/invoices/${sale}`).every((r) => r.query.includeTransactions?.[0] === 'true')).toBe(true);
  });
});

describe('Strike: the cashier in 40 characters of correlationId', () => {
  it('keeps any cashier id with any tip within Strike’s limit; without a cashier, the form of earlier releases', () => {
    for (const cashier of [cashierIdOf('Alice'), MANAGER_AS_CASHIER.id]) {
      for (const tip of [0, 5, 123_456, 99_999_999_999]) {
        const id = correlationIdOf({ reference: `sale-${tip}`, tip, cashier });
        expect(id.length, id).toBeLessThanOrEqual(CORRELATION_ID_MAX_LENGTH);
        expect(id).toMatch(new RegExp(`^pos2-[0-9a-f]{12,24}-${tip}-${cashier}$`));
      }
    }
    expect(correlationIdOf({ reference: 'sale-1', tip: 25 })).toMatch(/^pos1-[0-9a-f]{24}-25$/);
  });

  it('a sale of a release before cashiers counts as nobody’s; a retired cashier’s stays theirs, without a name', async () => {
    const staff = { POS_CASHIER_PIN: '', POS_CASHIERS: 'Alice:2468,Bob:1357' };
    // A sale an earlier release made: `pos1-<24 hex>-<tip>`, no cashier.
    const old = await fetch(`${server.url}/v1/invoices`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${fake.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ correlationId: correlationIdOf({ reference: 'an-old-sale', tip: 25 }), amount: { amount: '2.25', currency: 'USD' } }),
    });
    expect(old.status).toBe(201);
    const before = strikeProxy(staff);
    const bobToken = z.string().parse((await before.unlock('1357')).body.token);
    const bobs = z.parse(Invoice, (await before.call('POST', '/api/invoices', { token: bobToken, body: { amount: 300, currency: 'USD' } })).body);
    await fake.pay(bobs.id);

    // Bob has left: the list names him no more, but his sale stays his.
    const after = providerProxy(
      { POS_PROVIDER: 'strike', POS_MANAGER_PIN: '999999', POS_CASHIERS: 'Alice:2468', STRIKE_API_URL: server.url, STRIKE_API_KEY: fake.apiKey },
      { store: new MemoryStore() },
    );
    const manager = await after.login('manager');
    const listed = z.array(Invoice).parse((await after.call('GET', '/api/payments', { token: manager })).body.data);
    expect(listed.find((i) => i.id === bobs.id)?.cashier).toEqual({ id: cashierIdOf('Bob'), name: '' });
    const oldOne = listed.find((i) => i.id !== bobs.id);
    expect(oldOne).toMatchObject({ amount: 200, tip: 25, cashier: null });
    expect((await after.call('GET', `/api/payments?cashier=${cashierIdOf('Bob')}`, { token: manager })).body.total).toBe(1);
    const nobodys = await after.call('GET', '/api/payments?cashier=none', { token: manager });
    expect(z.array(Invoice).parse(nobodys.body.data).map((i) => i.id)).toEqual([oldOne!.id]);
  });
});

describe('Strike: quotes', () => {
  it('re-quotes before the 30-second quote ends: the QR changes by itself, without a status read', async () => {
    const { create, read } = await cashier(strikeProxy());
    const created = await create({ amount: 500, currency: 'USD' });
    const readsBefore = vendorRequests('GET', '/v1/invoices/').length;
    const seen = new Set([created.body.paymentRequest as string]);
    for (let second = 1; second <= 120; second++) {
      vi.setSystemTime(T0 + second * 1000);
      const polled = await read(created.body.id);
      expect(polled.body.status, `at ${second}s`).toBe('pending');
      expect(Date.parse(polled.body.expiresAt)).toBeGreaterThan(Date.now());
      seen.add(polled.body.paymentRequest);
    }
    expect(seen.size).toBeGreaterThanOrEqual(5); // a new quote about every 22 s
    expect(vendorRequests('POST', `/v1/invoices/${created.body.id}/quote`).length).toBe(seen.size);
    expect(vendorRequests('GET', '/v1/invoices/').length - readsBefore).toBeLessThanOrEqual(120);
  });

  it('the sale ends at POS_INVOICE_EXPIRY, not with a quote: no quote after it, then expired', async () => {
    const { create, read } = await cashier(strikeProxy({ POS_INVOICE_EXPIRY: '60' }));
    const created = await create({ amount: 500, currency: 'USD' });
    let last = created;
    for (let second = 1; second <= 100; second++) {
      vi.setSystemTime(T0 + second * 1000);
      last = await read(created.body.id);
      if (second < 60) expect(last.body.status, `at ${second}s`).toBe('pending');
    }
    expect(last.body.status).toBe('expired');
    const quotes = vendorRequests('POST', `/v1/invoices/${created.body.id}/quote`).length;
    vi.setSystemTime(T0 + 200_000);
    await read(created.body.id);
    expect(vendorRequests('POST', `/v1/invoices/${created.body.id}/quote`).length).toBe(quotes);
  });
});

describe('Strike: errors and its limits', () => {
  it('maintenance is named as such; a refused amount keeps Strike’s code', async () => {
    const { create } = await cashier(strikeProxy());
    fake.control.setFault({ mode: 'unavailable', scope: 'create', times: 1 });
    expect((await create({ amount: 500, currency: 'USD' })).body.error.message).toMatch(/maintenance/);
    const tamper: typeof fetch = (input, init) =>
      fetch(input, typeof init?.body === 'string' ? { ...init, body: init.body.replace(/"amount":"[\d.]+"/, '"amount":"-1.00"') } : init);
    const res = await (await cashier(strikeProxy({}, tamper))).create({ amount: 500, currency: 'USD' });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'provider_error', details: { providerCode: 'INVALID_AMOUNT' } });
  });

  it('after a 429 on reads, no read until Strike says; quotes, limited apart, go on', async () => {
    const { create, read } = await cashier(strikeProxy());
    const created = await create({ amount: 500, currency: 'USD' });
    fake.control.setFault({ mode: 'rate-limited', scope: 'read' });
    vi.setSystemTime(T0 + 2_000);
    await read(created.body.id);
    const reads = () => fake.control.requests.filter((r) => r.method === 'GET').length;
    const asked = reads();
    for (let s = 3; s < 50; s++) {
      vi.setSystemTime(T0 + s * 1000);
      const res = await read(created.body.id);
      expect(res.body.status).toBe('pending');
      expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now()); // its QR stays fresh
    }
    expect(reads()).toBe(asked);
  });

  it('10 tablets polling for 10 simulated minutes cost fewer than 1,000 reads, and a payment is seen', async () => {
    const proxy = strikeProxy({ POS_INVOICE_EXPIRY: '900' });
    const checkouts: { id: string; token: string }[] = [];
    for (let i = 0; i < 10; i++) {
      vi.setSystemTime(T0 - (10 - i) * 1000);
      // A tablet of its own: a paired tablet has one cashier session at a time.
      const device = (await proxy.call('POST', '/api/devices/pair', { body: { code: proxy.config.setupCode, name: `Tablet ${i + 1}` } })).body.device as string;
      const token = (await proxy.call('POST', '/api/session', { body: { pin: '1234' }, headers: { [DEVICE_HEADER]: device } })).body.token as string;
      checkouts.push({ token, id: (await proxy.call('POST', '/api/invoices', { token, body: { amount: 100 + i, currency: 'USD' } })).body.id as string });
    }
    const readsAtStart = fake.readCount();
    let paidSeenAt: number | null = null;
    const payAt = T0 + 300_000;
    for (let second = 1; second <= 600; second++) {
      const now = T0 + second * 1000;
      vi.setSystemTime(now);
      if (now === payAt) await fake.pay(checkouts[3]!.id);
      const answers = await Promise.all(checkouts.map(({ id, token }) => proxy.call('GET', `/api/invoices/${id}`, { token })));
      for (const answer of answers) expect(answer.status, `at ${second}s`).toBe(200);
      if (paidSeenAt === null && answers[3]!.body.status === 'paid') paidSeenAt = now;
    }
    const reads = fake.readCount() - readsAtStart;
    expect(reads).toBeLessThanOrEqual(600); // the checkouts' part of the allowance
    expect(fake.control.requests.filter((r) => r.method === 'GET').length).toBeGreaterThan(300); // it did read
    expect(paidSeenAt! - payAt).toBeLessThanOrEqual(10_000);
  }, 90_000);

  it('the manager’s reports spend their own part of the allowance, never the checkouts’', async () => {
    const proxy = strikeProxy();
    const { create, read } = await cashier(proxy);
    // Thirty sales paid while no tablet looked: a report must read each to learn when.
    for (let i = 0; i < 30; i++) {
      vi.setSystemTime(T0 + i * 1000); // within Strike's 250 quotes a minute
      const id = (await create({ amount: 100 + i, currency: 'USD' })).body.id as string;
      await fake.pay(id);
    }
    vi.setSystemTime(T0 + 90_000);
    const history = await proxy.call('GET', '/api/history', { token: await proxy.login('manager') });
    expect(history.status).toBe(503);
    expect(history.body.error.message).toMatch(/pacing/);
    // The checkout on the tablet is read as ever.
    const open = (await create({ amount: 999, currency: 'USD' })).body.id as string;
    vi.setSystemTime(T0 + 92_000);
    const before = vendorRequests('GET', `/v1/invoices/${open}`).length;
    expect((await read(open)).status).toBe(200);
    expect(vendorRequests('GET', `/v1/invoices/${open}`).length).toBe(before + 1);
    // What the report learnt is kept: within a few minutes it has every sale, dated when paid.
    let later = history;
    for (let minute = 2; minute < 8 && later.status !== 200; minute++) {
      vi.setSystemTime(T0 + minute * 61_000);
      later = await proxy.call('GET', '/api/history?group=hour', { token: await proxy.login('manager') });
    }
    expect(later.body.data).toEqual([expect.objectContaining({ date: '2026-11-22T10', count: 30 })]);
  }, 30_000);
});

describe('Strike: webhook signatures', () => {
  const event = (created: number, id = `evt-${created}`) =>
    JSON.stringify({ id, eventType: 'invoice.updated', webhookVersion: 'v1', data: { entityId: '00000000-0000-4000-8000-000000000000', changes: ['state'] }, created: new Date(created).toISOString() });
  const sign = (body: string, secret = STRIKE_WEBHOOK_SECRET) => createHmac('sha256', secret).update(body).digest('hex');
  const post = (proxy: ProviderProxy, body: string, signature?: string) =>
    proxy.call('POST', '/api/webhooks/strike', { rawBody: body, headers: { 'Content-Type': 'application/json', ...(signature === undefined ? {} : { 'X-Webhook-Signature': signature }) } });

  it('over the raw bytes: the same JSON re-serialised, a changed byte, another secret or no header are refused', async () => {
    const proxy = strikeProxy();
    const body = event(T0);
    for (const [what, rawBody, signature] of [
      ['missing', body, undefined],
      ['re-serialised', JSON.stringify(JSON.parse(body), null, 2), sign(body)],
      ['another secret', body, sign(body, 'other-secret-123')],
      ['short', body, sign(body).slice(0, -2)],
      ['not hex', body, sign(body).replace(/[0-9a-f]/, 'g')],
    ] as const) {
      const res = await post(proxy, rawBody, signature);
      expect(res.status, what).toBe(401);
      expect(res.body.error.code).toBe('invalid_signature');
    }
    expect(vendorRequests('GET', '/v1/invoices/')).toHaveLength(0);
  });

  it('takes upper-case hex (as strike-rs decodes it) and refuses stale deliveries', async () => {
    const proxy = strikeProxy();
    const fresh = event(T0 - 60_000);
    expect((await post(proxy, fresh, sign(fresh).toUpperCase())).status).toBe(204);
    const stale = event(T0 - 2 * 3600_000);
    expect((await post(proxy, stale, sign(stale))).status).toBe(400);
  });
});
