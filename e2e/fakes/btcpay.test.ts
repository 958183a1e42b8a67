/**
 * The fake BTCPay against PROVIDERS.md §3.1–3.2 and the Greenfield OpenAPI fragments: every answer
 * in these tests must match its documented schema (checked after each test), and requests that do
 * not are recorded.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodePaymentRequest } from '../../src/server/bolt11';
import { createFakeBtcpay, type FakeBtcpay, type FakeBtcpayOptions } from './btcpay';
import { z } from '../../src/server/zod';
import { btcpaySchemas } from './btcpay-schemas';
import { listen, type FakeEnv } from './common';

const STORE_ID = '9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776';
const MODIFY_INVOICES = 'btcpay.store.canmodifyinvoices';

// ---------------------------------------------------------------- harness

interface Made {
  fake: FakeBtcpay;
  /** Tests that send bad requests on purpose check their own request violations. */
  badRequests: boolean;
}
const made: Made[] = [];

function makeFake(options: FakeBtcpayOptions = {}, badRequests = false): FakeBtcpay {
  const fake = createFakeBtcpay({ storeId: STORE_ID, btcPrices: { USD: 100_000, EUR: 90_000 }, ...options });
  made.push({ fake, badRequests });
  return fake;
}

afterEach(() => {
  vi.useRealTimers();
  for (const { fake, badRequests } of made.splice(0)) {
    fake.dispose();
    const violations = fake.schemaViolations().filter((v) => !badRequests || !v.startsWith('request'));
    expect(violations).toEqual([]);
  }
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; tests read it through the schemas below or compare it whole. */
  json: unknown;
}

// What the tests read out of answers (the OpenAPI check of every answer is the fake's own).
const Invoice = z.looseObject({
  id: z.string(),
  status: z.string(),
  createdTime: z.number(),
  expirationTime: z.number(),
  checkout: z.looseObject({ paymentMethods: z.array(z.string()) }),
});
const Invoices = z.array(Invoice);
const Lightning = z.looseObject({
  destination: z.string(),
  payments: z.array(z.unknown()),
  additionalData: z.looseObject({ paymentHash: z.optional(z.string()), preimage: z.optional(z.string()) }),
});
const Webhook = z.looseObject({ id: z.string(), secret: z.string() });
const ValidationErrors = z.array(z.object({ path: z.string(), message: z.string() }));
const Delivery = z.looseObject({ id: z.string() });
const WebhookBody = z.looseObject({ type: z.string(), deliveryId: z.string(), originalDeliveryId: z.string() });
type WebhookBody = z.infer<typeof WebhookBody>;

const pathsOf = (answer: Answer) => ValidationErrors.parse(answer.json).map((error) => error.path);
const idsOf = (answer: Answer) => Invoices.parse(answer.json).map((invoice) => invoice.id);
const webhookBody = (raw: Buffer): WebhookBody => WebhookBody.parse(JSON.parse(raw.toString('utf8')));

async function call(
  fake: FakeBtcpay,
  method: string,
  path: string,
  body?: unknown,
  auth: string | null = `token ${fake.apiKey}`,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (auth !== null) headers.Authorization = auth;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fake.app.request(path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const invoicesPath = `/api/v1/stores/${STORE_ID}/invoices`;

async function createInvoice(fake: FakeBtcpay, body: Record<string, unknown> = { amount: '5.00' }) {
  const answer = await call(fake, 'POST', invoicesPath, body);
  expect(answer.status, answer.text).toBe(200);
  return Invoice.parse(answer.json);
}

async function lightningOf(fake: FakeBtcpay, invoiceId: string) {
  const answer = await call(fake, 'GET', `${invoicesPath}/${invoiceId}/payment-methods`);
  expect(answer.status).toBe(200);
  const [method, ...others] = z.array(Lightning).parse(answer.json);
  expect(others).toEqual([]);
  return method!;
}

/** A loopback endpoint that keeps every webhook delivery as raw bytes; answers 200 once `failures` run out. */
async function startReceiver(failures: (500 | 503 | 429)[] = []) {
  const received: { headers: Headers; raw: Buffer }[] = [];
  const app = new Hono<FakeEnv>();
  app.post('/hook', async (c) => {
    received.push({ headers: c.req.raw.headers, raw: Buffer.from(await c.req.arrayBuffer()) });
    return c.body(null, failures.shift() ?? 200);
  });
  const server = await listen(app);
  return { url: `${server.url}/hook`, received, close: server.close };
}

async function subscribe(fake: FakeBtcpay, url: string, extra: Record<string, unknown> = {}) {
  const answer = await call(fake, 'POST', `/api/v1/stores/${STORE_ID}/webhooks`, { url, ...extra });
  expect(answer.status, answer.text).toBe(200);
  expect(answer.json).toMatchObject({ enabled: expect.any(Boolean), automaticRedelivery: expect.any(Boolean) });
  return Webhook.parse(answer.json);
}

/** PROVIDERS.md §0: HMAC over the raw bytes, hex-decoded, compared in constant time. */
function signatureMatches(secret: string, raw: Buffer, header: string | null): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// ---------------------------------------------------------------- auth

describe('auth and permissions', () => {
  it('answers 401 with a ProblemDetails body without a known API key', async () => {
    const fake = makeFake();
    for (const auth of [null, 'token wrong-key', `Bearer ${fake.apiKey}`]) {
      const answer = await call(fake, 'GET', invoicesPath, undefined, auth);
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ code: expect.any(String), message: expect.any(String) });
    }
  });

  it('answers 403 to a view-only key that creates, and to another store', async () => {
    const viewOnly = makeFake({ permissions: ['btcpay.store.canviewinvoices'] });
    expect((await call(viewOnly, 'POST', invoicesPath, { amount: '1' })).status).toBe(403);
    expect((await call(viewOnly, 'GET', invoicesPath)).status).toBe(200);

    const fake = makeFake();
    const otherStore = await call(fake, 'POST', '/api/v1/stores/AnotherStore/invoices', { amount: '1' });
    expect(otherStore.status).toBe(403);
    expect(otherStore.json).toEqual({ code: expect.any(String), message: expect.any(String) });
  });

  it('honours store-scoped permissions of the form perm:storeId', async () => {
    const scoped = makeFake({ permissions: [`btcpay.store.cancreateinvoice:${STORE_ID}`] });
    expect((await call(scoped, 'POST', invoicesPath, { amount: '1' })).status).toBe(200);
    const elsewhere = makeFake({ permissions: ['btcpay.store.cancreateinvoice:SomeOtherStore'] });
    expect((await call(elsewhere, 'POST', invoicesPath, { amount: '1' })).status).toBe(403);
  });
});

// ---------------------------------------------------------------- create

describe('creating invoices', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T12:00:00.400Z'));
  });

  it('answers 200 with InvoiceData in the store currency, times in unix seconds', async () => {
    const fake = makeFake();
    const metadata = { orderId: 'order-1', itemDesc: 'Coffee', posData: { tip: 1 } };
    const invoice = await createInvoice(fake, { amount: '5.00', metadata });
    const createdSec = Math.floor(Date.parse('2026-03-01T12:00:00Z') / 1000);
    expect(invoice).toMatchObject({
      storeId: STORE_ID,
      amount: '5.00',
      paidAmount: '0',
      currency: 'USD',
      type: 'Standard',
      status: 'New',
      additionalStatus: 'None',
      archived: false,
      metadata,
      createdTime: createdSec,
      expirationTime: createdSec + 15 * 60,
      monitoringExpiration: createdSec + 15 * 60 + 1440 * 60,
      checkoutLink: `http://localhost/i/${invoice.id}`,
      availableStatusesForManualMarking: ['Settled', 'Invalid'],
    });
    expect(invoice.checkout).toMatchObject({ paymentMethods: ['BTC-LN'], expirationMinutes: 15 });
    expect(fake.schemaViolations()).toEqual([]);
  });

  it('prices BTC, SATS and fiat invoices in whole sats, rounding up', async () => {
    const fake = makeFake();
    const cases = [
      { amount: '0.0001', currency: 'BTC', sats: 10_000n, btc: '0.0001' },
      { amount: '1000', currency: 'SATS', sats: 1000n, btc: '0.00001' },
      { amount: '5.00', currency: 'USD', sats: 5000n, btc: '0.00005' },
      { amount: '0.0123', currency: 'USD', sats: 13n, btc: '0.00000013' },
      { amount: '9', currency: 'eur', sats: 10_000n, btc: '0.0001' },
    ];
    for (const { amount, currency, sats, btc } of cases) {
      const invoice = await createInvoice(fake, { amount, currency });
      expect(invoice.currency).toBe(currency.toUpperCase());
      const lightning = await lightningOf(fake, invoice.id);
      expect(lightning.amount).toBe(btc);
      expect(lightning.due).toBe(btc);
      expect(decodePaymentRequest(lightning.destination).amountMsat).toBe(sats * 1000n);
    }
  });

  it('answers 422 with [{path, message}] for what BTCPay checks', async () => {
    const fake = makeFake({}, true);
    const answer = await call(fake, 'POST', invoicesPath, {
      amount: '-1',
      checkout: { expirationMinutes: 0.25, paymentMethods: ['BTC-LN', 'DOGE-MOON'], paymentTolerance: 150 },
    });
    expect(answer.status).toBe(422);
    expect(pathsOf(answer)).toEqual([
      'amount',
      'checkout.paymentMethods[1]',
      'checkout.expirationMinutes',
      'checkout.paymentTolerance',
    ]);

    const wrongType = await call(fake, 'POST', invoicesPath, { amount: '1', currency: 840, checkout: { expirationMinutes: '15' } });
    expect(wrongType.status).toBe(422);
    expect(pathsOf(wrongType).sort()).toEqual(['checkout.expirationMinutes', 'currency']);

    const notJson = await call(fake, 'POST', invoicesPath, '{"amount":');
    expect(notJson.status).toBe(422);
  });

  it('refuses with 400 what it cannot price in Lightning: top-up, unknown currency, on-chain only', async () => {
    const fake = makeFake();
    for (const body of [{}, { amount: '5', currency: 'XYZ' }, { amount: '5', checkout: { paymentMethods: ['BTC-CHAIN'] } }]) {
      const answer = await call(fake, 'POST', invoicesPath, body);
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ code: 'generic-error', message: expect.any(String) });
    }
  });

  it('accepts the legacy BTC-LightningNetwork id on v2 and answers with BTC-LN', async () => {
    const fake = makeFake();
    const invoice = await createInvoice(fake, { amount: '1', checkout: { paymentMethods: ['BTC-LightningNetwork'] } });
    expect(invoice.checkout.paymentMethods).toEqual(['BTC-LN']);
    expect((await lightningOf(fake, invoice.id)).paymentMethodId).toBe('BTC-LN');
  });

  it('makes the BOLT11 expire with the invoice (expirationMinutes)', async () => {
    const fake = makeFake();
    const invoice = await createInvoice(fake, { amount: '1', checkout: { expirationMinutes: 2 } });
    expect(invoice.expirationTime - invoice.createdTime).toBe(120);
    const decoded = decodePaymentRequest((await lightningOf(fake, invoice.id)).destination);
    expect(decoded.expiresAt).toBe(invoice.expirationTime * 1000);
  });
});

