/**
 * A fake LNbits (../shared/PROVIDERS.md §1): one wallet with an invoice key and an admin key,
 * the Payments API, history, rates, slowapi's rate limit and the unsigned webhook, on a loopback
 * server or through `app.request`. Payments are "paid" by the test calling `settle`.
 *
 * Where PROVIDERS.md is silent, the fake does what lnbits/lnbits @ 7d98c6b0 (v1.5.2-rc3, the
 * commit PROVIDERS.md cites) does, read from its FastAPI/pydantic v1 source; comments marked
 * "LNbits:" say which behaviour that is. Where LNbits versions differ, the fake shows the variant
 * that is harder on a client, so an adapter that passes here passes on all of them.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import { fakeApp, issueBolt11, randomHex, type FakeControl, type FakeEnv, type VendorErrors } from './common';

// ---------------------------------------------------------------- options and state

export interface FakeLnbitsOptions {
  /**
   * 'v1' (default): POST /api/v1/payments answers the Payment object and webhooks post a JSON
   * *string* holding the Payment JSON (double-encoded, v1.1+). 'v0.12': POST answers
   * {payment_hash, payment_request, checking_id, lnurl_response} and webhooks post a plain JSON
   * object (v0.12's Payment dict). Every other answer has the v1 shape in both versions.
   */
  version?: 'v1' | 'v0.12';
  /** Random 32-hex keys (LNbits' uuid4().hex) if omitted. */
  invoiceKey?: string;
  adminKey?: string;
  /** BTC price in each fiat currency, major units, e.g. { USD: 100000, EUR: 92000 }. */
  btcPrices?: Record<string, number>;
  /** IANA zone the LNbits *server* buckets history days/hours in (not the store's zone). Default 'UTC'. */
  serverTimeZone?: string;
  /** Requests per minute per client IP (and per endpoint, as slowapi counts) before 429. Default 200. */
  rateLimitPerMinute?: number;
}

export type PaymentStatus = 'pending' | 'success' | 'failed';

/** One row of LNbits' `apipayments`, in our own names and units. */
export interface FakePayment {
  checkingId: string;
  paymentHash: string;
  walletId: string;
  bolt11: string;
  /** Positive for incoming, negative for outgoing (LNbits' sign convention). */
  amountMsat: number;
  /** Zero or negative: LNbits stores `-abs(fee)`. */
  feeMsat: number;
  status: PaymentStatus;
  memo: string | null;
  /** Unix ms when the BOLT11 expires. Passing it changes nothing: there is no expired status. */
  expiryMs: number;
  webhook: string | null;
  /** The webhook's HTTP status as a string, "-1" when it could not be delivered, null before. */
  webhookStatus: string | null;
  /** Revealed when the payment succeeds. */
  preimage: string | null;
  tag: string | null;
  labels: string[];
  extra: Record<string, unknown>;
  timeMs: number;
  createdAtMs: number;
  updatedAtMs: number;
  /** `api`: made through POST /api/v1/payments; `external`: by `addExternalPayment`. */
  origin: 'api' | 'external';
}

/** A payment the POS did not create: someone paid a LNURL or an invoice made in the LNbits UI, or the wallet paid out. */
export const ExternalPaymentInput = z.object({
  /** What moved, without the fee; positive. */
  amountMsat: z.int().check(z.positive()),
  /** 'in' (default) or 'out': the wallet paid someone, so amount and fee are stored negative. */
  direction: z.optional(z.enum(['in', 'out'])),
  /** Default 'success'. A pending one can be settled later. */
  status: z.optional(z.enum(['pending', 'success', 'failed'])),
  memo: z.optional(z.nullable(z.string())),
  /** Unix ms; default now. */
  timeMs: z.optional(z.number()),
  feeMsat: z.optional(z.int().check(z.nonnegative())),
  labels: z.optional(z.array(z.string())),
  extra: z.optional(z.record(z.string(), z.unknown())),
  /** The extension that made it, e.g. 'lnurlp'. */
  tag: z.optional(z.nullable(z.string())),
});
export type ExternalPaymentInput = z.input<typeof ExternalPaymentInput>;

export interface FakeLnbits {
  app: Hono<FakeEnv>;
  control: FakeControl;
  invoiceKey: string;
  adminKey: string;
  walletId: string;
  /** Marks the payment paid, reveals its preimage and fires its webhook once (awaiting the POST), like a customer paying. */
  settle(paymentHash: string): Promise<void>;
  addExternalPayment(input: ExternalPaymentInput): FakePayment;
  /** Copies of every payment, failed ones included, oldest first. */
  payments(): readonly FakePayment[];
}

/** LNbits' `lightning_invoice_expiry` default. */
const DEFAULT_EXPIRY_SEC = 3600;
/** LNbits' `lnbits_site_title` default, used as the memo when none is given. */
const DEFAULT_MEMO = 'LNbits';
const MEMO_MAX_CHARS = 640;
const BOLT11_DESCRIPTION_MAX_BYTES = 639;
const WALLET_NAME = 'LNbits wallet';
const WEBHOOK_TIMEOUT_MS = 40_000;
const RATE_WINDOW_MS = 60_000;
const SATS_PER_BTC = 100_000_000;
const DEFAULT_BTC_PRICES: Record<string, number> = { USD: 100_000, EUR: 92_000 };
/** What `settings.user_agent` defaults to: `LNbits/{version}`. */
const USER_AGENT = { v1: 'LNbits/1.5.2', 'v0.12': 'LNbits/0.12.12' } as const;

interface PaymentRecord {
  payment: FakePayment;
  /** The BOLT11's preimage, kept back until the payment succeeds. */
  secretPreimage: string;
}

// ---------------------------------------------------------------- the fake

