/**
 * A fake Strike API v1 (../shared/PROVIDERS.md §2) on loopback, to prove the Strike adapter
 * against the documented behaviour: bearer keys with scopes, invoices that stay UNPAID while
 * 30-second quotes come and go, OData lists, the vendor's error bodies, the per-minute budgets
 * and the "everything else" budget whose excess locks the key out for an hour, and signed v1
 * webhooks that name the invoice but never its state.
 *
 * Where the documentation is silent the fake picks the most plausible behaviour; every such
 * place says "Guess:" so that a live test can confirm or correct it.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type * as core from 'zod/v4/core';
import { z } from '../../src/server/zod';
import { fakeApp, issueBolt11, randomHex, type FakeControl, type FakeEnv, type VendorErrors } from './common';

// ---------------------------------------------------------------- options and defaults

export interface FakeStrikeOptions {
  /** Random if omitted. */
  apiKey?: string;
  /** Default: all partner.invoice.*, partner.rates.ticker, partner.webhooks.manage. */
  scopes?: string[];
  /** BTC price per currency, major units, e.g. { USD: 100000, EUR: 92000 }; invoiceable currencies are these keys plus BTC. */
  btcPrices?: Record<string, number>;
  /** Seconds a quote is valid: fiat-denominated invoices ~30 (Strike's documented guarantee); BTC-denominated longer. */
  fiatQuoteSeconds?: number;
  btcQuoteSeconds?: number;
  /** "Everything else" budget (GET invoice, list, cancel, …): reads per window and lockout; defaults 1000 per 10 min, 1-hour lockout. */
  readLimit?: { max: number; windowMs: number; lockoutMs: number };
  /** POST invoices / POST quote / rates budget per minute, default 250 (each endpoint has its own). */
  createLimitPerMinute?: number;
  /** Hex case of X-Webhook-Signature; default 'lower'. */
  signatureCase?: 'lower' | 'upper';
  /**
   * JSON indentation of webhook bodies; default 0 (compact). Strike's own Node sample verifies by
   * re-serialising the parsed body, which only works if Strike sends compact JSON; a test may set
   * this to prove that the adapter signs the raw bytes instead.
   */
  webhookBodyIndent?: number;
}

const INVOICE_SCOPES = [
  'partner.invoice.create',
  'partner.invoice.quote.generate',
  'partner.invoice.read',
  'partner.invoice.cancel',
] as const;
export const DEFAULT_STRIKE_SCOPES: readonly string[] = [...INVOICE_SCOPES, 'partner.rates.ticker', 'partner.webhooks.manage'];

const DEFAULT_BTC_PRICES: Record<string, number> = { USD: 100_000, EUR: 92_000 };
/** docs.strike.me/walkthrough/receiving-payments: the rate of a fiat invoice is guaranteed for 30 s. */
const DEFAULT_FIAT_QUOTE_SEC = 30;
/** Guess: a BTC-denominated quote has no rate to protect, so it lives as long as a default BOLT11 (1 h). */
const DEFAULT_BTC_QUOTE_SEC = 3600;
const DEFAULT_READ_LIMIT = { max: 1000, windowMs: 10 * 60_000, lockoutMs: 60 * 60_000 };
const DEFAULT_CREATE_LIMIT_PER_MINUTE = 250;
const MINUTE_MS = 60_000;
/** docs.strike.me/webhooks/setting-up-webhooks: a receiver must answer 2xx within 5 s. */
const WEBHOOK_TIMEOUT_MS = 5_000;
const MAX_SUBSCRIPTIONS = 50;
const MAX_PAGE_SIZE = 100;
const SATS_PER_BTC = 100_000_000n;
const BTC = 'BTC';

// ---------------------------------------------------------------- vendor shapes

export type StrikeInvoiceState = 'UNPAID' | 'PENDING' | 'PAID' | 'CANCELLED';

export interface StrikeAmount {
  /** Decimal string in major units, e.g. "12.50" or "0.00012345". */
  amount: string;
  currency: string;
}

export interface StrikeTransaction {
  transactionId: string;
  state: 'PENDING' | 'COMPLETED';
  amountReceived: StrikeAmount;
  created: string;
  completed?: string;
}

export interface FakeStrikeQuote {
  quoteId: string;
  description?: string;
  lnInvoice: string;
  expiration: string;
  expirationInSec: number;
  targetAmount: StrikeAmount;
  sourceAmount: StrikeAmount;
  conversionRate: { amount: string; sourceCurrency: string; targetCurrency: string };
  /** Fake-only (not in Strike's answer): what the BOLT11 carries, for assertions. */
  paymentHash: string;
  amountSats: number;
  issuedAtMs: number;
  expiresAtMs: number;
}

export interface FakeStrikeInvoice {
  invoiceId: string;
  amount: StrikeAmount;
  state: StrikeInvoiceState;
  created: string;
  correlationId?: string;
  description?: string;
  issuerId: string;
  receiverId: string;
  transactions: StrikeTransaction[];
  /** Fake-only: every quote issued, oldest first; the last one is current. */
  quotes: FakeStrikeQuote[];
}

export interface FakeStrikeSubscription {
  id: string;
  webhookUrl: string;
  webhookVersion: 'v1' | 'v2';
  enabled: boolean;
  created: string;
  eventTypes: string[];
  /** Write-only at Strike: never in an answer. */
  secret: string;
}