// ---------------------------------------------------------------- routes

describe('invoice routes', () => {
  it('serves an invoice on the store-scoped route and the v2.4 store-less alias', async () => {
    const fake = makeFake();
    const invoice = await createInvoice(fake);
    const scoped = await call(fake, 'GET', `${invoicesPath}/${invoice.id}`);
    const storeless = await call(fake, 'GET', `/api/v1/invoices/${invoice.id}`);
    expect(scoped.status).toBe(200);
    expect(storeless.json).toEqual(scoped.json);
    const methods = await call(fake, 'GET', `/api/v1/invoices/${invoice.id}/payment-methods`);
    expect(methods.json).toEqual([await lightningOf(fake, invoice.id)]);
  });

  it('answers 404 invoice-not-found on both forms', async () => {
    const fake = makeFake();
    for (const path of [`${invoicesPath}/NoSuchInvoice`, '/api/v1/invoices/NoSuchInvoice/payment-methods']) {
      const answer = await call(fake, 'GET', path);
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual({ code: 'invoice-not-found', message: expect.any(String) });
    }
  });

  it('has no store-less alias on an older (v1) server', async () => {
    const fake = makeFake({ version: 'v1' });
    const invoice = await createInvoice(fake, { amount: '1' });
    expect((await call(fake, 'GET', `${invoicesPath}/${invoice.id}`)).status).toBe(200);
    expect((await call(fake, 'GET', `/api/v1/invoices/${invoice.id}`)).status).toBe(404);
  });

  it('includes payment methods in the invoice when asked (v2)', async () => {
    const fake = makeFake();
    const invoice = await createInvoice(fake);
    const answer = await call(fake, 'GET', `${invoicesPath}/${invoice.id}?includePaymentMethods=true`);
    expect(answer.json).toMatchObject({ id: invoice.id, paymentMethods: [{ paymentMethodId: 'BTC-LN' }] });
  });

  it('archives, hides from the list, and unarchives', async () => {
    const fake = makeFake({ permissions: [MODIFY_INVOICES] });
    const invoice = await createInvoice(fake);
    expect((await call(fake, 'DELETE', `${invoicesPath}/${invoice.id}`)).status).toBe(200);
    expect((await call(fake, 'GET', invoicesPath)).json).toEqual([]);
    expect((await call(fake, 'GET', `${invoicesPath}?includeArchived=true`)).json).toMatchObject([{ archived: true }]);
    const restored = await call(fake, 'POST', `/api/v1/invoices/${invoice.id}/unarchive`);
    expect(restored.json).toMatchObject({ archived: false });
  });

  it('replaces the metadata on PUT', async () => {
    const fake = makeFake({ permissions: [MODIFY_INVOICES] });
    const invoice = await createInvoice(fake, { amount: '1', metadata: { orderId: 'a' } });
    const updated = await call(fake, 'PUT', `${invoicesPath}/${invoice.id}`, { metadata: { orderId: 'b', note: 'x' } });
    expect(updated.json).toMatchObject({ metadata: { orderId: 'b', note: 'x' } });
  });
});