export function createFakeLnbits(options: FakeLnbitsOptions = {}): FakeLnbits {
  const version = options.version ?? 'v1';
  const invoiceKey = options.invoiceKey ?? randomHex(16);
  const adminKey = options.adminKey ?? randomHex(16);
  const walletId = randomHex(16);
  const btcPrices = options.btcPrices ?? DEFAULT_BTC_PRICES;
  const serverTimeZone = options.serverTimeZone ?? 'UTC';
  wallClock(0, serverTimeZone); // throws now on an unknown zone rather than mid-test
  const rateLimitPerMinute = options.rateLimitPerMinute ?? 200;
  const records: PaymentRecord[] = [];

  const keyTypeOf = (key: string): KeyType | null =>
    key === adminKey ? 'admin' : key === invoiceKey ? 'invoice' : null;
  const find = (paymentHash: string) =>
    records.find((r) => r.payment.paymentHash === paymentHash || r.payment.checkingId === paymentHash);
  const all = () => records.map((r) => r.payment);

  /** `BaseKeyChecker`: the X-Api-Key header, else the `api-key` query parameter. */
  function requireKey(c: Context<FakeEnv>): KeyType | Response {
    const key = c.req.header('X-Api-Key') || c.req.queries('api-key')?.at(-1);
    if (!key) return c.json({ detail: 'No Api Key provided.' }, 401);
    return keyTypeOf(key) ?? c.json({ detail: 'Wallet not found.' }, 404);
  }

  async function settle(paymentHash: string): Promise<void> {
    const found = find(paymentHash);
    if (!found) throw new Error(`fake LNbits: no payment ${paymentHash}`);
    const { payment } = found;
    if (payment.status === 'success') return;
    if (payment.status === 'failed') throw new Error(`fake LNbits: payment ${paymentHash} has failed`);
    payment.status = 'success';
    payment.preimage = found.secretPreimage;
    payment.updatedAtMs = Date.now();
    // LNbits: send_payment_notification fires only while webhook_status is empty, so at most once.
    if (payment.webhook && !payment.webhookStatus) {
      payment.webhookStatus = await postWebhook(payment.webhook, webhookBody(payment, version), USER_AGENT[version]);
    }
  }

  function addExternalPayment(input: ExternalPaymentInput): FakePayment {
    const parsed = z.parse(ExternalPaymentInput, input);
    const sign = parsed.direction === 'out' ? -1 : 1;
    const added = newPayment({
      walletId,
      amountMsat: sign * parsed.amountMsat,
      feeMsat: -(parsed.feeMsat ?? 0),
      status: parsed.status ?? 'success',
      memo: parsed.memo ?? null,
      expirySec: DEFAULT_EXPIRY_SEC,
      webhook: null,
      labels: parsed.labels ?? [],
      extra: parsed.extra ?? {},
      tag: parsed.tag ?? null,
      timeMs: parsed.timeMs ?? Date.now(),
      origin: 'external',
    });
    records.push(added);
    return added.payment;
  }

  // -------------------------------------------------------------- vendor routes

  const vendor = new Hono<FakeEnv>();
  vendor.onError((_error, c) => unexpectedError(c));
  vendor.use('*', rateLimiter(rateLimitPerMinute));

  vendor.post('/api/v1/payments', async (c) => {
    const keyType = requireKey(c);
    if (keyType instanceof Response) return keyType;
    const body = await readJsonBody(c);
    const parsed = body.ok ? parseCreateInvoice(body.value, Object.keys(btcPrices)) : body;
    if (!parsed.ok) return validationError(c, parsed.errors);
    // LNbits: `out` defaults to true, so a body without it is a payment attempt.
    if (parsed.value.out) return refusePayment(c, keyType, parsed.value.bolt11, version);
    const created = createInvoice(c, parsed.value, btcPrices, walletId);
    if (created instanceof Response) return created;
    records.push(created);
    return c.json(version === 'v1' ? paymentJson(created.payment) : createdV012(created.payment), 201);
  });

  vendor.get('/api/v1/payments', (c) => {
    const keyType = requireKey(c);
    if (keyType instanceof Response) return keyType;
    const query = parseListQuery(c.req.queries(), serverTimeZone);
    if (!query.ok) return query.response(c);
    // LNbits: `get_payments` sorts `time desc` unless told otherwise, and skips failed payments.
    const listed = all().filter((p) => p.status !== 'failed');
    const { sortby, direction } = query.value;
    const page = pageOf(listed, { ...query.value, sortby: sortby ?? 'time', direction: direction ?? 'desc' });
    return c.json(page.data.map(paymentJson));
  });

  vendor.get('/api/v1/payments/paginated', (c) => {
    const keyType = requireKey(c);
    if (keyType instanceof Response) return keyType;
    const query = parseListQuery(c.req.queries(), serverTimeZone, [['recheck_pending', checkBool]]);
    if (!query.ok) return query.response(c);
    // recheck_pending asks the funding source again; the fake's state is already the truth.
    const page = pageOf(all(), query.value);
    return c.json({ data: page.data.map(paymentJson), total: page.total });
  });

  vendor.get('/api/v1/payments/history', (c) => {
    const keyType = requireKey(c);
    if (keyType instanceof Response) return keyType;
    const query = parseListQuery(c.req.queries(), serverTimeZone, [['group', checkEnum(HISTORY_GROUPS)]]);
    if (!query.ok) return query.response(c);
    const group = asHistoryGroup(c.req.queries('group')?.at(-1));
    // LNbits: success, plus outgoing payments still pending (their sats are already reserved).
    const counted = all().filter((p) => p.status === 'success' || (p.status === 'pending' && p.amountMsat < 0));
    const matching = counted.filter((p) => matchesAll(p, query.value));
    return c.json(historyPoints(matching, group, serverTimeZone, balanceMsat(all())));
  });

  vendor.get('/api/v1/payments/:paymentHash', (c) => {
    // LNbits: the key is optional and read from the header only; an unknown key counts as none.
    const headerKey = c.req.header('X-Api-Key');
    const isOwner = headerKey !== undefined && keyTypeOf(headerKey) !== null;
    const found = find(c.req.param('paymentHash'));
    if (!found) return c.json({ detail: 'Payment does not exist.' }, 404);
    return c.json(statusAnswer(found.payment, isOwner));
  });

  vendor.get('/api/v1/wallet', (c) => {
    const keyType = requireKey(c);
    if (keyType instanceof Response) return keyType;
    const answer = { name: WALLET_NAME, balance: balanceMsat(all()) };
    return c.json(keyType === 'admin' ? { ...answer, id: walletId } : answer);
  });

  vendor.get('/api/v1/rate/:currency', (c) => {
    const currency = c.req.param('currency');
    // LNbits: the allow-list check upper-cases the code, so `usd` is accepted here (but not as a unit).
    const price = btcPrices[currency.toUpperCase()];
    if (price === undefined) return c.json({ detail: `Currency '${currency}' not allowed.` }, 400);
    return c.json({ rate: price > 0 ? SATS_PER_BTC / price : 0, price });
  });

  vendor.get('/api/v1/currencies', (c) => c.json(Object.keys(btcPrices)));

  vendor.all('*', (c) => {
    const pathKnown = ROUTES.some((route) => route.path.test(c.req.path));
    return pathKnown ? c.json({ detail: 'Method Not Allowed' }, 405) : c.json({ detail: 'Not Found' }, 404);
  });

  // -------------------------------------------------------------- control routes (tests in other processes)

  const controlRoutes = new Hono<FakeEnv>();
  controlRoutes.post('/settle/:paymentHash', async (c) => {
    const found = find(c.req.param('paymentHash'));
    if (!found) return c.json({ error: 'no such payment' }, 404);
    if (found.payment.status === 'failed') return c.json({ error: 'the payment has failed' }, 409);
    await settle(found.payment.paymentHash);
    return c.json(found.payment);
  });
  controlRoutes.post('/external-payment', async (c) => {
    const body = await readJsonBody(c);
    const parsed = body.ok ? z.safeParse(ExternalPaymentInput, body.value) : undefined;
    if (!parsed?.success) return c.json({ error: 'invalid external payment', issues: parsed?.error.issues ?? [] }, 400);
    return c.json(addExternalPayment(parsed.data), 201);
  });
  controlRoutes.get('/payments', (c) => c.json(all()));

  const { app, control } = fakeApp(vendor, lnbitsErrors(rateLimitPerMinute), controlRoutes);
  return {
    app,
    control,
    invoiceKey,
    adminKey,
    walletId,
    settle,
    addExternalPayment,
    payments: () => all().map((p) => structuredClone(p)),
  };
}