interface StrikeEvent {
  id: string;
  eventType: string;
  webhookVersion: 'v1';
  data: { entityId: string; changes?: string[] };
  created: string;
  deliverySuccess: boolean;
}

export interface FakeStrikeDelivery {
  eventId: string;
  eventType: string;
  subscriptionId: string;
  url: string;
  /** The exact bytes sent, as text. */
  body: string;
  signature: string;
  /** The receiver's status; null while in flight or when it never answered (see `error`). */
  status: number | null;
  error?: string;
  atMs: number;
  /** True for `redeliverLast()` replays. */
  redelivery: boolean;
}

export interface FakeStrike {
  app: Hono<FakeEnv>;
  control: FakeControl;
  apiKey: string;
  /**
   * The customer pays the invoice's *current* quote; refuses (throws) if the quote has expired or
   * the invoice is not UNPAID. Goes UNPAID → PENDING → PAID (await it) and sends `invoice.updated`
   * webhooks to every enabled subscription, awaiting delivery.
   */
  pay(invoiceId: string): Promise<void>;
  /** Requests counted against the "everything else" budget so far (including refused ones). */
  readCount(): number;
  /** State for assertions, including every quote issued (copies). */
  invoices(): readonly FakeStrikeInvoice[];
  /** Every webhook delivery attempt, oldest first (copies). */
  deliveries(): readonly FakeStrikeDelivery[];
  /** Re-sends the last webhook delivery byte for byte, same event id and signature (replay tests). */
  redeliverLast(): Promise<void>;
  /** Changes a BTC price; later quotes and tickers use it. */
  setBtcPrice(currency: string, price: number): void;
  /** Resolves when webhooks started by HTTP requests (create, cancel) have been delivered. */
  webhooksSettled(): Promise<void>;
}

// ---------------------------------------------------------------- errors

type ValidationErrors = Record<string, { code: string; message: string; values: Record<string, unknown> }[]>;

/** A Strike error answer: `{traceId, data: {status, code, message, values?, validationErrors?}}`. */
class StrikeError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: { values?: Record<string, unknown>; validationErrors?: ValidationErrors } = {},
  ) {
    super(message);
  }
}

function errorResponse(c: Context, error: StrikeError, headers: Record<string, string> = {}): Response {
  const data = { status: error.status, code: error.code, message: error.message, ...error.extra };
  return c.json({ traceId: randomHex(16), data }, error.status, headers);
}

const notFound = (what: string) => new StrikeError(404, 'NOT_FOUND', `${what} not found.`);

const rateLimitExceeded = () => new StrikeError(429, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded.');

/** Guess: Strike's header on 429 is not documented; a Retry-After in whole seconds is the HTTP norm. */
const retryAfter = (waitMs: number) => ({ 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) });

const vendorErrors: VendorErrors = {
  error: (c) => errorResponse(c, new StrikeError(500, 'INTERNAL_SERVER_ERROR', 'An unexpected error occurred.')),
  unavailable: (c) => errorResponse(c, new StrikeError(503, 'MAINTENANCE_MODE', 'Strike is under maintenance.')),
  rateLimited: (c) => errorResponse(c, rateLimitExceeded(), retryAfter(MINUTE_MS)),
};

/**
 * Guess: the code and the field names inside `validationErrors` are not documented; the fake
 * uses the body path (`amount.amount`) and zod's issue code in upper case.
 */
function validationErrorsOf(error: core.$ZodError): ValidationErrors {
  const errors: ValidationErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
    const values: Record<string, unknown> = {};
    if (issue.code === 'too_big') values.maximum = Number(issue.maximum);
    if (issue.code === 'too_small') values.minimum = Number(issue.minimum);
    (errors[field] ??= []).push({ code: issue.code.toUpperCase(), message: issue.message, values });
  }
  return errors;
}

function invalidData(message: string, validationErrors: ValidationErrors): StrikeError {
  return new StrikeError(400, 'INVALID_DATA', message, { validationErrors });
}

function parseWith<S extends core.$ZodType>(schema: S, value: unknown): core.output<S> {
  const result = z.safeParse(schema, value);
  if (!result.success) throw invalidData('The request is not valid.', validationErrorsOf(result.error));
  return result.data;
}

/**
 * Guess: Strike is an ASP.NET service, which refuses a body that is not declared as JSON with 415;
 * the code name is ours. Unparseable JSON is a 400 INVALID_DATA.
 */
async function readJson(c: Context): Promise<unknown> {
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('Content-Type') ?? '')) {
    throw new StrikeError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.');
  }
  const text = await c.req.text();
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch {
    throw invalidData('The request body is not valid JSON.', { body: [{ code: 'INVALID_JSON', message: 'not JSON', values: {} }] });
  }
}

// ---------------------------------------------------------------- decimal amounts

/** An exact decimal: `units / 10^scale`, without trailing fractional zeros. */
interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

function parseDecimal(text: string): Decimal | null {
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return { units: BigInt(`${match[1] ?? '0'}${fraction}`), scale: fraction.length };
}

const pow10 = (exponent: number) => 10n ** BigInt(exponent);
const ceilDiv = (numerator: bigint, denominator: bigint) => (numerator + denominator - 1n) / denominator;

/** Guess: BTC takes 8 decimals (sats); every other currency 2 (Strike shows USDT to the cent too). */
const decimalsOf = (currency: string) => (currency === BTC ? 8 : 2);