// ---------------------------------------------------------------- payment methods

describe('payment methods', () => {
  it('v2: BTC-LN with the BOLT11 as destination, lightning: link and the payment hash', async () => {
    const fake = makeFake();
    const invoice = await createInvoice(fake, { amount: '2.50', metadata: { itemDesc: 'Espresso ☕' } });
    const lightning = await lightningOf(fake, invoice.id);
    const decoded = decodePaymentRequest(lightning.destination);
    expect(lightning).toMatchObject({
      paymentMethodId: 'BTC-LN',
      currency: 'BTC',
      paymentLink: `lightning:${lightning.destination}`,
      rate: '100000',
      amount: '0.000025',
      due: '0.000025',
      paymentMethodPaid: '0',
      totalPaid: '0',
      activated: true,
      payments: [],
      additionalData: { paymentHash: decoded.paymentHash },
    });
    expect(lightning.additionalData).not.toHaveProperty('preimage');
    expect(decoded).toMatchObject({ network: 'bc', amountMsat: 2_500_000n, description: 'Espresso ☕' });
    expect(decoded.expiresAt).toBe(invoice.expirationTime * 1000);
  });

  it('v2: reveals the preimage only with includeSensitive and canmodifystoresettings', async () => {
    const viewer = makeFake();
    const invoice = await createInvoice(viewer);
    const path = `${invoicesPath}/${invoice.id}/payment-methods?includeSensitive=true`;
    expect((await call(viewer, 'GET', path)).status).toBe(403);

    const owner = makeFake({ permissions: ['btcpay.store.canmodifystoresettings'] });
    const ownInvoice = await createInvoice(owner);
    const sensitive = await call(owner, 'GET', `${invoicesPath}/${ownInvoice.id}/payment-methods?includeSensitive=true`);
    const [lightning] = z.array(Lightning).parse(sensitive.json);
    const { preimage = '', paymentHash } = lightning!.additionalData;
    expect(createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex')).toBe(paymentHash);
  });

  it('v1: the older shape with paymentMethod BTC-LightningNetwork and cryptoCode', async () => {
    const fake = makeFake({ version: 'v1' });
    const invoice = await createInvoice(fake, { amount: '1', checkout: { paymentMethods: ['BTC-LightningNetwork'] } });
    expect(invoice.checkout.paymentMethods).toEqual(['BTC-LightningNetwork']);
    const lightning = await lightningOf(fake, invoice.id);
    expect(lightning).toMatchObject({ paymentMethod: 'BTC-LightningNetwork', cryptoCode: 'BTC', amount: '0.00001' });
    expect(lightning).not.toHaveProperty('paymentMethodId');
    expect(lightning.paymentLink).toBe(`lightning:${lightning.destination}`);
    expect(decodePaymentRequest(lightning.destination).amountMsat).toBe(1_000_000n);

    // A 1.x server does not know the v2 name.
    const v2Name = await call(fake, 'POST', invoicesPath, { amount: '1', checkout: { paymentMethods: ['BTC-LN'] } });
    expect(v2Name.status).toBe(422);
    expect(v2Name.json).toEqual([{ path: 'checkout.paymentMethods[0]', message: 'Invalid payment method' }]);
  });
});

// ---------------------------------------------------------------- list

describe('listing invoices', () => {
  async function seed(fake: FakeBtcpay) {
    vi.useFakeTimers({ toFake: ['Date'] });
    const ids: string[] = [];
    for (const [index, orderId] of ['A', 'B', 'C', 'A'].entries()) {
      vi.setSystemTime(new Date(Date.UTC(2026, 2, 1, 12, index)));
      ids.push((await createInvoice(fake, { amount: String(index + 1), metadata: { orderId, itemDesc: `item ${index}` } })).id);
    }
    return ids;
  }
  it('lists newest first as a bare array, with no total', async () => {
    const fake = makeFake();
    const ids = await seed(fake);
    const answer = await call(fake, 'GET', invoicesPath);
    expect(Array.isArray(answer.json)).toBe(true);
    expect(idsOf(answer)).toEqual([...ids].reverse());
  });

  it('filters by orderId (repeatable), status (repeatable) and text', async () => {
    const fake = makeFake();
    const ids = await seed(fake);
    expect(idsOf(await call(fake, 'GET', `${invoicesPath}?orderId=A`))).toEqual([ids[3], ids[0]]);
    expect(idsOf(await call(fake, 'GET', `${invoicesPath}?orderId=A&orderId=B`))).toEqual([ids[3], ids[1], ids[0]]);
    await fake.pay(ids[1]!);
    expect(idsOf(await call(fake, 'GET', `${invoicesPath}?status=Settled`))).toEqual([ids[1]]);
    expect(idsOf(await call(fake, 'GET', `${invoicesPath}?status=Settled&status=New`))).toHaveLength(4);
    expect(idsOf(await call(fake, 'GET', `${invoicesPath}?textSearch=ITEM%202`))).toEqual([ids[2]]);
  });

  it('filters by startDate/endDate in unix seconds and pages with skip/take', async () => {
    const fake = makeFake();
    const ids = await seed(fake);
    const minute = (n: number) => Date.UTC(2026, 2, 1, 12, n) / 1000;
    expect(idsOf(await call(fake, 'GET', `${invoicesPath}?startDate=${minute(1)}&endDate=${minute(2)}`))).toEqual([ids[2], ids[1]]);
    expect(idsOf(await call(fake, 'GET', `${invoicesPath}?skip=1&take=2`))).toEqual([ids[2], ids[1]]);
    expect(idsOf(await call(fake, 'GET', `${invoicesPath}?skip=3&take=10`))).toEqual([ids[0]]);
  });

  it('answers 422 to unreadable dates and to startDate after endDate', async () => {
    const fake = makeFake({}, true);
    const unreadable = await call(fake, 'GET', `${invoicesPath}?startDate=yesterday`);
    expect(unreadable.status).toBe(422);
    expect(unreadable.json).toEqual([{ path: 'startDate', message: expect.any(String) }]);
    const reversed = await call(fake, 'GET', `${invoicesPath}?startDate=200&endDate=100`);
    expect(pathsOf(reversed)).toEqual(['startDate', 'endDate']);
    expect(fake.schemaViolations()).toEqual([expect.stringMatching(/^request GET .*startDate=yesterday must be number/)]);
  });

  it('adds payment methods to each item with includePaymentMethods', async () => {
    const fake = makeFake();
    await seed(fake);
    const answer = await call(fake, 'GET', `${invoicesPath}?includePaymentMethods=true&take=1`);
    expect(answer.json).toMatchObject([{ paymentMethods: [{ paymentMethodId: 'BTC-LN' }] }]);
  });
});

// ---------------------------------------------------------------- expiry

describe('expiry', () => {
  it('turns an unpaid invoice Expired once Date.now() passes expirationTime', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
    const fake = makeFake();
    const invoice = await createInvoice(fake, { amount: '1', checkout: { expirationMinutes: 1 } });
    vi.setSystemTime(new Date('2026-03-01T12:00:59Z'));
    expect((await call(fake, 'GET', `${invoicesPath}/${invoice.id}`)).json).toMatchObject({ status: 'New' });
    vi.setSystemTime(new Date('2026-03-01T12:01:00Z'));
    const expired = (await call(fake, 'GET', `${invoicesPath}/${invoice.id}`)).json;
    expect(expired).toMatchObject({ status: 'Expired', additionalStatus: 'None' });
    expect(idsOf(await call(fake, 'GET', `${invoicesPath}?status=Expired`))).toEqual([invoice.id]);
    await expect(fake.pay(invoice.id)).rejects.toThrow(/Expired/);
  });

  it('expires on demand and tells the webhooks', async () => {
    const receiver = await startReceiver();
    try {
      const fake = makeFake();
      await subscribe(fake, receiver.url, { authorizedEvents: { everything: false, specificEvents: ['InvoiceExpired'] } });
      const invoice = await createInvoice(fake);
      await fake.expire(invoice.id);
      expect(fake.invoices()[0]!.status).toBe('Expired');
      expect(receiver.received).toHaveLength(1);
      expect(webhookBody(receiver.received[0]!.raw)).toMatchObject({
        type: 'InvoiceExpired',
        invoiceId: invoice.id,
        partiallyPaid: false,
      });
    } finally {
      await receiver.close();
    }
  });
});

