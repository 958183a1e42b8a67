/**
 * A fake LNbits' HTTP API: the Payments API an invoice key may use, rates, health, slowapi's
 * rate limit, LNbits' error bodies and the unsigned paid webhook. Source: lnbits/lnbits
 * `core/views/payment_api.py`, `core/views/api.py`, `decorators.py`, `exceptions.py` (v1.4.0).
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { postWebhook, type FakeEnv, type VendorErrors } from '../common';
import { listPayments } from './query';
import type { FakePayment, LnbitsState } from './state';
import { answersCreateWithPayment, healthAnswer, rateAnswer, webhookEncoding, type LnbitsMode } from './versions';

/** `lightning_invoice_expiry` and the site title LNbits uses when a create names none. */
const DEFAULT_EXPIRY_SEC = 3600;
const DEFAULT_MEMO = 'LNbits';
const SATS_PER_BTC = 100_000_000;

export interface LnbitsKeys {
  invoiceKey: string;
  adminKey: string;
}

/** The catch-all exception handler's answer (`lnbits/exceptions.py`). */
function unexpectedError(c: Context): Response {
  return c.json({ detail: `Unexpected error! ID: ${crypto.randomUUID().slice(0, 8)}` }, 500);
}

/** `InvoiceError` answers 520 with the state the payment is left in (Hono's `c.json` knows no 520). */
function invoiceError(detail: string): Response {
  return new Response(JSON.stringify({ detail, status: 'failed' }), { status: 520, headers: { 'Content-Type': 'application/json' } });
}

/** slowapi's own 429 body: `error`, not FastAPI's `detail`, and no Retry-After. */
const rateLimitBody = (limit: number) => ({ error: `Rate limit exceeded: ${limit} per 1 minute` });

export function lnbitsErrors(limitPerMinute: number): VendorErrors {
  return {
    error: unexpectedError,
    // LNbits has no maintenance answer; a reverse proxy in front of it answers like this.
    unavailable: (c) => c.html('<html><body><h1>503 Service Temporarily Unavailable</h1><hr>nginx</body></html>', 503),
    rateLimited: (c) => c.json(rateLimitBody(limitPerMinute), 429),
  };
}

/**
 * slowapi as LNbits registers it (`lnbits/app.py` register_new_ratelimiter): a fixed one-minute
 * window per client IP *and per endpoint*, refused hits counting too.
 */
function rateLimiter(limitPerMinute: number): MiddlewareHandler<FakeEnv> {
  const buckets = new Map<string, { startMs: number; hits: number }>();
  return async (c, next) => {
    const endpoint = c.req.path.replace(/^\/api\/v1\/payments\/(?!paginated$)[^/]+$/, '/api/v1/payments/{hash}');
    const key = `${c.env?.incoming?.socket?.remoteAddress ?? 'local'} ${c.req.method} ${endpoint}`;
    const nowMs = Date.now();
    let bucket = buckets.get(key);
    if (!bucket || nowMs - bucket.startMs >= 60_000) buckets.set(key, (bucket = { startMs: nowMs, hits: 0 }));
    bucket.hits += 1;
    if (bucket.hits > limitPerMinute) return c.json(rateLimitBody(limitPerMinute), 429);
    return next();
  };
}

/** A naive UTC datetime as pydantic writes one (LNbits stores them without a zone). */
function naive(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '');
}

/** The `Payment` model (`lnbits/core/models/payments.py`, v1.4.0). */
export function paymentJson(p: FakePayment) {
  return {
    checking_id: p.checkingId,
    payment_hash: p.paymentHash,
    wallet_id: p.walletId,
    amount: p.amountMsat,
    fee: p.feeMsat,
    bolt11: p.bolt11,
    payment_request: p.bolt11,
    status: p.status,
    memo: p.memo,
    expiry: naive(p.expiryMs),
    webhook: p.webhook,
    webhook_status: p.webhookStatus,
    preimage: p.preimage,
    tag: p.tag,
    extension: null,
    time: naive(p.timeMs),
    created_at: naive(p.createdAtMs),
    updated_at: naive(p.updatedAtMs),
    labels: [],
    extra: p.extra,
  };
}

/** What the paid webhook posts, by release (see `webhookEncoding`); null when nothing is sent. */
function webhookBody(p: FakePayment, mode: LnbitsMode): string | null {
  switch (webhookEncoding(mode)) {
    case 'json-string':
      return JSON.stringify(JSON.stringify(paymentJson(p)));
    case 'object':
      return JSON.stringify({ ...paymentJson(p), pending: p.status === 'pending', time: Math.floor(p.timeMs / 1000) });
    case 'none':
      return null;
  }
}