type KeyType = 'invoice' | 'admin';

/** Every vendor route, for slowapi's per-endpoint buckets and FastAPI's 404-versus-405. */
const ROUTES: readonly { id: string; method: string; path: RegExp }[] = [
  { id: 'create', method: 'POST', path: /^\/api\/v1\/payments$/ },
  { id: 'list', method: 'GET', path: /^\/api\/v1\/payments$/ },
  { id: 'paginated', method: 'GET', path: /^\/api\/v1\/payments\/paginated$/ },
  { id: 'history', method: 'GET', path: /^\/api\/v1\/payments\/history$/ },
  { id: 'status', method: 'GET', path: /^\/api\/v1\/payments\/[^/]+$/ },
  { id: 'wallet', method: 'GET', path: /^\/api\/v1\/wallet$/ },
  { id: 'rate', method: 'GET', path: /^\/api\/v1\/rate\/[^/]+$/ },
  { id: 'currencies', method: 'GET', path: /^\/api\/v1\/currencies$/ },
];

// ---------------------------------------------------------------- create

type NewPayment = Pick<
  FakePayment,
  'walletId' | 'amountMsat' | 'feeMsat' | 'status' | 'memo' | 'webhook' | 'labels' | 'extra' | 'tag' | 'timeMs' | 'origin'
> & { expirySec: number };

/** A new `apipayments` row with a freshly signed BOLT11 (the memo as its description). */
function newPayment(fields: NewPayment): PaymentRecord {
  const { expirySec, ...rest } = fields;
  const issued = issueBolt11({ amountMsat: BigInt(Math.abs(fields.amountMsat)), description: fields.memo ?? '', expirySec });
  return {
    payment: {
      ...rest,
      // LNbits: FakeWallet uses the payment hash as checking_id; other funding sources may not.
      checkingId: issued.paymentHash,
      paymentHash: issued.paymentHash,
      bolt11: issued.paymentRequest,
      expiryMs: (issued.timestamp + expirySec) * 1000,
      webhookStatus: null,
      preimage: fields.status === 'success' ? issued.preimage : null,
      createdAtMs: fields.timeMs,
      updatedAtMs: fields.timeMs,
    },
    secretPreimage: issued.preimage,
  };
}

/** `out: true`: the invoice key may not pay; the admin key may, but the fake pays nothing. */
function refusePayment(c: Context, keyType: KeyType, bolt11: string | null, version: 'v1' | 'v0.12'): Response {
  // v0.12 answered 401 here; v1 answers 403.
  if (keyType === 'invoice') return c.json({ detail: 'Invoice (or Admin) key required.' }, version === 'v1' ? 403 : 401);
  if (!bolt11) {
    return c.json({ detail: version === 'v1' ? 'Missing BOLT11 invoice' : 'BOLT11 string is invalid or not given' }, 400);
  }
  // Not LNbits: paying invoices is out of the fake's scope; this is how a failed payment answers.
  return invoiceError('The fake LNbits pays no invoices.');
}

/** `create_invoice` on a validated body: the amount checks, the conversion to sats, the BOLT11. */
function createInvoice(
  c: Context,
  data: CreateInvoice,
  btcPrices: Record<string, number>,
  walletId: string,
): PaymentRecord | Response {
  // LNbits: `not amount > 0` on a missing amount is a TypeError, which the catch-all handler answers.
  if (data.amount === null) return unexpectedError(c);
  if (!(data.amount > 0)) return invoiceError('Amountless invoices not supported.');
  const sats = toSats(data.amount, data.unit, btcPrices);
  if ('detail' in sats) return c.json({ detail: sats.detail }, 400);
  const expirySec = data.expirySec || DEFAULT_EXPIRY_SEC;
  // Not LNbits: a negative expiry reaches the funding source, whose failure looks like this.
  if (expirySec < 0) return invoiceError('unexpected backend error.', 'pending');
  const memo = data.memo || DEFAULT_MEMO;
  // A BOLT11 field holds 639 bytes (a 10-bit count of 5-bit words), less than the 640 characters
  // the model allows: LNbits' FakeWallet encoder then raises, and the catch-all answers.
  if (new TextEncoder().encode(memo).length > BOLT11_DESCRIPTION_MAX_BYTES) return unexpectedError(c);
  const extra = { ...(data.extra ?? {}), ...fiatExtra(data.amount, data.unit, sats.amountSats) };
  return newPayment({
    walletId,
    amountMsat: sats.amountSats * 1000,
    feeMsat: 0,
    status: 'pending',
    memo,
    expirySec,
    webhook: data.webhook,
    labels: data.labels,
    extra,
    tag: typeof extra.tag === 'string' ? extra.tag : null,
    timeMs: Date.now(),
    origin: 'api',
  });
}