// ---------------------------------------------------------------- paying and webhooks

describe('paying and webhooks', () => {
  it('settles on pay and sends signed InvoiceReceivedPayment, InvoicePaymentSettled, InvoiceSettled', async () => {
    const receiver = await startReceiver();
    try {
      const fake = makeFake();
      const webhook = await subscribe(fake, receiver.url);
      expect(webhook).toMatchObject({ enabled: true, automaticRedelivery: true, authorizedEvents: { everything: true } });
      expect(webhook.secret).toEqual(expect.any(String));
      const metadata = { orderId: 'order-7', itemDesc: 'Crème brûlée' };
      const invoice = await createInvoice(fake, { amount: '3.00', metadata });
      await fake.pay(invoice.id);

      const settled = (await call(fake, 'GET', `${invoicesPath}/${invoice.id}`)).json;
      expect(settled).toMatchObject({ status: 'Settled', additionalStatus: 'None', paidAmount: '3.00' });
      expect(settled).toMatchObject({ availableStatusesForManualMarking: ['Invalid'] });
      const lightning = await lightningOf(fake, invoice.id);
      expect(lightning).toMatchObject({ due: '0', totalPaid: '0.00003', paymentMethodPaid: '0.00003' });
      expect(lightning.payments).toEqual([
        {
          id: lightning.additionalData.paymentHash,
          receivedDate: expect.any(Number),
          value: '0.00003',
          fee: '0',
          status: 'Settled',
          destination: lightning.destination,
        },
      ]);

      const bodies = receiver.received.map(({ headers, raw }) => {
        expect(headers.get('content-type')).toBe('application/json');
        expect(headers.get('btcpay-sig')).toMatch(/^sha256=[0-9a-f]{64}$/);
        expect(signatureMatches(webhook.secret, raw, headers.get('btcpay-sig'))).toBe(true);
        expect(signatureMatches('another secret', raw, headers.get('btcpay-sig'))).toBe(false);
        return webhookBody(raw);
      });
      expect(bodies.map((body) => body.type)).toEqual([
        'InvoiceCreated',
        'InvoiceReceivedPayment',
        'InvoicePaymentSettled',
        'InvoiceSettled',
      ]);
      for (const body of bodies) {
        expect(body).toMatchObject({
          webhookId: webhook.id,
          originalDeliveryId: body.deliveryId,
          isRedelivery: false,
          timestamp: expect.any(Number),
          storeId: STORE_ID,
          invoiceId: invoice.id,
          metadata,
        });
      }
      expect(new Set(bodies.map((body) => body.deliveryId)).size).toBe(4);
      expect(bodies[1]).toMatchObject({ afterExpiration: false, paymentMethodId: 'BTC-LN', payment: lightning.payments[0] });
      expect(bodies[3]).toMatchObject({ manuallyMarked: false, overPaid: false });
      expect(fake.deliveries().every((delivery) => delivery.status === 'HttpSuccess')).toBe(true);
      expect(fake.schemaViolations()).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('redelivers the last delivery under a new id that points back to the first', async () => {
    const receiver = await startReceiver();
    try {
      const fake = makeFake();
      const webhook = await subscribe(fake, receiver.url);
      const invoice = await createInvoice(fake);
      await fake.pay(invoice.id);
      await fake.redeliverLast();
      await fake.redeliverLast();
      const [original, first, second] = receiver.received.slice(-3).map(({ headers, raw }) => {
        expect(signatureMatches(webhook.secret, raw, headers.get('btcpay-sig'))).toBe(true);
        return webhookBody(raw);
      });
      expect(original).toMatchObject({ type: 'InvoiceSettled', isRedelivery: false });
      for (const redelivery of [first, second]) {
        expect(redelivery).toMatchObject({ type: 'InvoiceSettled', isRedelivery: true, originalDeliveryId: original!.deliveryId });
        expect(redelivery!.deliveryId).not.toBe(original!.deliveryId);
      }
      expect(first!.deliveryId).not.toBe(second!.deliveryId);
    } finally {
      await receiver.close();
    }
  });

  it('lists deliveries and redelivers through the API', async () => {
    const receiver = await startReceiver();
    try {
      const fake = makeFake();
      const webhook = await subscribe(fake, receiver.url);
      const invoice = await createInvoice(fake);
      await fake.flush();
      const hooks = `/api/v1/webhooks/${webhook.id}`;
      const listed = (await call(fake, 'GET', `${hooks}/deliveries`)).json;
      expect(listed).toMatchObject([{ status: 'HttpSuccess', httpCode: 200 }]);
      const [created] = z.array(Delivery).parse(listed);
      const newId = z.string().parse((await call(fake, 'POST', `${hooks}/deliveries/${created!.id}/redeliver`)).json);
      await fake.flush();
      const request = (await call(fake, 'GET', `${hooks}/deliveries/${newId}/request`)).json;
      expect(request).toMatchObject({ invoiceId: invoice.id, isRedelivery: true, originalDeliveryId: created!.id });
      const ids = z.array(Delivery).parse((await call(fake, 'GET', `${hooks}/deliveries`)).json).map((d) => d.id);
      expect(ids).toEqual([newId, created!.id]);
    } finally {
      await receiver.close();
    }
  });

  it('manages webhooks: secret only on create, 422 for a bad url, 404 after delete', async () => {
    const fake = makeFake();
    const webhook = await subscribe(fake, 'https://pos.example/hook', { secret: 'my-secret' });
    expect(webhook.secret).toBe('my-secret');
    const read = (await call(fake, 'GET', `/api/v1/stores/${STORE_ID}/webhooks/${webhook.id}`)).json;
    expect(read).toEqual({
      id: webhook.id,
      url: 'https://pos.example/hook',
      enabled: true,
      automaticRedelivery: true,
      authorizedEvents: { everything: true, specificEvents: [] },
    });
    expect((await call(fake, 'GET', `/api/v1/stores/${STORE_ID}/webhooks`)).json).toEqual([read]);
    const bad = await call(fake, 'POST', `/api/v1/stores/${STORE_ID}/webhooks`, { url: 'not a url' });
    expect(bad.status).toBe(422);
    expect(bad.json).toEqual([{ path: 'url', message: expect.any(String) }]);
    expect((await call(fake, 'DELETE', `/api/v1/webhooks/${webhook.id}`)).status).toBe(200);
    const gone = await call(fake, 'GET', `/api/v1/webhooks/${webhook.id}`);
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ code: 'webhook-not-found', message: expect.any(String) });
  });

  it('records a receiver error as an HttpError delivery', async () => {
    const receiver = await startReceiver([500]);
    try {
      const fake = makeFake();
      await subscribe(fake, receiver.url, { automaticRedelivery: false });
      await createInvoice(fake);
      await fake.flush();
      expect(fake.deliveries()).toMatchObject([{ type: 'InvoiceCreated', status: 'HttpError', httpCode: 500 }]);
    } finally {
      await receiver.close();
    }
  });

  it('redelivers by itself after a 5xx or 429: 10 s, then 1 min later', async () => {
    const receiver = await startReceiver([503, 429]);
    try {
      const fake = makeFake();
      await subscribe(fake, receiver.url);
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      await createInvoice(fake);
      await fake.flush();
      await vi.advanceTimersByTimeAsync(9_999);
      expect(fake.deliveries()).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await fake.flush();
      await vi.advanceTimersByTimeAsync(60_000);
      await fake.flush();
      const [first, second, third] = fake.deliveries();
      expect(fake.deliveries()).toMatchObject([
        { isRedelivery: false, httpCode: 503, status: 'HttpError' },
        { isRedelivery: true, httpCode: 429, originalDeliveryId: first!.deliveryId },
        { isRedelivery: true, status: 'HttpSuccess', originalDeliveryId: first!.deliveryId },
      ]);
      expect(new Set([first!.deliveryId, second!.deliveryId, third!.deliveryId]).size).toBe(3);
    } finally {
      await receiver.close();
    }
  });
});

// ---------------------------------------------------------------- marking

describe('marking the status', () => {
  it('needs canmodifyinvoices', async () => {
    const fake = makeFake();
    const invoice = await createInvoice(fake);
    const answer = await call(fake, 'POST', `${invoicesPath}/${invoice.id}/status`, { status: 'Settled' });
    expect(answer.status).toBe(403);
  });

  it('marks Settled and Invalid with additionalStatus Marked and tells the webhooks', async () => {
    const receiver = await startReceiver();
    try {
      const fake = makeFake({ permissions: [MODIFY_INVOICES, 'btcpay.store.webhooks.canmodifywebhooks'] });
      await subscribe(fake, receiver.url, { authorizedEvents: { everything: false, specificEvents: ['InvoiceSettled', 'InvoiceInvalid'] } });
      const invoice = await createInvoice(fake);
      const settled = await call(fake, 'POST', `/api/v1/invoices/${invoice.id}/status`, { status: 'Settled' });
      expect(settled.json).toMatchObject({ status: 'Settled', additionalStatus: 'Marked', paidAmount: '0' });
      const again = await call(fake, 'POST', `/api/v1/invoices/${invoice.id}/status`, { status: 'Settled' });
      expect(again.status).toBe(422);
      expect(again.json).toEqual([{ path: 'status', message: expect.any(String) }]);
      const invalid = await call(fake, 'POST', `${invoicesPath}/${invoice.id}/status`, { status: 'Invalid' });
      expect(invalid.json).toMatchObject({ status: 'Invalid', additionalStatus: 'Marked' });
      await fake.flush();
      const bodies = receiver.received.map(({ raw }) => webhookBody(raw));
      expect(bodies).toMatchObject([
        { type: 'InvoiceSettled', manuallyMarked: true, overPaid: false },
        { type: 'InvoiceInvalid', manuallyMarked: true },
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('answers 422 to a status it cannot mark', async () => {
    const fake = makeFake({ permissions: [MODIFY_INVOICES] }, true);
    const invoice = await createInvoice(fake);
    const answer = await call(fake, 'POST', `${invoicesPath}/${invoice.id}/status`, { status: 'Expired' });
    expect(answer.status).toBe(422);
    expect(answer.json).toEqual([{ path: 'status', message: expect.any(String) }]);
    expect(fake.schemaViolations()).toEqual([expect.stringMatching(/^request POST .*\/status .*\/status must be equal to one of the allowed values/)]);
  });
});

// ---------------------------------------------------------------- rates

describe('store rates', () => {
  it('needs canviewstoresettings and answers StoreRateResult[]', async () => {
    const fake = makeFake();
    expect((await call(fake, 'GET', `/api/v1/stores/${STORE_ID}/rates?currencyPair=BTC_USD`)).status).toBe(403);

    const viewer = makeFake({ permissions: ['btcpay.store.canviewstoresettings'] });
    const answer = await call(viewer, 'GET', `/api/v1/stores/${STORE_ID}/rates?currencyPair=BTC_USD&currencyPair=BTC_JPY`);
    expect(answer.json).toEqual([
      { currencyPair: 'BTC_USD', errors: [], rate: '100000' },
      { currencyPair: 'BTC_JPY', errors: [expect.any(String)] },
    ]);
    expect((await call(viewer, 'GET', `/api/v1/stores/${STORE_ID}/rates?currencyPair=BTCUSD`)).status).toBe(422);
  });
});

// ---------------------------------------------------------------- faults

describe('faults', () => {
  it('answers 500 ProblemDetails, and 503 and 429 from the reverse proxy', async () => {
    const fake = makeFake();
    fake.control.setFault({ mode: 'error', times: 1 });
    const error = await call(fake, 'GET', invoicesPath);
    expect(error.status).toBe(500);
    expect(error.json).toEqual({ code: expect.any(String), message: expect.any(String) });

    fake.control.setFault({ mode: 'unavailable', times: 1 });
    const unavailable = await call(fake, 'GET', invoicesPath);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('content-type')).toMatch(/text\/html/);

    fake.control.setFault({ mode: 'rate-limited', times: 1 });
    const limited = await call(fake, 'GET', invoicesPath);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');

    expect((await call(fake, 'GET', invoicesPath)).status).toBe(200);
  });
});

// ---------------------------------------------------------------- schema checks

describe('OpenAPI checks', () => {
  it('records a request that breaks CreateInvoiceRequest, and answers it as BTCPay would', async () => {
    const fake = makeFake({}, true);
    // BTCPay reads a numeric amount and ignores unknown fields: 200, but not what the API documents.
    const lenient = await call(fake, 'POST', invoicesPath, { amount: 5, price: 5, checkout: { expirationMinutes: 10 } });
    expect(lenient.status).toBe(200);
    expect(lenient.json).toMatchObject({ amount: '5' });
    const [violation] = fake.schemaViolations();
    expect(violation).toMatch(/^request POST \/api\/v1\/stores\/.*\/invoices \(Invoices_CreateInvoice\)/);
    expect(violation).toContain('/amount must be string');
    expect(violation).toContain('must NOT have additional properties: price');

    const garbage = await call(fake, 'POST', invoicesPath, { amount: 'five' });
    expect(garbage.status).toBe(422);
    expect(garbage.json).toEqual([{ path: 'amount', message: expect.any(String) }]);
    expect(fake.schemaViolations()[1]).toContain('/amount must match format "decimal"');
  });

  it('reads the fragments as OpenAPI 3.0: nullable, merged allOf, cross-file refs', () => {
    const schemas = btcpaySchemas();
    expect(schemas.checkRequestBody('Invoices_CreateInvoice', { amount: null, currency: null, checkout: null, metadata: {} })).toEqual([]);
    expect(schemas.checkRequestBody('Invoices_CreateInvoice', { checkout: { speedPolicy: null, expirationMinutes: null } })).toEqual([]);
    // InvoiceData = allOf[InvoiceDataBase (metadata…), {additionalProperties: false, id…}]
    expect(schemas.checkSchema('InvoiceData', { id: 'x', metadata: { orderId: 'a' }, checkout: null })).toEqual([]);
    expect(schemas.checkSchema('InvoiceData', { id: 'x', total: 1 })).toEqual(['(root) must NOT have additional properties: total']);
    // UnixTimestamp (swagger.template.json) is an int32 number.
    expect(schemas.checkSchema('InvoiceData', { createdTime: 1.5 })).toEqual(['/createdTime must match format "int32"']);
    expect(schemas.checkWebhookEvent('InvoiceExpired', { type: 'InvoiceExpired', partiallyPaid: 'no' })).toEqual([
      '/partiallyPaid must be boolean',
    ]);
  });
});

// ---------------------------------------------------------------- control routes

describe('control routes', () => {
  it('pays, expires, lists, redelivers and reports over HTTP', async () => {
    const receiver = await startReceiver();
    try {
      const fake = makeFake();
      await subscribe(fake, receiver.url);
      const first = await createInvoice(fake);
      const second = await createInvoice(fake);

      const paid = await fake.app.request(`/__fake/pay/${first.id}`, { method: 'POST' });
      expect(paid.status).toBe(200);
      expect(await paid.json()).toMatchObject({ id: first.id, status: 'Settled' });
      expect((await fake.app.request(`/__fake/pay/${first.id}`, { method: 'POST' })).status).toBe(409);
      expect((await fake.app.request('/__fake/pay/NoSuchInvoice', { method: 'POST' })).status).toBe(404);

      const expired = await fake.app.request(`/__fake/expire/${second.id}`, { method: 'POST' });
      expect(await expired.json()).toMatchObject({ id: second.id, status: 'Expired' });

      const listed: unknown = await (await fake.app.request('/__fake/invoices')).json();
      expect(listed).toMatchObject([
        { id: first.id, status: 'Settled', lightning: { bolt11: expect.stringMatching(/^lnbc/) } },
        { id: second.id, status: 'Expired' },
      ]);

      const redelivered: unknown = await (await fake.app.request('/__fake/redeliver-last', { method: 'POST' })).json();
      expect(redelivered).toMatchObject({ type: 'InvoiceExpired', isRedelivery: true, status: 'HttpSuccess' });
      expect(await (await fake.app.request('/__fake/schema-violations')).json()).toEqual([]);
      // Control calls stay out of the vendor request log.
      expect(fake.control.requests.every((request) => request.path.startsWith('/api/v1/'))).toBe(true);
    } finally {
      await receiver.close();
    }
  });
});