function formatBtc(sats: bigint): string {
  return `${sats / SATS_PER_BTC}.${(sats % SATS_PER_BTC).toString().padStart(8, '0')}`;
}

/** A rate as a decimal string with at most 8 decimals, trailing zeros dropped. */
function formatRate(rate: number): string {
  return rate.toFixed(8).replace(/\.?0+$/, '');
}

interface Price {
  value: number;
  text: string;
  decimal: Decimal;
}

function priceOf(currency: string, value: number): Price {
  const text = String(value);
  const decimal = parseDecimal(text);
  if (!Number.isFinite(value) || value <= 0 || !decimal) {
    throw new Error(`Fake Strike: the BTC price in ${currency} must be a positive plain decimal, got ${text}`);
  }
  return { value, text, decimal };
}

// ---------------------------------------------------------------- rate limits

/** Admitted requests in a sliding window: stricter than a fixed window, so an adapter that keeps to it keeps to either. */
class SlidingWindow {
  private admittedAtMs: number[] = [];

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Admits a request now, or answers how long until one would be admitted. */
  tryAdmit(nowMs: number): { admitted: true } | { admitted: false; waitMs: number } {
    this.admittedAtMs = this.admittedAtMs.filter((atMs) => atMs > nowMs - this.windowMs && atMs <= nowMs);
    if (this.admittedAtMs.length < this.max) {
      this.admittedAtMs.push(nowMs);
      return { admitted: true };
    }
    return { admitted: false, waitMs: (this.admittedAtMs[0] ?? nowMs) + this.windowMs - nowMs };
  }

  clear(): void {
    this.admittedAtMs = [];
  }
}

/**
 * The "everything else" budget (docs.strike.me/rate-limits): over it, the request and every such
 * request for `lockoutMs` get 429. Guesses: requests during the lockout do not extend it, and the
 * window starts empty when the lockout ends.
 */
class ReadBudget {
  count = 0;
  private lockedUntilMs = 0;
  private readonly window: SlidingWindow;

  constructor(private readonly limit: { max: number; windowMs: number; lockoutMs: number }) {
    this.window = new SlidingWindow(limit.max, limit.windowMs);
  }

  /** null when admitted, else the ms until the lockout ends. */
  admit(nowMs: number): number | null {
    this.count += 1;
    if (nowMs < this.lockedUntilMs) return this.lockedUntilMs - nowMs;
    if (this.window.tryAdmit(nowMs).admitted) return null;
    this.lockedUntilMs = nowMs + this.limit.lockoutMs;
    this.window.clear();
    return this.limit.lockoutMs;
  }
}

type CreateBucket = 'invoices' | 'quote' | 'rates';

/**
 * Which budget a request spends. Guess: every request reaching /v1 counts, whatever its answer
 * (401 and 404 included), since the limit sits in front of the handlers.
 */
function createBucketOf(method: string, path: string): CreateBucket | null {
  if (path.startsWith('/v1/rates/') || path === '/v1/rates') return 'rates';
  if (method !== 'POST') return null;
  if (path === '/v1/invoices') return 'invoices';
  if (/^\/v1\/invoices\/[^/]+\/quote$/.test(path)) return 'quote';
  return null;
}

// ---------------------------------------------------------------- OData lists

type FieldKind = 'string' | 'datetime';
type ODataFields<T> = Record<string, { kind: FieldKind; get(item: T): string | undefined }>;

class ODataError extends Error {}

type Token = { kind: 'open' } | { kind: 'close' } | { kind: 'quoted'; text: string } | { kind: 'word'; text: string };

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < filter.length) {
    const char = filter.charAt(at);
    if (/\s/.test(char)) {
      at += 1;
    } else if (char === '(' || char === ')') {
      tokens.push(char === '(' ? { kind: 'open' } : { kind: 'close' });
      at += 1;
    } else if (char === "'") {
      const { text, end } = readQuoted(filter, at);
      tokens.push({ kind: 'quoted', text });
      at = end;
    } else {
      const word = /^[^\s()']+/.exec(filter.slice(at))?.[0] ?? char;
      tokens.push({ kind: 'word', text: word });
      at += word.length;
    }
  }
  return tokens;
}

/** An OData string literal from its opening quote; `''` stands for one quote. */
function readQuoted(filter: string, start: number): { text: string; end: number } {
  let text = '';
  let at = start + 1;
  while (at < filter.length) {
    const char = filter.charAt(at);
    if (char !== "'") {
      text += char;
      at += 1;
    } else if (filter.charAt(at + 1) === "'") {
      text += "'";
      at += 2;
    } else {
      return { text, end: at + 1 };
    }
  }
  throw new ODataError('unterminated string literal');
}

const COMPARATORS: Record<string, (order: number) => boolean> = {
  eq: (order) => order === 0,
  gt: (order) => order > 0,
  ge: (order) => order >= 0,
  lt: (order) => order < 0,
  le: (order) => order <= 0,
};

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `$filter` with eq/gt/ge/lt/le joined by and/or (and binds tighter) and parentheses. Strings are
 * quoted; datetimes are ISO 8601, quoted or bare. Guess: names, operators and values compare
 * case-sensitively, as OData does by default, so `state eq 'paid'` matches nothing.
 */