/** v0.12 answered a create with these four fields only. */
function createdV012(p: FakePayment) {
  return { payment_hash: p.paymentHash, payment_request: p.bolt11, lnurl_response: null, checking_id: p.checkingId };
}

// ---------------------------------------------------------------- errors

/** The body LNbits' catch-all exception handler answers with (a shortuuid). */
function unexpectedError(c: Context): Response {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  const id = Array.from(crypto.getRandomValues(new Uint8Array(22)), (byte) => alphabet[byte % alphabet.length]).join('');
  return c.json({ detail: `Unexpected error! ID: ${id}` }, 500);
}

/**
 * LNbits' `InvoiceError`/`PaymentError` handler: 520, with the state the payment is left in.
 * (Built by hand: Hono's typed `c.json` knows no 520.)
 */
function invoiceError(detail: string, status: 'failed' | 'pending' = 'failed'): Response {
  return new Response(JSON.stringify({ detail, status }), { status: 520, headers: { 'Content-Type': 'application/json' } });
}

interface ValidationItem {
  loc: (string | number)[];
  msg: string;
  type: string;
  ctx?: Record<string, unknown>;
}

/** LNbits turns FastAPI's 422 RequestValidationError into a 400 with the same pydantic list. */
function validationError(c: Context, errors: ValidationItem[]): Response {
  return c.json({ detail: errors }, 400);
}

