/**
 * A fake Strike's HTTP API (API v1, docs.strike.me/api): bearer keys with scopes, invoices,
 * quotes, OData lists, cancel, the rate ticker and webhook subscriptions, with Strike's error
 * body and rate limits.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import { randomHex, type FakeEnv, type VendorErrors } from '../common';
import { bucketOf, type StrikeLimits } from './limits';
import { listPage, ODataError, type ODataFields } from './odata';
import { StrikeError, type FakeStrikeInvoice, type StrikeAccount } from './state';

export function errorResponse(c: Context, error: StrikeError, headers: Record<string, string> = {}): Response {
  return c.json({ traceId: randomHex(16), data: { status: error.status, code: error.code, message: error.message } }, error.status, headers);
}

/** Guess: Strike's 429 header is undocumented; Retry-After in whole seconds is the HTTP norm. */
const retryAfter = (waitMs: number) => ({ 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) });
const rateLimited = () => new StrikeError(429, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded.');

export const strikeErrors: VendorErrors = {
  error: (c) => errorResponse(c, new StrikeError(500, 'INTERNAL_SERVER_ERROR', 'An unexpected error occurred.')),
  unavailable: (c) => errorResponse(c, new StrikeError(503, 'MAINTENANCE_MODE', 'Strike is under maintenance.')),
  rateLimited: (c) => errorResponse(c, rateLimited(), retryAfter(60_000)),
};

export const DEFAULT_STRIKE_SCOPES: readonly string[] = [
  'partner.invoice.create',
  'partner.invoice.quote.generate',
  'partner.invoice.read',
  'partner.invoice.cancel',
  'partner.rates.ticker',
  'partner.webhooks.manage',
];

const CreateInvoiceBody = z.object({
  correlationId: z.optional(z.string().check(z.minLength(1), z.maxLength(40))),
  description: z.optional(z.string().check(z.maxLength(200))),
  amount: z.object({ amount: z.string(), currency: z.string() }),
});

const SubscriptionBody = z.object({
  webhookUrl: z.url(),
  webhookVersion: z.enum(['v1', 'v2']),
  secret: z.string().check(z.minLength(10), z.maxLength(50)),
  enabled: z.boolean(),
  eventTypes: z.array(z.string()).check(z.minLength(1)),
});

async function body<S extends z.ZodMiniType>(c: Context, schema: S): Promise<z.infer<S>> {
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('Content-Type') ?? '')) {
    throw new StrikeError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.');
  }
  const parsed = z.safeParse(schema, await c.req.json().catch(() => undefined));
  if (!parsed.success) throw new StrikeError(400, 'INVALID_DATA', 'The request is not valid.');
  return parsed.data;
}

const invoiceFields: ODataFields<FakeStrikeInvoice> = {
  invoiceId: { kind: 'string', get: (i) => i.invoiceId },
  created: { kind: 'datetime', get: (i) => i.created },
  currency: { kind: 'string', get: (i) => i.amount.currency },
  state: { kind: 'string', get: (i) => i.state },
  correlationId: { kind: 'string', get: (i) => i.correlationId },
  issuerId: { kind: 'string', get: (i) => i.issuerId },
  receiverId: { kind: 'string', get: (i) => i.receiverId },
};

/**
 * The Invoice object. `transactions` only on a single read with `includeTransactions=true`
 * (docs.strike.me/api/find-invoice-by-id); lists never carry them (docs.strike.me/api/get-invoices).
 */
function invoiceJson(invoice: FakeStrikeInvoice, withTransactions = false) {
  const { quotes: _quotes, transactions, ...visible } = invoice;
  return withTransactions ? { ...visible, transactions } : visible;
}

export function strikeRoutes(account: StrikeAccount, limits: StrikeLimits, apiKey: string, scopes: ReadonlySet<string>) {
  const vendor = new Hono<FakeEnv>();
  vendor.onError((error, c) => {
    if (error instanceof ODataError) return errorResponse(c, new StrikeError(400, 'INVALID_DATA', error.message));
    return errorResponse(c, error instanceof StrikeError ? error : new StrikeError(500, 'INTERNAL_SERVER_ERROR', error.message));
  });

  const limit: MiddlewareHandler<FakeEnv> = async (c, next) => {
    const waitMs = limits.admit(bucketOf(c.req.method, c.req.path), Date.now());
    if (waitMs !== null) return errorResponse(c, rateLimited(), retryAfter(waitMs));
    await next();
  };
  const authenticate: MiddlewareHandler<FakeEnv> = async (c, next) => {
    if (/^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '')?.[1] !== apiKey) {
      return errorResponse(c, new StrikeError(401, 'UNAUTHORIZED', 'Unauthenticated request.'));
    }
    await next();
  };
  const need =
    (scope: string): MiddlewareHandler<FakeEnv> =>
    async (c, next) => {
      if (!scopes.has(scope)) return errorResponse(c, new StrikeError(403, 'FORBIDDEN', `The API key lacks the scope ${scope}.`));
      await next();
    };
  vendor.use('/v1/*', limit, authenticate);

  vendor.post('/v1/invoices', need('partner.invoice.create'), async (c) => {
    const invoice = account.create(await body(c, CreateInvoiceBody));
    return c.json(invoiceJson(invoice), 201);
  });
  vendor.get('/v1/invoices', need('partner.invoice.read'), (c) => {
    const page = listPage(account.invoices, (name) => c.req.query(name), invoiceFields);
    return c.json({ items: page.items.map((invoice) => invoiceJson(invoice)), count: page.count });
  });
  vendor.get('/v1/invoices/:id', need('partner.invoice.read'), (c) =>
    c.json(invoiceJson(account.find(c.req.param('id')), c.req.query('includeTransactions') === 'true')),
  );
  vendor.post('/v1/invoices/:id/quote', need('partner.invoice.quote.generate'), (c) => {
    const { expiresAtMs: _expires, amountSats: _sats, ...quote } = account.quote(account.find(c.req.param('id')));
    return c.json(quote, 201);
  });
  // A PATCH, per Strike's changelog of Feb 23, 2022.
  vendor.patch('/v1/invoices/:id/cancel', need('partner.invoice.cancel'), (c) => {
    const invoice = account.find(c.req.param('id'));
    account.cancel(invoice);
    return c.json(invoiceJson(invoice));
  });
  vendor.get('/v1/rates/ticker', need('partner.rates.ticker'), (c) =>
    c.json([...account.btcPrices].map(([currency, price]) => ({ amount: String(price), sourceCurrency: 'BTC', targetCurrency: currency }))),
  );
  vendor.post('/v1/subscriptions', need('partner.webhooks.manage'), async (c) => {
    const subscription = { id: randomUUID(), created: new Date().toISOString(), ...(await body(c, SubscriptionBody)) };
    account.subscriptions.push(subscription);
    const { secret: _secret, ...visible } = subscription;
    return c.json(visible, 201);
  });
  vendor.all('/v1/*', () => {
    throw new StrikeError(404, 'NOT_FOUND', 'Resource not found.');
  });
  return vendor;
}