function compileFilter<T>(filter: string, fields: ODataFields<T>): (item: T) => boolean {
  const tokens = tokenize(filter);
  let at = 0;
  const next = (): Token => {
    const token = tokens[at];
    if (!token) throw new ODataError('unexpected end of $filter');
    at += 1;
    return token;
  };
  const isWord = (text: string) => {
    const token = tokens[at];
    return token?.kind === 'word' && token.text === text;
  };

  const parseOr = (): ((item: T) => boolean) => {
    let left = parseAnd();
    while (isWord('or')) {
      at += 1;
      const [l, r] = [left, parseAnd()];
      left = (item) => l(item) || r(item);
    }
    return left;
  };
  const parseAnd = (): ((item: T) => boolean) => {
    let left = parsePrimary();
    while (isWord('and')) {
      at += 1;
      const [l, r] = [left, parsePrimary()];
      left = (item) => l(item) && r(item);
    }
    return left;
  };
  const parsePrimary = (): ((item: T) => boolean) => {
    const token = next();
    if (token.kind === 'open') {
      const inner = parseOr();
      if (next().kind !== 'close') throw new ODataError('expected )');
      return inner;
    }
    if (token.kind !== 'word') throw new ODataError('expected a property name');
    return parseComparison(token.text);
  };
  const parseComparison = (name: string): ((item: T) => boolean) => {
    const field = fields[name];
    if (!field) throw new ODataError(`cannot filter on ${name}`);
    const operator = next();
    const compare = operator.kind === 'word' ? COMPARATORS[operator.text] : undefined;
    if (!compare) throw new ODataError(`expected eq, gt, ge, lt or le after ${name}`);
    const literal = next();
    if (literal.kind === 'open' || literal.kind === 'close') throw new ODataError(`expected a value after ${name}`);
    if (field.kind === 'datetime') {
      if (!ISO_DATETIME.test(literal.text)) throw new ODataError(`${name} needs an ISO 8601 datetime`);
      const valueMs = Date.parse(literal.text);
      return (item) => {
        const own = field.get(item);
        return own !== undefined && compare(Date.parse(own) - valueMs);
      };
    }
    if (literal.kind !== 'quoted') throw new ODataError(`${name} needs a quoted string`);
    const value = literal.text;
    return (item) => {
      const own = field.get(item);
      return own !== undefined && compare(own < value ? -1 : own > value ? 1 : 0);
    };
  };

  const predicate = parseOr();
  if (at !== tokens.length) throw new ODataError('unexpected text after the expression');
  return predicate;
}

const ORDER_BY = /^created(\s+(asc|desc))?$/;

/**
 * `$filter`, `$orderby` (created only), `$skip`, `$top` → `{items, count}` where count is the
 * number of matches before paging. Guesses: without `$orderby` items come oldest first; `$top`
 * defaults to 100 and a larger one is a 400 rather than silently clamped; `count` (unverified in
 * PROVIDERS.md) counts all matches.
 */
function listPage<T extends { created: string }>(
  all: readonly T[],
  query: (name: string) => string | undefined,
  fields: ODataFields<T>,
): { items: T[]; count: number } {
  const problems: ValidationErrors = {};
  const problem = (name: string, message: string) => {
    problems[name] = [{ code: 'INVALID', message, values: {} }];
  };

  let matching = [...all];
  const filter = query('$filter');
  if (filter !== undefined) {
    try {
      matching = matching.filter(compileFilter(filter, fields));
    } catch (error) {
      if (!(error instanceof ODataError)) throw error;
      problem('$filter', error.message);
    }
  }
  const orderBy = (query('$orderby') ?? 'created asc').trim();
  const order = ORDER_BY.exec(orderBy);
  if (!order) problem('$orderby', 'only created asc or created desc');
  const skip = nonNegative(query('$skip'), 0);
  if (skip === null) problem('$skip', 'must be a whole number');
  const top = nonNegative(query('$top'), MAX_PAGE_SIZE);
  if (top === null || top > MAX_PAGE_SIZE) problem('$top', `must be a whole number up to ${MAX_PAGE_SIZE}`);
  if (Object.keys(problems).length > 0 || skip === null || top === null) {
    throw invalidData('The query is not valid.', problems);
  }

  const direction = order?.[2] === 'desc' ? -1 : 1;
  // Array.prototype.sort is stable: equal timestamps keep creation order.
  matching.sort((a, b) => direction * (Date.parse(a.created) - Date.parse(b.created)));
  return { items: matching.slice(skip, skip + top), count: matching.length };
}

function nonNegative(text: string | undefined, fallback: number): number | null {
  if (text === undefined) return fallback;
  return /^\d+$/.test(text) ? Number(text) : null;
}

// ---------------------------------------------------------------- request bodies

const CreateInvoiceBody = z.object({
  correlationId: z.optional(z.string().check(z.minLength(1), z.maxLength(40))),
  description: z.optional(z.string().check(z.maxLength(200))),
  // The amount is a decimal *string*: a JSON number is a schema error, a bad string is INVALID_AMOUNT.
  amount: z.object({ amount: z.string(), currency: z.string().check(z.minLength(1)) }),
});