const NGINX_503 = `<html>
<head><title>503 Service Temporarily Unavailable</title></head>
<body>
<center><h1>503 Service Temporarily Unavailable</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;

function rateLimitBody(limitPerMinute: number) {
  // slowapi's own handler: the key is `error`, not FastAPI's `detail`, and no Retry-After
  // (LNbits leaves `headers_enabled` off).
  return { error: `Rate limit exceeded: ${limitPerMinute} per 1 minute` };
}

function lnbitsErrors(limitPerMinute: number): VendorErrors {
  return {
    error: unexpectedError,
    // LNbits itself has no maintenance answer; a reverse proxy in front of it answers like this.
    unavailable: (c) => c.body(NGINX_503, 503, { 'Content-Type': 'text/html' }),
    rateLimited: (c) => c.json(rateLimitBody(limitPerMinute), 429),
  };
}

// ---------------------------------------------------------------- rate limit

/**
 * slowapi with LNbits' default limit: a fixed window from the first hit, counted per client IP
 * *and per endpoint*, every hit counting (refused ones too). Unknown routes are not counted.
 */
function rateLimiter(limitPerMinute: number): MiddlewareHandler<FakeEnv> {
  const buckets = new Map<string, { startMs: number; hits: number }>();
  return async (c, next) => {
    const route = ROUTES.find((r) => r.method === c.req.method && r.path.test(c.req.path));
    if (!route) return next();
    // `app.request` without an env has no socket: those callers share one bucket.
    const ip = c.env?.incoming?.socket?.remoteAddress ?? 'unknown';
    const key = `${ip} ${route.id}`;
    const nowMs = Date.now();
    let bucket = buckets.get(key);
    if (!bucket || nowMs - bucket.startMs >= RATE_WINDOW_MS) {
      bucket = { startMs: nowMs, hits: 0 };
      buckets.set(key, bucket);
    }
    bucket.hits += 1;
    if (bucket.hits > limitPerMinute) return c.json(rateLimitBody(limitPerMinute), 429);
    return next();
  };
}

// ---------------------------------------------------------------- create: the body, checked like pydantic v1

interface CreateInvoice {
  unit: string;
  out: boolean;
  /** null when absent: LNbits' model defaults it to None. */
  amount: number | null;
  memo: string | null;
  expirySec: number | null;
  extra: Record<string, unknown> | null;
  webhook: string | null;
  bolt11: string | null;
  labels: string[];
}

type Parsed<T> = { ok: true; value: T } | { ok: false; errors: ValidationItem[] };
type Coerced<T> = { value: T } | { error: Omit<ValidationItem, 'loc'> };

async function readJsonBody(c: Context<FakeEnv>): Promise<Parsed<unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') {
    return { ok: false, errors: [{ loc: ['body'], msg: 'field required', type: 'value_error.missing' }] };
  }
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, value };
  } catch {
    // FastAPI reports Python's JSONDecodeError; the character position is not reproduced.
    const error = { loc: ['body', 0], msg: 'Expecting value: line 1 column 1 (char 0)', type: 'value_error.jsondecode' };
    return { ok: false, errors: [error] };
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const NONE_NOT_ALLOWED = { msg: 'none is not an allowed value', type: 'type_error.none.not_allowed' };

/**
 * `CreateInvoice` as pydantic v1 validates it: lax coercion, errors collected in field order.
 * Fields the fake does not act on (internal, description_hash, unhashed_description,
 * payment_hash, lnurl_withdraw, fiat_provider) are accepted and ignored.
 */
function parseCreateInvoice(input: unknown, allowedCurrencies: readonly string[]): Parsed<CreateInvoice> {
  if (!isRecord(input)) {
    return { ok: false, errors: [{ loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' }] };
  }
  const body: Record<string, unknown> = input;
  const errors: ValidationItem[] = [];
  function field<T>(name: string, fallback: T, coerce: (value: unknown) => Coerced<T>, nullable: boolean): T {
    const raw = body[name];
    if (raw === undefined) return fallback;
    if (raw === null) {
      if (!nullable) errors.push({ loc: ['body', name], ...NONE_NOT_ALLOWED });
      return fallback;
    }
    const result = coerce(raw);
    if ('error' in result) {
      errors.push({ loc: ['body', name], ...result.error });
      return fallback;
    }
    return result.value;
  }

  const unit = field('unit', 'sat', (v) => {
    const text = pyStr(v);
    if ('error' in text || text.value === 'sat' || allowedCurrencies.includes(text.value)) return text;
    return { error: { msg: 'The provided unit is not supported', type: 'value_error' } };
  }, false);
  const out = field('out', true, pyBool, false);
  const amount = field<number | null>('amount', null, (v) => {
    const number = pyFloat(v);
    if ('error' in number || number.value >= 0) return number;
    const msg = 'ensure this value is greater than or equal to 0';
    return { error: { msg, type: 'value_error.number.not_ge', ctx: { limit_value: 0 } } };
  }, true);
  const memo = field<string | null>('memo', null, (v) => {
    const text = pyStr(v);
    // Python counts code points, not UTF-16 units.
    if ('error' in text || [...text.value].length <= MEMO_MAX_CHARS) return text;
    const msg = `ensure this value has at most ${MEMO_MAX_CHARS} characters`;
    return { error: { msg, type: 'value_error.any_str.max_length', ctx: { limit_value: MEMO_MAX_CHARS } } };
  }, true);
  const expirySec = field<number | null>('expiry', null, pyInt, true);
  const extra = field<Record<string, unknown> | null>('extra', null, (v) =>
    isRecord(v) ? { value: v } : { error: { msg: 'value is not a valid dict', type: 'type_error.dict' } }, true);
  const webhook = field<string | null>('webhook', null, pyStr, true);
  const bolt11 = field<string | null>('bolt11', null, pyStr, true);
  const labels = parseLabels(body.labels, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { unit, out, amount, memo, expirySec, extra, webhook, bolt11, labels } };
}

function parseLabels(raw: unknown, errors: ValidationItem[]): string[] {
  if (raw === undefined) return [];
  if (raw === null) {
    errors.push({ loc: ['body', 'labels'], ...NONE_NOT_ALLOWED });
    return [];
  }
  if (!Array.isArray(raw)) {
    errors.push({ loc: ['body', 'labels'], msg: 'value is not a valid list', type: 'type_error.list' });
    return [];
  }
  const labels: string[] = [];
  raw.forEach((item: unknown, index) => {
    const text = item === null ? { error: NONE_NOT_ALLOWED } : pyStr(item);
    if ('error' in text) errors.push({ loc: ['body', 'labels', index], ...text.error });
    else labels.push(text.value);
  });
  return labels;
}

const PY_TRUE = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const PY_FALSE = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

function pyBool(value: unknown): Coerced<boolean> {
  if (typeof value === 'boolean') return { value };
  if (value === 0 || value === 1) return { value: value === 1 };
  if (typeof value === 'string' && PY_TRUE.has(value.toLowerCase())) return { value: true };
  if (typeof value === 'string' && PY_FALSE.has(value.toLowerCase())) return { value: false };
  return { error: { msg: 'value could not be parsed to a boolean', type: 'type_error.bool' } };
}

const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const INTEGER = /^\s*[+-]?\d+\s*$/;

/** pydantic v1 `float`: numbers, booleans and numeric strings. */
function pyFloat(value: unknown): Coerced<number> {
  if (typeof value === 'number') return { value };
  if (typeof value === 'boolean') return { value: value ? 1 : 0 };
  if (typeof value === 'string' && DECIMAL.test(value)) return { value: Number(value) };
  return { error: { msg: 'value is not a valid float', type: 'type_error.float' } };
}

/** pydantic v1 `int`: `int(v)`, so 3600.9 becomes 3600 but the string "3600.9" is refused. */
function pyInt(value: unknown): Coerced<number> {
  if (typeof value === 'number' && Number.isFinite(value)) return { value: Math.trunc(value) };
  if (typeof value === 'boolean') return { value: value ? 1 : 0 };
  if (typeof value === 'string' && INTEGER.test(value)) return { value: Number.parseInt(value, 10) };
  return { error: { msg: 'value is not a valid integer', type: 'type_error.integer' } };
}

/** pydantic v1 `str`: strings, and numbers through `str()` (a bool is an int in Python). */
function pyStr(value: unknown): Coerced<string> {
  if (typeof value === 'string') return { value };
  if (typeof value === 'number') return { value: String(value) };
  if (typeof value === 'boolean') return { value: value ? 'True' : 'False' };
  return { error: { msg: 'str type expected', type: 'type_error.str' } };
}

// ---------------------------------------------------------------- create: amounts

/** LNbits: sats are `int(amount)`; fiat is `int(amount * rate)`, rate being sats per fiat unit. Both truncate. */
function toSats(
  amount: number,
  unit: string,
  btcPrices: Record<string, number>,
): { amountSats: number } | { detail: string } {
  if (unit === 'sat') return { amountSats: Math.trunc(amount) };
  const price = btcPrices[unit] ?? 0;
  if (price <= 0) return { detail: `Could not get exchange rate for ${unit}.` };
  return { amountSats: Math.trunc(amount * (SATS_PER_BTC / price)) };
}

/**
 * LNbits: what a fiat invoice adds to `extra`. The wallet's own `wallet_fiat_*` fields appear
 * only when the wallet or server has an accounting currency, which the fake's wallet has not.
 */
function fiatExtra(amount: number, unit: string, amountSats: number): Record<string, unknown> {
  if (unit === 'sat') return {};
  return {
    fiat_currency: unit,
    fiat_amount: Number(amount.toFixed(3)),
    fiat_rate: amountSats / amount,
    btc_rate: (amount / amountSats) * SATS_PER_BTC,
  };
}

// ---------------------------------------------------------------- reads: serialising

/**
 * A datetime as pydantic serialises a *naive* one: ISO without a zone suffix, microseconds only
 * when there are any. LNbits on Postgres before v1.5 emits these (naive UTC); SQLite and v1.5+
 * add `+00:00`. A client must read both as UTC — `Date.parse` would take this form as local time.
 */
function pythonNaiveIso(ms: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(20, 23);
  return fraction === '000' ? iso.slice(0, 19) : `${iso.slice(0, 19)}.${fraction}000`;
}

/** The v1 `Payment` object, fields in the model's order. */
function paymentJson(p: FakePayment) {
  return {
    checking_id: p.checkingId,
    payment_hash: p.paymentHash,
    wallet_id: p.walletId,
    amount: p.amountMsat,
    fee: p.feeMsat,
    bolt11: p.bolt11,
    payment_request: p.bolt11,
    fiat_provider: null,
    status: p.status,
    memo: p.memo,
    expiry: pythonNaiveIso(p.expiryMs),
    webhook: p.webhook,
    webhook_status: p.webhookStatus,
    preimage: p.preimage,
    tag: p.tag,
    extension: null,
    time: pythonNaiveIso(p.timeMs),
    created_at: pythonNaiveIso(p.createdAtMs),
    updated_at: pythonNaiveIso(p.updatedAtMs),
    labels: p.labels,
    extra: p.extra,
  };
}

/** v0.12's `Payment.dict()`: unix seconds, a `pending` flag, and zeros for a missing preimage. */
function paymentDictV012(p: FakePayment) {
  return {
    status: p.status,
    pending: p.status === 'pending',
    checking_id: p.checkingId,
    amount: p.amountMsat,
    fee: p.feeMsat,
    memo: p.memo,
    time: Math.floor(p.timeMs / 1000),
    bolt11: p.bolt11,
    preimage: p.preimage ?? '0'.repeat(64),
    payment_hash: p.paymentHash,
    expiry: Math.floor(p.expiryMs / 1000),
    extra: p.extra,
    wallet_id: p.walletId,
    webhook: p.webhook,
    webhook_status: p.webhookStatus === null ? null : Number(p.webhookStatus),
  };
}

/** `GET /api/v1/payments/{hash}`: the owner sees `details`; anyone else only whether it is paid. */
function statusAnswer(p: FakePayment, isOwner: boolean) {
  const details = isOwner ? { details: paymentJson(p) } : {};
  if (p.status === 'success') return { paid: true, preimage: p.preimage, ...details };
  if (p.status === 'failed') return { paid: false, status: 'failed', ...details };
  // A pending payment is re-checked with the funding source; in the fake it stays pending, even expired.
  if (!isOwner) return { paid: false, preimage: p.preimage };
  return { paid: false, status: 'pending', preimage: p.preimage, ...details };
}

/**
 * Python's `json.dumps` defaults: `", "` and `": "` separators, non-ASCII escaped. The webhook
 * body is built with it (pydantic's `.json()` inside, httpx's encoder outside).
 */
function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return JSON.stringify(value);
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map((item: unknown) => pythonJsonDumps(item)).join(', ')}]`;
  if (isRecord(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${pythonJsonDumps(key)}: ${pythonJsonDumps(item)}`)
      .join(', ')}}`;
  }
  throw new TypeError(`not JSON-serialisable: ${typeof value}`);
}