/** One attempt, no retries, no signature (`dispatch_webhook`); the status kept as a string. */
export async function sendWebhook(p: FakePayment, mode: LnbitsMode): Promise<void> {
  const body = webhookBody(p, mode);
  if (!p.webhook || p.webhookStatus !== null) return;
  if (body === null) {
    p.webhookStatus = '-1';
    return;
  }
  const status = await postWebhook(p.webhook, body, { 'User-Agent': `LNbits/${mode.version}` }, 40_000);
  p.webhookStatus = status === null ? '-1' : String(status);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function lnbitsRoutes(state: LnbitsState, mode: LnbitsMode, keys: LnbitsKeys, btcPrices: Record<string, number>, rateLimitPerMinute: number) {
  const vendor = new Hono<FakeEnv>();
  vendor.onError((_error, c) => unexpectedError(c));
  vendor.use('/api/v1/payments/*', rateLimiter(rateLimitPerMinute));
  vendor.use('/api/v1/payments', rateLimiter(rateLimitPerMinute));

  /** `BaseKeyChecker` (`lnbits/decorators.py`): the X-Api-Key header, else `?api-key=`. */
  const keyOf = (c: Context): 'invoice' | 'admin' | Response => {
    const key = c.req.header('X-Api-Key') || c.req.query('api-key');
    if (!key) return c.json({ detail: 'No Api Key provided.' }, 401);
    if (key === keys.adminKey) return 'admin';
    return key === keys.invoiceKey ? 'invoice' : c.json({ detail: 'Wallet not found.' }, 404);
  };

  vendor.get('/api/v1/health', (c) => c.json(healthAnswer(mode, Date.now())));

  vendor.post('/api/v1/payments', async (c) => {
    const keyType = keyOf(c);
    if (keyType instanceof Response) return keyType;
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return c.json({ detail: [{ loc: ['body', 0], msg: 'Expecting value', type: 'value_error.jsondecode' }] }, 400);
    }
    if (!isRecord(body)) return c.json({ detail: [{ loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' }] }, 400);
    // `CreateInvoice.out` defaults to true: a body without it is a payment attempt.
    if (body.out !== false) {
      return keyType === 'invoice' ? c.json({ detail: 'Invoice (or Admin) key required.' }, 403) : invoiceError('The fake LNbits pays nothing.');
    }
    const unit = typeof body.unit === 'string' ? body.unit : 'sat';
    const amount = typeof body.amount === 'number' ? body.amount : Number.NaN;
    if (unit !== 'sat' && !(unit in btcPrices)) {
      return c.json({ detail: [{ loc: ['body', 'unit'], msg: 'The provided unit is not supported', type: 'value_error' }] }, 400);
    }
    if (Number.isNaN(amount)) return unexpectedError(c);
    if (!(amount > 0)) return invoiceError('Amountless invoices not supported.');
    const price = btcPrices[unit] ?? 0;
    if (unit !== 'sat' && price <= 0) return c.json({ detail: 'Could not fetch any Bitcoin price.' }, 400);
    // `fiat_amount_as_satoshis` truncates: `int(amount * rate)`; sats are `int(amount)`.
    const sats = unit === 'sat' ? Math.trunc(amount) : Math.trunc(amount * (SATS_PER_BTC / price));
    const payment = state.add({
      amountMsat: sats * 1000,
      memo: typeof body.memo === 'string' && body.memo !== '' ? body.memo : DEFAULT_MEMO,
      expirySec: typeof body.expiry === 'number' && body.expiry > 0 ? Math.trunc(body.expiry) : DEFAULT_EXPIRY_SEC,
      webhook: typeof body.webhook === 'string' ? body.webhook : null,
      extra: { ...(isRecord(body.extra) ? body.extra : {}), ...(unit === 'sat' ? {} : { fiat_currency: unit, fiat_amount: amount }) },
    });
    if (answersCreateWithPayment(mode)) return c.json(paymentJson(payment), 201);
    return c.json({ payment_hash: payment.paymentHash, payment_request: payment.bolt11, checking_id: payment.checkingId, lnurl_response: null }, 201);
  });

  vendor.get('/api/v1/payments/paginated', (c) => {
    const keyType = keyOf(c);
    if (keyType instanceof Response) return keyType;
    const own = state.all().filter((p) => p.walletId === state.walletId);
    if (c.req.query('recheck_pending') === 'true') for (const p of own) state.recheck(p);
    const outcome = listPayments(own, c.req.queries(), mode);
    if (!outcome.ok) return c.json({ detail: outcome.detail }, outcome.status);
    return c.json({ data: outcome.data.map(paymentJson), total: outcome.total });
  });

  // `api_payment`: the key is optional and read from the header only; the owner sees `details`.
  vendor.get('/api/v1/payments/:hash', (c) => {
    const key = c.req.header('X-Api-Key');
    const owner = key === keys.invoiceKey || key === keys.adminKey;
    const payment = state.find(c.req.param('hash'));
    if (!payment) return c.json({ detail: 'Payment does not exist.' }, 404);
    const details = owner ? { details: paymentJson(payment) } : {};
    if (payment.status === 'success') return c.json({ paid: true, preimage: payment.preimage, ...details });
    if (payment.status === 'failed') return c.json({ paid: false, status: 'failed', ...details });
    state.recheck(payment);
    if (!owner) return c.json({ paid: false, preimage: payment.preimage });
    return c.json({ paid: false, status: payment.status, preimage: payment.preimage, details: paymentJson(payment) });
  });

  vendor.get('/api/v1/rate/:currency', (c) => {
    const currency = c.req.param('currency').toUpperCase();
    const price = btcPrices[currency];
    if (price === undefined) return c.json({ detail: `Currency '${currency}' not allowed.` }, 400);
    const answer = rateAnswer(mode, price);
    return c.json(answer.body, answer.status);
  });

  vendor.all('*', (c) => c.json({ detail: 'Not Found' }, 404));
  return vendor;
}