const QuoteBody = z.object({
  descriptionHash: z.optional(z.string().check(z.regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits'))),
});

/** Strike demands HTTPS; the fake also takes http on loopback so that tests can receive webhooks. */
function isAllowedWebhookUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

const SubscriptionBody = z.object({
  webhookUrl: z.string().check(z.refine(isAllowedWebhookUrl, 'must be an https URL (or http on loopback, in this fake)')),
  webhookVersion: z.enum(['v1', 'v2']),
  secret: z.string().check(z.minLength(10), z.maxLength(50)),
  // Guess: required; a .NET bool left out would silently become false, which helps nobody.
  enabled: z.boolean(),
  eventTypes: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
});

const PricesBody = z.record(z.string(), z.number().check(z.positive()));

// ---------------------------------------------------------------- the fake

export function createFakeStrike(options: FakeStrikeOptions = {}): FakeStrike {
  const apiKey = options.apiKey ?? randomHex(32);
  const scopes = new Set(options.scopes ?? DEFAULT_STRIKE_SCOPES);
  const prices = new Map<string, Price>();
  for (const [currency, value] of Object.entries(options.btcPrices ?? DEFAULT_BTC_PRICES)) {
    prices.set(currency, priceOf(currency, value));
  }
  const fiatQuoteSec = options.fiatQuoteSeconds ?? DEFAULT_FIAT_QUOTE_SEC;
  const btcQuoteSec = options.btcQuoteSeconds ?? DEFAULT_BTC_QUOTE_SEC;
  const readBudget = new ReadBudget(options.readLimit ?? DEFAULT_READ_LIMIT);
  const createLimit = options.createLimitPerMinute ?? DEFAULT_CREATE_LIMIT_PER_MINUTE;
  const createWindows: Record<CreateBucket, SlidingWindow> = {
    invoices: new SlidingWindow(createLimit, MINUTE_MS),
    quote: new SlidingWindow(createLimit, MINUTE_MS),
    rates: new SlidingWindow(createLimit, MINUTE_MS),
  };
  // One Strike account: it issues and receives every invoice.
  const accountId = randomUUID();

  const invoices: FakeStrikeInvoice[] = [];
  const subscriptions: FakeStrikeSubscription[] = [];
  const events: StrikeEvent[] = [];
  const deliveries: FakeStrikeDelivery[] = [];
  const inFlight = new Set<Promise<unknown>>();

  const iso = (ms: number) => new Date(ms).toISOString();
  const invoiceable = (currency: string) => currency === BTC || prices.has(currency);

  function findInvoice(invoiceId: string): FakeStrikeInvoice {
    const invoice = invoices.find((candidate) => candidate.invoiceId === invoiceId);
    if (!invoice) throw notFound('Invoice');
    return invoice;
  }

  // ------------------------------------------------ invoices and quotes

  function checkAmount(amount: StrikeAmount): StrikeAmount {
    const invalid = (message: string) =>
      new StrikeError(422, 'INVALID_AMOUNT', message, { values: { amount: amount.amount, currency: amount.currency } });
    if (!invoiceable(amount.currency)) throw invalid(`${amount.currency} is not an invoiceable currency for this account.`);
    const decimal = parseDecimal(amount.amount);
    if (!decimal) throw invalid('The amount must be a decimal number written as a string.');
    if (decimal.units <= 0n) throw invalid('The amount must be greater than zero.');
    if (decimal.scale > decimalsOf(amount.currency)) {
      throw invalid(`${amount.currency} amounts take at most ${decimalsOf(amount.currency)} decimals.`);
    }
    // Guess: Strike echoes the amount as sent (after validation) rather than reformatting it.
    return { amount: amount.amount, currency: amount.currency };
  }

  /** Whole sats for an invoice amount at the current price, rounded up so the account gets at least the amount. */
  function satsFor(amount: StrikeAmount): { sats: bigint; rate: string } {
    const decimal = parseDecimal(amount.amount);
    if (!decimal) throw new Error(`Fake Strike: stored amount ${amount.amount} is not a decimal`);
    if (amount.currency === BTC) return { sats: ceilDiv(decimal.units * SATS_PER_BTC, pow10(decimal.scale)), rate: '1' };
    const price = prices.get(amount.currency);
    if (!price) throw new Error(`Fake Strike: no BTC price in ${amount.currency}`);
    const sats = ceilDiv(
      decimal.units * SATS_PER_BTC * pow10(price.decimal.scale),
      price.decimal.units * pow10(decimal.scale),
    );
    return { sats, rate: price.text };
  }

  /**
   * A new quote with its own BOLT11. The quote's expiration is the BOLT11's own (whole-second
   * timestamp + expiry), so the two can never disagree. Guess: a BTC invoice's quote reports a
   * BTC→BTC rate of 1 and a BTC targetAmount (the docs say targetAmount "cannot be BTC", which
   * cannot hold for a BTC-denominated invoice).
   */
  function issueQuote(invoice: FakeStrikeInvoice): FakeStrikeQuote {
    const expirySec = invoice.amount.currency === BTC ? btcQuoteSec : fiatQuoteSec;
    const { sats, rate } = satsFor(invoice.amount);
    const bolt11 = issueBolt11({ amountMsat: sats * 1000n, description: invoice.description ?? '', expirySec });
    const expiresAtMs = (bolt11.timestamp + expirySec) * 1000;
    return {
      quoteId: randomUUID(),
      ...(invoice.description !== undefined && { description: invoice.description }),
      lnInvoice: bolt11.paymentRequest,
      expiration: iso(expiresAtMs),
      expirationInSec: expirySec,
      targetAmount: { ...invoice.amount },
      sourceAmount: { amount: formatBtc(sats), currency: BTC },
      conversionRate: { amount: rate, sourceCurrency: BTC, targetCurrency: invoice.amount.currency },
      paymentHash: bolt11.paymentHash,
      amountSats: Number(sats),
      issuedAtMs: Date.now(),
      expiresAtMs,
    };
  }

  /**
   * Guess: the documented states say only UNPAID invoices take quotes and get cancelled; the
   * answer otherwise is 422 with a code naming the state, e.g. `INVALID_STATE_FOR_INVOICE_PAID`.
   */
  function requireUnpaid(invoice: FakeStrikeInvoice, action: string): void {
    if (invoice.state === 'UNPAID') return;
    throw new StrikeError(422, `INVALID_STATE_FOR_INVOICE_${invoice.state}`, `The invoice is ${invoice.state} and cannot be ${action}.`, {
      values: { invoiceId: invoice.invoiceId, state: invoice.state },
    });
  }

  const invoiceJson = (invoice: FakeStrikeInvoice, withTransactions = false) => ({
    invoiceId: invoice.invoiceId,
    amount: invoice.amount,
    state: invoice.state,
    created: invoice.created,
    ...(invoice.correlationId !== undefined && { correlationId: invoice.correlationId }),
    ...(invoice.description !== undefined && { description: invoice.description }),
    issuerId: invoice.issuerId,
    receiverId: invoice.receiverId,
    ...(withTransactions && { transactions: invoice.transactions }),
  });

  const quoteJson = (quote: FakeStrikeQuote) => ({
    quoteId: quote.quoteId,
    ...(quote.description !== undefined && { description: quote.description }),
    lnInvoice: quote.lnInvoice,
    expiration: quote.expiration,
    expirationInSec: quote.expirationInSec,
    targetAmount: quote.targetAmount,
    sourceAmount: quote.sourceAmount,
    conversionRate: quote.conversionRate,
  });

  const invoiceFields: ODataFields<FakeStrikeInvoice> = {
    invoiceId: { kind: 'string', get: (invoice) => invoice.invoiceId },
    created: { kind: 'datetime', get: (invoice) => invoice.created },
    currency: { kind: 'string', get: (invoice) => invoice.amount.currency },
    state: { kind: 'string', get: (invoice) => invoice.state },
    correlationId: { kind: 'string', get: (invoice) => invoice.correlationId },
    issuerId: { kind: 'string', get: (invoice) => invoice.issuerId },
    receiverId: { kind: 'string', get: (invoice) => invoice.receiverId },
    // Nobody in this fake pays from a Strike account, so there is never a payer.
    payerId: { kind: 'string', get: () => undefined },
  };

  // Guess: /v1/events filters like the invoice list, on these names.
  const eventFields: ODataFields<StrikeEvent> = {
    id: { kind: 'string', get: (event) => event.id },
    eventType: { kind: 'string', get: (event) => event.eventType },
    created: { kind: 'datetime', get: (event) => event.created },
    'data/entityId': { kind: 'string', get: (event) => event.data.entityId },
  };

  // ------------------------------------------------ webhooks

  function sign(body: string, secret: string): string {
    const hex = createHmac('sha256', secret).update(body, 'utf8').digest('hex');
    return options.signatureCase === 'upper' ? hex.toUpperCase() : hex;
  }

  async function send(delivery: FakeStrikeDelivery): Promise<boolean> {
    deliveries.push(delivery);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Webhook-Signature': delivery.signature },
        body: delivery.body,
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      delivery.status = response.status;
      await response.body?.cancel();
      return response.ok;
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  /**
   * Records an event and delivers it to every enabled subscription that asked for its type.
   * Guesses: the body is the v1 shape for v2 subscriptions too (v2 is unverified);
   * `deliverySuccess` is false in the body (nothing was delivered when it was written) and
   * becomes true in /v1/events once a receiver answered 2xx; failed deliveries are recorded
   * but not retried (Strike retries after 3 s, 9 s, 27 s, …).
   */
  async function emit(invoice: FakeStrikeInvoice, eventType: 'invoice.created' | 'invoice.updated'): Promise<void> {
    const event: StrikeEvent = {
      id: randomUUID(),
      eventType,
      webhookVersion: 'v1',
      data: eventType === 'invoice.updated' ? { entityId: invoice.invoiceId, changes: ['state'] } : { entityId: invoice.invoiceId },
      created: iso(Date.now()),
      deliverySuccess: false,
    };
    events.push(event);
    const targets = subscriptions.filter((sub) => sub.enabled && sub.eventTypes.includes(eventType));
    const results = await Promise.all(
      targets.map((sub) => {
        const body = JSON.stringify({ ...event, webhookVersion: sub.webhookVersion }, null, options.webhookBodyIndent ?? 0);
        return send({
          eventId: event.id,
          eventType,
          subscriptionId: sub.id,
          url: sub.webhookUrl,
          body,
          signature: sign(body, sub.secret),
          status: null,
          atMs: Date.now(),
          redelivery: false,
        });
      }),
    );
    if (results.some(Boolean)) event.deliverySuccess = true;
  }

  /** Webhooks started by an HTTP request go out after the answer, as at Strike. */
  function emitLater(invoice: FakeStrikeInvoice, eventType: 'invoice.created' | 'invoice.updated'): void {
    const delivery = emit(invoice, eventType);
    inFlight.add(delivery);
    void delivery.finally(() => inFlight.delete(delivery));
  }

  // ------------------------------------------------ vendor routes

  const vendor = new Hono<FakeEnv>();
  // Set before fakeApp mounts `vendor`: Hono copies a sub-app's error handler when it is routed.
  vendor.onError((error, c) =>
    errorResponse(c, error instanceof StrikeError ? error : new StrikeError(500, 'INTERNAL_SERVER_ERROR', error.message)),
  );

  const rateLimit: MiddlewareHandler<FakeEnv> = async (c, next) => {
    const nowMs = Date.now();
    const bucket = createBucketOf(c.req.method, c.req.path);
    if (bucket === null) {
      const waitMs = readBudget.admit(nowMs);
      if (waitMs !== null) return errorResponse(c, rateLimitExceeded(), retryAfter(waitMs));
    } else {
      const verdict = createWindows[bucket].tryAdmit(nowMs);
      if (!verdict.admitted) return errorResponse(c, rateLimitExceeded(), retryAfter(verdict.waitMs));
    }
    await next();
  };

  // Guess: the codes of 401 and 403 are not documented; these are the plain HTTP names.
  const authenticate: MiddlewareHandler<FakeEnv> = async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '');
    if (match?.[1] !== apiKey) {
      return errorResponse(c, new StrikeError(401, 'UNAUTHORIZED', 'Unauthenticated request.'), { 'WWW-Authenticate': 'Bearer' });
    }
    await next();
  };

  const need =
    (scope: string): MiddlewareHandler<FakeEnv> =>
    async (c, next) => {
      if (!scopes.has(scope)) {
        return errorResponse(c, new StrikeError(403, 'FORBIDDEN', `The API key lacks the scope ${scope}.`, { values: { scope } }));
      }
      await next();
    };

  vendor.use('/v1/*', rateLimit, authenticate);

  vendor.post('/v1/invoices', need('partner.invoice.create'), async (c) => {
    const body = parseWith(CreateInvoiceBody, await readJson(c));
    const amount = checkAmount(body.amount);
    if (body.correlationId !== undefined && invoices.some((invoice) => invoice.correlationId === body.correlationId)) {
      // The duplicate's code is unverified (PROVIDERS.md §2.3); DUPLICATE_INVOICE 409 is in Strike's table.
      throw new StrikeError(409, 'DUPLICATE_INVOICE', 'An invoice with this correlationId already exists.', {
        values: { correlationId: body.correlationId },
      });
    }
    const invoice: FakeStrikeInvoice = {
      invoiceId: randomUUID(),
      amount,
      state: 'UNPAID',
      created: iso(Date.now()),
      ...(body.correlationId !== undefined && { correlationId: body.correlationId }),
      ...(body.description !== undefined && { description: body.description }),
      issuerId: accountId,
      receiverId: accountId,
      transactions: [],
      quotes: [],
    };
    invoices.push(invoice);
    emitLater(invoice, 'invoice.created');
    return c.json(invoiceJson(invoice), 201);
  });

  vendor.get('/v1/invoices', need('partner.invoice.read'), (c) => {
    const page = listPage(invoices, (name) => c.req.query(name), invoiceFields);
    return c.json({ items: page.items.map((invoice) => invoiceJson(invoice)), count: page.count });
  });

  vendor.get('/v1/invoices/:invoiceId', need('partner.invoice.read'), (c) => {
    const invoice = findInvoice(c.req.param('invoiceId'));
    return c.json(invoiceJson(invoice, c.req.query('includeTransactions') === 'true'));
  });

  vendor.post('/v1/invoices/:invoiceId/quote', need('partner.invoice.quote.generate'), async (c) => {
    const invoice = findInvoice(c.req.param('invoiceId'));
    const raw = await c.req.text();
    if (raw.trim() !== '') {
      const body = parseWith(QuoteBody, await readJson(c));
      if (body.descriptionHash !== undefined) {
        // issueBolt11 (common.ts) writes a description, never a description hash.
        throw new StrikeError(501, 'FAKE_UNSUPPORTED', 'The fake Strike cannot issue quotes with a descriptionHash.');
      }
    }
    requireUnpaid(invoice, 'quoted');
    const quote = issueQuote(invoice);
    invoice.quotes.push(quote);
    return c.json(quoteJson(quote), 201);
  });

  vendor.patch('/v1/invoices/:invoiceId/cancel', need('partner.invoice.cancel'), (c) => {
    const invoice = findInvoice(c.req.param('invoiceId'));
    // A PENDING invoice has money on its way, so it cannot be cancelled either.
    requireUnpaid(invoice, 'cancelled');
    invoice.state = 'CANCELLED';
    emitLater(invoice, 'invoice.updated');
    return c.json(invoiceJson(invoice));
  });

  vendor.get('/v1/rates/ticker', need('partner.rates.ticker'), (c) => c.json(ticker()));

  function ticker(): { amount: string; sourceCurrency: string; targetCurrency: string }[] {
    const btcPrice = (currency: string) => (currency === BTC ? 1 : (prices.get(currency)?.value ?? Number.NaN));
    const currencies = [BTC, ...prices.keys()];
    return currencies.flatMap((source) =>
      currencies
        .filter((target) => target !== source)
        .map((target) => ({
          amount: formatRate(btcPrice(target) / btcPrice(source)),
          sourceCurrency: source,
          targetCurrency: target,
        })),
    );
  }

  const subscriptionJson = ({ secret: _secret, ...visible }: FakeStrikeSubscription) => visible;

  function findSubscription(id: string): FakeStrikeSubscription {
    const subscription = subscriptions.find((candidate) => candidate.id === id);
    if (!subscription) throw notFound('Subscription');
    return subscription;
  }

  vendor.post('/v1/subscriptions', need('partner.webhooks.manage'), async (c) => {
    const body = parseWith(SubscriptionBody, await readJson(c));
    if (subscriptions.length >= MAX_SUBSCRIPTIONS) {
      // Guess: the documented cap of 50 answers 422 with this code.
      throw new StrikeError(422, 'SUBSCRIPTION_LIMIT_REACHED', `At most ${MAX_SUBSCRIPTIONS} subscriptions per account.`);
    }
    const subscription: FakeStrikeSubscription = { id: randomUUID(), created: iso(Date.now()), ...body };
    subscriptions.push(subscription);
    return c.json(subscriptionJson(subscription), 201);
  });

  vendor.get('/v1/subscriptions', need('partner.webhooks.manage'), (c) => c.json(subscriptions.map(subscriptionJson)));

  vendor.get('/v1/subscriptions/:id', need('partner.webhooks.manage'), (c) =>
    c.json(subscriptionJson(findSubscription(c.req.param('id')))),
  );

  vendor.patch('/v1/subscriptions/:id', need('partner.webhooks.manage'), async (c) => {
    const subscription = findSubscription(c.req.param('id'));
    const changes = parseWith(z.partial(SubscriptionBody), await readJson(c));
    Object.assign(subscription, Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)));
    return c.json(subscriptionJson(subscription));
  });

  // Guess: 204 without a body.
  vendor.delete('/v1/subscriptions/:id', need('partner.webhooks.manage'), (c) => {
    const subscription = findSubscription(c.req.param('id'));
    subscriptions.splice(subscriptions.indexOf(subscription), 1);
    return c.body(null, 204);
  });

  // Guess: PROVIDERS.md names no scope for the event history; webhooks.manage is the nearest.
  vendor.get('/v1/events', need('partner.webhooks.manage'), (c) => c.json(listPage(events, (name) => c.req.query(name), eventFields)));

  vendor.all('/v1/*', () => {
    throw notFound('Resource');
  });

  // ------------------------------------------------ test controls

  async function pay(invoiceId: string): Promise<void> {
    const invoice = invoices.find((candidate) => candidate.invoiceId === invoiceId);
    if (!invoice) throw new Error(`Fake Strike: no invoice ${invoiceId}`);
    if (invoice.state !== 'UNPAID') throw new Error(`Fake Strike: invoice ${invoiceId} is ${invoice.state}, not UNPAID`);
    const quote = invoice.quotes.at(-1);
    if (!quote) throw new Error(`Fake Strike: invoice ${invoiceId} has no quote to pay`);
    if (Date.now() >= quote.expiresAtMs) {
      throw new Error(`Fake Strike: the quote of ${invoiceId} expired at ${quote.expiration}; a wallet refuses to pay it`);
    }
    const transaction: StrikeTransaction = {
      transactionId: randomUUID(),
      state: 'PENDING',
      amountReceived: { ...invoice.amount },
      created: iso(Date.now()),
    };
    invoice.transactions.push(transaction);
    invoice.state = 'PENDING';
    await emit(invoice, 'invoice.updated');
    transaction.state = 'COMPLETED';
    transaction.completed = iso(Date.now());
    invoice.state = 'PAID';
    await emit(invoice, 'invoice.updated');
  }

  async function redeliverLast(): Promise<void> {
    const last = deliveries.at(-1);
    if (!last) throw new Error('Fake Strike: no webhook delivery to repeat');
    const { error: _previousError, ...replay } = last;
    await send({ ...replay, status: null, atMs: Date.now(), redelivery: true });
  }

  function setBtcPrice(currency: string, price: number): void {
    if (currency === BTC) throw new Error('Fake Strike: BTC has no BTC price');
    prices.set(currency, priceOf(currency, price));
  }

  const control = new Hono<FakeEnv>();
  const refused = (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) });

  control.post('/pay/:invoiceId', async (c) => {
    try {
      await pay(c.req.param('invoiceId'));
      return c.body(null, 204);
    } catch (error) {
      return c.json(refused(error), 409);
    }
  });
  control.get('/invoices', (c) => c.json(structuredClone(invoices)));
  control.get('/read-count', (c) => c.json({ readCount: readBudget.count }));
  control.get('/deliveries', (c) => c.json(structuredClone(deliveries)));
  control.post('/redeliver-last', async (c) => {
    try {
      await redeliverLast();
      return c.body(null, 204);
    } catch (error) {
      return c.json(refused(error), 409);
    }
  });
  /** Body `{"USD": 95000}`: new BTC prices for later quotes and tickers. */
  control.post('/btc-prices', async (c) => {
    const parsed = z.safeParse(PricesBody, await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: 'expected {"<currency>": <positive number>}' }, 400);
    for (const [currency, price] of Object.entries(parsed.data)) setBtcPrice(currency, price);
    return c.body(null, 204);
  });

  const { app, control: fakeControl } = fakeApp(vendor, vendorErrors, control);

  return {
    app,
    control: fakeControl,
    apiKey,
    pay,
    readCount: () => readBudget.count,
    invoices: () => structuredClone(invoices),
    deliveries: () => structuredClone(deliveries),
    redeliverLast,
    setBtcPrice,
    webhooksSettled: async () => {
      await Promise.all([...inFlight]);
    },
  };
}