// ---------------------------------------------------------------- webhook

/**
 * v1.1+: `client.post(url, json=payment.json())` — `.json()` is already a string, so httpx
 * encodes a JSON string literal holding the Payment JSON. v0.12 posted `payment.dict()`.
 */
function webhookBody(p: FakePayment, version: 'v1' | 'v0.12'): string {
  return version === 'v1' ? pythonJsonDumps(pythonJsonDumps(paymentJson(p))) : pythonJsonDumps(paymentDictV012(p));
}

/** One attempt, no retries, no signature; the status code as a string, "-1" when nothing answered. */
async function postWebhook(url: string, body: string, userAgent: string): Promise<string> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': userAgent },
      body,
      // httpx does not follow redirects unless told to.
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return String(response.status);
  } catch {
    return '-1';
  }
}

// ---------------------------------------------------------------- lists: query parameters

const FILTER_OPS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in', 'ex', 'like', 'every', 'any'] as const;
type FilterOp = (typeof FILTER_OPS)[number];

/** `PaymentFilters` fields and how pydantic validates their values. */
const FILTER_FIELDS = {
  status: 'str',
  tag: 'str',
  checking_id: 'str',
  amount: 'int',
  fee: 'int',
  memo: 'str',
  time: 'datetime',
  preimage: 'str',
  payment_hash: 'str',
  wallet_id: 'str',
  labels: 'str',
} as const;
type FilterField = keyof typeof FILTER_FIELDS;
const isFilterField = (name: string): name is FilterField => Object.hasOwn(FILTER_FIELDS, name);

const SORT_FIELDS = ['created_at', 'updated_at', 'amount', 'fee', 'memo', 'time', 'tag'] as const;
type SortField = (typeof SORT_FIELDS)[number];

const HISTORY_GROUPS = ['hour', 'day', 'month'] as const;
type HistoryGroup = (typeof HISTORY_GROUPS)[number];

/** A filter value: text, an integer, or (for `time`) unix ms. */
type FilterValue = string | number;

interface FieldFilter {
  field: FilterField;
  op: FilterOp;
  values: FilterValue[];
}

interface ListQuery {
  filters: FieldFilter[];
  search: string | null;
  limit: number | null;
  offset: number | null;
  sortby: SortField | null;
  direction: 'asc' | 'desc' | null;
}

type ParamCheck = (value: string) => Omit<ValidationItem, 'loc'> | null;

const checkInt: ParamCheck = (value) => {
  const coerced = pyInt(value);
  return 'error' in coerced ? coerced.error : null;
};
const checkBool: ParamCheck = (value) => {
  const coerced = pyBool(value);
  return 'error' in coerced ? coerced.error : null;
};
function checkEnum(permitted: readonly string[]): ParamCheck {
  return (value) =>
    permitted.includes(value)
      ? null
      : {
          msg: `unexpected value; permitted: ${permitted.map((p) => `'${p}'`).join(', ')}`,
          type: 'value_error.const',
          ctx: { given: value, permitted },
        };
}

const asHistoryGroup = (value: string | undefined): HistoryGroup => HISTORY_GROUPS.find((g) => g === value) ?? 'day';
const asSortField = (value: string): SortField | undefined => SORT_FIELDS.find((f) => f === value);

/**
 * `parse_filters`: typed parameters first (a bad one is a 400 validation list), then `sortby`
 * (a bad one is a 400 with pydantic's error text), then every parameter that reads as
 * `field[op]` or a bare `field` becomes a filter. Unknown fields or ops and values that do not
 * validate are dropped silently: LNbits catches the ValueError and skips that filter.
 */
function parseListQuery(
  queries: Record<string, string[]>,
  serverTimeZone: string,
  extraParams: [string, ParamCheck][] = [],
): { ok: true; value: ListQuery } | { ok: false; response: (c: Context) => Response } {
  // Starlette keeps the last of repeated scalar parameters.
  const last = (name: string) => queries[name]?.at(-1);
  const params: [string, ParamCheck][] = [
    ['limit', checkInt],
    ['offset', checkInt],
    ['direction', checkEnum(['asc', 'desc'])],
    ...extraParams,
  ];
  const errors: ValidationItem[] = [];
  for (const [name, check] of params) {
    const value = last(name);
    const error = value === undefined ? null : check(value);
    if (error) errors.push({ loc: ['query', name], ...error });
  }
  if (errors.length > 0) return { ok: false, response: (c) => validationError(c, errors) };

  const sortbyText = last('sortby');
  const sortby = sortbyText ? asSortField(sortbyText) : undefined;
  if (sortbyText && !sortby) {
    // LNbits: Filters' root validator raises, and the ValueError handler answers str(ValidationError).
    const detail = '1 validation error for Filters\n__root__\n  Invalid sort field (type=value_error)';
    return { ok: false, response: (c) => c.json({ detail }, 400) };
  }

  const filters: FieldFilter[] = [];
  for (const [key, rawValues] of Object.entries(queries)) {
    const filter = parseFilter(key, rawValues, serverTimeZone);
    if (filter) filters.push(filter);
  }
  const limit = last('limit');
  const offset = last('offset');
  const direction = last('direction');
  return {
    ok: true,
    value: {
      filters,
      search: last('search') || null,
      limit: limit === undefined ? null : Number.parseInt(limit, 10),
      offset: offset === undefined ? null : Number.parseInt(offset, 10),
      sortby: sortby ?? null,
      direction: direction === 'asc' || direction === 'desc' ? direction : null,
    },
  };
}

function parseFilter(key: string, rawValues: string[], serverTimeZone: string): FieldFilter | null {
  const bracketed = /^([^[\]]*)\[([^[\]]*)\]$/.exec(key);
  const fieldName = bracketed ? bracketed[1]! : key;
  const opName = bracketed ? bracketed[2]! : 'eq';
  if (!bracketed && key.includes('[')) return null;
  const op = FILTER_OPS.find((o) => o === opName);
  if (!op || !isFilterField(fieldName)) return null;
  const field = fieldName;
  const texts = ['in', 'ex', 'every', 'any'].includes(op) ? rawValues.flatMap((v) => v.split(',')) : rawValues;
  const values: FilterValue[] = [];
  for (const text of texts) {
    const value = filterValue(FILTER_FIELDS[field], text, serverTimeZone);
    if (value === null) return null;
    values.push(value);
  }
  return { field, op, values };
}

function filterValue(kind: 'str' | 'int' | 'datetime', text: string, serverTimeZone: string): FilterValue | null {
  if (kind === 'str') return text;
  if (kind === 'int') return INTEGER.test(text) ? Number.parseInt(text, 10) : null;
  return parsePydanticDatetime(text, serverTimeZone);
}

// ---------------------------------------------------------------- lists: filtering, sorting, paging

/** A payment's column as the SQL sees it; `time` as unix ms, `labels` as its stored JSON text. */
function column(p: FakePayment, field: FilterField): string | number | null {
  switch (field) {
    case 'status': return p.status;
    case 'tag': return p.tag;
    case 'checking_id': return p.checkingId;
    case 'amount': return p.amountMsat;
    case 'fee': return p.feeMsat;
    case 'memo': return p.memo;
    case 'time': return p.timeMs;
    case 'preimage': return p.preimage;
    case 'payment_hash': return p.paymentHash;
    case 'wallet_id': return p.walletId;
    case 'labels': return pythonJsonDumps(p.labels);
  }
}

function compare(a: string | number, b: FilterValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** SQL LIKE as SQLite runs it: `%` and `_` are wildcards, ASCII case is ignored. */
function sqlLike(text: string, pattern: string): boolean {
  const source = [...pattern]
    .map((ch) => (ch === '%' ? '[\\s\\S]*' : ch === '_' ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i').test(text);
}

/** One filter: values OR-ed (AND-ed for `every`); NULL matches nothing, as in SQL. */
function matchesFilter(p: FakePayment, { field, op, values }: FieldFilter): boolean {
  const value = column(p, field);
  if (value === null) return false;
  switch (op) {
    case 'eq': case 'in': return values.some((v) => compare(value, v) === 0);
    case 'ne': return values.some((v) => compare(value, v) !== 0);
    case 'ex': return values.every((v) => compare(value, v) !== 0);
    case 'gt': return values.some((v) => compare(value, v) > 0);
    case 'ge': return values.some((v) => compare(value, v) >= 0);
    case 'lt': return values.some((v) => compare(value, v) < 0);
    case 'le': return values.some((v) => compare(value, v) <= 0);
    case 'like': return values.some((v) => sqlLike(String(value), `%${v}%`));
    // `labels` holds a JSON list, so a label matches as its quoted form inside the text.
    case 'any': return values.some((v) => sqlLike(String(value), `%"${v}"%`));
    case 'every': return values.every((v) => sqlLike(String(value), `%"${v}"%`));
  }
}

/** LNbits' `search`: a LIKE over memo, amount, wallet_id, tag, status, time (unix s) and labels. */
function matchesSearch(p: FakePayment, search: string): boolean {
  const timeSec = Math.floor(p.timeMs / 1000);
  const haystack = [p.memo ?? '', p.amountMsat, p.walletId, p.tag ?? '', p.status, timeSec, pythonJsonDumps(p.labels)].join('');
  return sqlLike(haystack.toLowerCase(), `%${search.toLowerCase()}%`);
}

function matchesAll(p: FakePayment, query: ListQuery): boolean {
  return query.filters.every((f) => matchesFilter(p, f)) && (query.search === null || matchesSearch(p, query.search));
}

function sortKey(p: FakePayment, field: SortField): string | number | null {
  switch (field) {
    case 'created_at': return p.createdAtMs;
    case 'updated_at': return p.updatedAtMs;
    case 'time': return p.timeMs;
    case 'amount': return p.amountMsat;
    case 'fee': return p.feeMsat;
    case 'memo': return p.memo;
    case 'tag': return p.tag;
  }
}

/** ORDER BY with SQLite's NULLs-first ascending; ties keep insertion order. */
function sorted(payments: FakePayment[], field: SortField, direction: 'asc' | 'desc'): FakePayment[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...payments].sort((a, b) => {
    const [x, y] = [sortKey(a, field), sortKey(b, field)];
    if (x === y) return 0;
    if (x === null) return -sign;
    if (y === null) return sign;
    return sign * compare(x, y);
  });
}

/**
 * `fetch_page`. LNbits (v1.4+): without `limit` a page holds **10** rows and never more than
 * 1000 — PROVIDERS.md's "no default limit" held before v1.4. `limit=0` means 10 as well; a
 * negative limit is SQLite's "no limit". `total` counts every match, but is 0 when the page
 * itself is empty (an offset past the end), because LNbits only counts when it found rows.
 */
function pageOf(payments: FakePayment[], query: ListQuery): { data: FakePayment[]; total: number } {
  const matching = payments.filter((p) => matchesAll(p, query));
  const ordered = query.sortby ? sorted(matching, query.sortby, query.direction ?? 'asc') : matching;
  const limit = query.limit || 10;
  const offset = Math.max(0, query.offset ?? 0);
  const data = limit < 0 ? ordered.slice(offset) : ordered.slice(offset, offset + Math.min(1000, limit));
  return { data, total: data.length > 0 ? matching.length : 0 };
}

// ---------------------------------------------------------------- history and balance

/** LNbits' `balances` view: incoming that succeeded, outgoing that succeeded or is in flight, fees off. */
function balanceMsat(payments: FakePayment[]): number {
  return payments
    .filter((p) => (p.amountMsat > 0 ? p.status === 'success' : p.status !== 'failed'))
    .reduce((sum, p) => sum + p.amountMsat - Math.abs(p.feeMsat), 0);
}

/**
 * `get_payments_history`: income and spending (outgoing plus fee) per bucket, oldest first, with
 * `balance` walked backwards from the current balance. `date` is the bucket's start as the
 * server's database sees it: a naive ISO datetime of the wall clock in `serverTimeZone`, e.g.
 * `2026-03-11T00:00:00` for the Berlin day that began at 2026-03-10T23:00Z.
 */
function historyPoints(payments: FakePayment[], group: HistoryGroup, serverTimeZone: string, currentBalanceMsat: number) {
  const buckets = new Map<string, { income: number; spending: number }>();
  for (const p of payments) {
    const date = bucketStart(p.timeMs, group, serverTimeZone);
    const bucket = buckets.get(date) ?? { income: 0, spending: 0 };
    if (p.amountMsat > 0) bucket.income += p.amountMsat;
    else bucket.spending += Math.abs(p.amountMsat) + Math.abs(p.feeMsat);
    buckets.set(date, bucket);
  }
  const points: { date: string; income: number; spending: number; balance: number }[] = [];
  let balance = currentBalanceMsat;
  const newestFirst = [...buckets.entries()].sort(([a], [b]) => (a < b ? 1 : -1));
  for (const [date, { income, spending }] of newestFirst) {
    points.unshift({ date, income, spending, balance });
    balance -= income - spending;
  }
  return points;
}

function bucketStart(ms: number, group: HistoryGroup, zone: string): string {
  const t = wallClock(ms, zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${String(t.year).padStart(4, '0')}-${pad(t.month)}-${group === 'month' ? '01' : pad(t.day)}`;
  return `${day}T${group === 'hour' ? pad(t.hour) : '00'}:00:00`;
}

// ---------------------------------------------------------------- time zones and pydantic datetimes

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `zone` at instant `ms`. */
function wallClock(ms: number, zone: string): WallClock {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  const parts = formatter.formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  };
}

function utcMs(t: WallClock, milliseconds: number): number {
  const date = new Date(0);
  date.setUTCFullYear(t.year, t.month - 1, t.day);
  date.setUTCHours(t.hour, t.minute, t.second, milliseconds);
  return date.getTime();
}

/** The instant whose wall clock in `zone` reads `t` (the earlier one when clocks go back). */
function zonedToMs(t: WallClock, milliseconds: number, zone: string): number {
  const asUtc = utcMs(t, milliseconds);
  const offsetAt = (instant: number) => {
    const milliseconds = instant - Math.floor(instant / 1000) * 1000;
    return utcMs(wallClock(instant, zone), milliseconds) - instant;
  };
  const firstGuess = asUtc - offsetAt(asUtc);
  return asUtc - offsetAt(firstGuess);
}

const PYDANTIC_DATETIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6})\d{0,6})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * A filter value for `time`, as pydantic v1 parses a datetime: unix seconds (milliseconds above
 * 2e10), or ISO with a time of day — a bare date is invalid, so `time[ge]=2026-01-01` is
 * silently dropped. LNbits binds it with Python's `.timestamp()`, which reads a *naive* value
 * in the server process's zone: here `serverTimeZone`. Returns unix ms, or null if invalid.
 */
export function parsePydanticDatetime(text: string, serverTimeZone: string): number | null {
  if (DECIMAL.test(text)) {
    const n = Number(text);
    return Math.abs(n) > 2e10 ? n : n * 1000;
  }
  const m = PYDANTIC_DATETIME.exec(text);
  if (!m) return null;
  const t: WallClock = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: +(m[6] ?? 0) };
  const milliseconds = Math.floor(+(m[7] ?? '0').padEnd(6, '0') / 1000);
  const asUtc = utcMs(t, milliseconds);
  const check = new Date(asUtc);
  // Python's datetime() refuses 31 February or 24:00; Date would roll them over.
  const rolledOver = check.getUTCMonth() !== t.month - 1 || check.getUTCDate() !== t.day;
  if (rolledOver || t.hour > 23 || t.minute > 59 || t.second > 59) return null;
  const zone = m[8];
  if (zone === undefined) return zonedToMs(t, milliseconds, serverTimeZone);
  if (zone === 'Z') return asUtc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return asUtc - sign * offsetMinutes * 60_000;
}
