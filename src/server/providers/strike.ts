/**
 * Strike API v1. What this adapter knows about Strike and nothing else does:
 * - An invoice is a fiat (or BTC) amount; the BOLT11 comes from a *quote*, which for fiat is good
 *   for about 30 seconds. The proxy re-quotes shortly before a quote ends, for as long as the
 *   sale is open (POS_INVOICE_EXPIRY), so the checkout's QR changes by itself. Quoting needs no
 *   status read: only an UNPAID invoice can be quoted, so a new quote proves it is still unpaid.
 * - Reads ("everything else": status, lists, cancel) are limited to 1,000 per 10 minutes per
 *   account, and going past that locks the account out for an hour. This adapter spends at most
 *   75% of it, shares it fairly among the invoices being polled, keeps a reserve for webhooks,
 *   hands back the last answer when the budget is spent, and stops asking at all for as long as
 *   Strike says after a 429.
 * - `correlationId` must be unique and at most 40 characters; it carries the sale attempt's
 *   reference, the tip and the cashier's id, so a retry finds its invoice with
 *   `$filter=correlationId eq '…'` and the tip and the cashier survive in Strike. There is no room
 *   for the cashier's name: it comes from today's staff list (POS_CASHIERS) by id.
 * - Webhooks are HMAC-SHA256 (hex) of the raw body with the subscription secret, and only say
 *   that an invoice changed: the proxy then reads it.
 */
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import { MANAGER_AS_CASHIER, type Invoice, type InvoiceStatus, type Rate, type SaleCashier } from '../../contract/api';
import { btcToSats, parseMajorUnits, SAT, satsToBtc, toDecimalString } from '../../contract/money';
import { FairReads, RequestBudget } from '../budget';
import { ConfigError, type Env } from '../config';
import { ApiError, ProviderError } from '../errors';
import { z } from '../zod';
import { parseCredentials } from './credentials';
import { retryAfterMs, VendorClient, type VendorResponse } from './http';
import {
  bolt11Facts,
  type AdapterDeps,
  pageOf,
  paidWithin,
  withEffectiveStatus,
  type IncomingWebhook,
  type InvoicePage,
  type InvoiceQuery,
  type NewInvoice,
  type Provider,
  type ReadContext,
  type TimeRange,
  type WebhookHint,
} from './provider';

/** Currencies Strike invoices in (besides BTC, which the POS uses for SAT sales). */
export const STRIKE_FIAT = ['USD', 'EUR', 'GBP', 'AUD'] as const;

const StrikeEnv = z.object({
  STRIKE_API_URL: z._default(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }), 'https://api.strike.me'),
  STRIKE_API_KEY: z.string().check(z.minLength(16, 'must be a Strike API key')),
  STRIKE_WEBHOOK_SECRET: z.optional(z.string().check(z.minLength(10, 'must be 10 to 50 characters'), z.maxLength(50, 'must be 10 to 50 characters'))),
});

const Money = z.object({ amount: z.string(), currency: z.string() });

const StrikeInvoice = z.object({
  invoiceId: z.string(),
  amount: Money,
  state: z.string(),
  created: z.string(),
  correlationId: z.nullish(z.string()),
  description: z.nullish(z.string()),
  transactions: z.optional(z.array(z.object({ state: z.optional(z.string()), completed: z.nullish(z.string()) }))),
});
type StrikeInvoice = z.infer<typeof StrikeInvoice>;

const Quote = z.object({ lnInvoice: z.string(), expiration: z.optional(z.string()) });
const InvoiceList = z.object({ items: z.array(StrikeInvoice), count: z.optional(z.int()) });
const Ticker = z.array(z.object({ amount: z.string(), sourceCurrency: z.string(), targetCurrency: z.string() }));
const StrikeError = z.object({ data: z.object({ code: z.string(), message: z.optional(z.string()) }) });
const Event = z.object({
  id: z.string(),
  eventType: z.string(),
  created: z.optional(z.string()),
  data: z.optional(z.object({ entityId: z.optional(z.string()) })),
});

/** What the proxy remembers of the latest quote, since a Strike invoice does not carry it. */
const RememberedQuote = z.object({ lnInvoice: z.string() });

/** Re-quote this long before a quote ends, so a poll always finds one with time left. */
const RENEW_BEFORE_MS = 8_000;
/** Reads a routine poll leaves for webhook-triggered and first reads. */
const READ_RESERVE = 3;
/** How long the proxy remembers quotes and first-seen payment times (Strike keeps neither for us). */
const MEMORY_MS = 90 * 24 * 3600_000;
const PAGE_SIZE = 100;
const MAX_PAGES = 50;

export function strikeFromEnv(env: Env, deps: AdapterDeps): StrikeProvider {
  const { currency } = deps.config;
  if (currency !== SAT && !(STRIKE_FIAT as readonly string[]).includes(currency)) {
    throw new ConfigError([`POS_CURRENCY: Strike invoices only in ${STRIKE_FIAT.join(', ')} or SAT`]);
  }
  const credentials = parseCredentials(StrikeEnv, env);
  return new StrikeProvider(credentials.STRIKE_API_URL, credentials.STRIKE_API_KEY, credentials.STRIKE_WEBHOOK_SECRET, deps);
}

export class StrikeProvider implements Provider {
  readonly id = 'strike' as const;
  readonly readPolicy = { minAgeMs: 1_000, renewBeforeExpiryMs: RENEW_BEFORE_MS };
  /** Fiat quotes last ~30 s and are renewed: the checkout's QR changes while the sale is open. */
  readonly capabilities = { renewsQr: true };
  readonly webhooks;
  /** "Everything else": 1,000 per 10 minutes per account, one-hour lockout past it; status reads take turns. */
  private readonly reads: FairReads;
  /** Invoice creation and quotes: 250 per minute each. */
  private readonly createBudget: RequestBudget;
  private readonly quoteBudget: RequestBudget;
  private readonly client: VendorClient;
  private readonly webhookKey: Promise<CryptoKey> | undefined;
  /** After a 429, no request of that kind until then (unix ms): Strike budgets them apart. */
  private readonly pausedUntil: Record<Budgeted, number> = { read: 0, create: 0, quote: 0 };

  constructor(
    baseUrl: string,
    apiKey: string,
    webhookSecret: string | undefined,
    private readonly deps: AdapterDeps,
  ) {
    this.client = new VendorClient({ name: 'Strike', baseUrl, headers: { Authorization: `Bearer ${apiKey}` } }, deps);
    // In the shared store, so that every instance of the proxy spends from one allowance.
    this.reads = new FairReads(
      new RequestBudget('strike-read', { limit: 1000, windowMs: 600_000, share: 0.75 }, deps.store, deps.now),
      { minAgeMs: this.readPolicy.minAgeMs, reserve: READ_RESERVE },
      deps.now,
    );
    this.createBudget = new RequestBudget('strike-create', { limit: 250, windowMs: 60_000, share: 0.8, slots: 6 }, deps.store, deps.now);
    this.quoteBudget = new RequestBudget('strike-quote', { limit: 250, windowMs: 60_000, share: 0.8, slots: 6 }, deps.store, deps.now);
    this.webhookKey = webhookSecret
      ? crypto.subtle.importKey('raw', new TextEncoder().encode(webhookSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
      : undefined;
    this.webhooks = this.webhookKey ? { verify: (webhook: IncomingWebhook) => this.verifyWebhook(webhook) } : undefined;
  }

  // ------------------------------------------------------------------ invoices

  async createInvoice(input: NewInvoice): Promise<Invoice> {
    await this.spend('create');
    const response = await this.send('create', 'POST', '/v1/invoices', {
      body: {
        correlationId: correlationIdOf(input),
        ...(input.memo ? { description: input.memo.slice(0, 200) } : {}),
        amount: strikeAmount(input.amount + input.tip, input.currency),
      },
    });
    if (response.status === 409) {
      // The correlationId exists: an earlier attempt made it and its answer was lost.
      const existing = await this.findExisting(input);
      if (existing) return existing;
    }
    if (response.status !== 201 && response.status !== 200) throw this.failure(response);
    const invoice = this.client.parse(StrikeInvoice, response);
    return this.toInvoice(invoice, await this.quote(invoice.invoiceId));
  }

  async findExisting(input: NewInvoice): Promise<Invoice | null> {
    await this.spend('read');
    const response = await this.send('read', 'GET', '/v1/invoices', {
      query: { $filter: `correlationId eq '${correlationIdOf(input)}'`, $top: 1 },
    });
    if (response.status !== 200) throw this.failure(response);
    const found = this.client.parse(InvoiceList, response).items[0];
    if (!found) return null;
    const quote = found.state === 'UNPAID' && this.saleOpen(found) ? await this.quote(found.invoiceId) : await this.lastQuote(found.invoiceId);
    return this.toInvoice(found, quote);
  }

  async getInvoice(id: string, context: ReadContext = {}): Promise<Invoice | null> {
    if (!/^[0-9a-fA-F-]{36}$/.test(id)) return null; // Strike invoice ids are UUIDs
    const { previous, readAt } = context;
    let urgent = context.urgent ?? false;
    // A quote about to end is renewed without a status read: a new quote proves "still unpaid".
    if (previous?.status === 'pending' && this.quoteDue(previous) && this.open(previous)) {
      const renewed = await this.requote(id, previous);
      if (renewed) return renewed;
      urgent = true; // Strike would not quote it: something happened, read it now
    }
    if (previous && (this.paused('read') || !(await this.reads.due(id, readAt, urgent)))) return previous;
    if (!previous) await this.spend('read');
    const response = await this.send('read', 'GET', `/v1/invoices/${id}`);
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.failure(response);
    const invoice = this.client.parse(StrikeInvoice, response);
    let quote = await this.lastQuote(id);
    if (invoice.state === 'UNPAID' && this.saleOpen(invoice) && (!quote || this.endsSoon(quote))) {
      quote = await this.quote(id);
    }
    return this.toInvoice(invoice, quote);
  }

  async cancelInvoice(id: string): Promise<Invoice | null> {
    if (!/^[0-9a-fA-F-]{36}$/.test(id)) return null;
    await this.spend('read');
    const response = await this.send('read', 'PATCH', `/v1/invoices/${id}/cancel`);
    if (response.status === 404) return null;
    if (response.status !== 200) {
      const code = errorCode(response);
      if (response.status === 409 || response.status === 422 || code?.includes('INVALID_STATE')) {
        const current = await this.getInvoice(id, {});
        if (current?.status === 'paid') {
          throw new ApiError(409, 'conflict', 'This invoice is already paid, so it cannot be cancelled.');
        }
        if (current && current.status !== 'pending') return current;
      }
      throw this.failure(response);
    }
    return this.toInvoice(this.client.parse(StrikeInvoice, response), await this.lastQuote(id));
  }

  async rate(): Promise<Rate> {
    const { currency } = this.deps.config;
    const at = new Date(this.deps.now()).toISOString();
    if (currency === SAT) return { currency, satsPerUnit: 1, btcPrice: 100_000_000, source: 'strike', at };
    // Rates have their own 250-a-minute budget, and the proxy asks at most once a minute.
    const response = await this.send('quote', 'GET', '/v1/rates/ticker');
    if (response.status !== 200) throw this.failure(response);
    const pair = this.client.parse(Ticker, response).find((t) => t.sourceCurrency === 'BTC' && t.targetCurrency === currency);
    const btcPrice = pair ? Number(pair.amount) : NaN;
    if (!(btcPrice > 0)) throw new ProviderError('error', `Strike has no BTC price in ${currency}.`);
    return { currency, satsPerUnit: 100_000_000 / btcPrice, btcPrice, source: 'strike', at };
  }

  async listInvoices(query: InvoiceQuery): Promise<InvoicePage> {
    const created = [
      ...(query.from !== undefined ? [`created ge ${new Date(query.from).toISOString()}`] : []),
      ...(query.to !== undefined ? [`created lt ${new Date(query.to).toISOString()}`] : []),
    ];
    const states: Partial<Record<InvoiceStatus, string>> = { paid: 'PAID', cancelled: 'CANCELLED' };
    const state = query.status ? states[query.status] : undefined;
    if (query.status === undefined || state) {
      const filter = [...created, ...(state ? [`state eq '${state}'`] : [])].join(' and ');
      const page = await this.listPage(filter, query.limit, query.offset);
      const total = page.count ?? (page.items.length < query.limit ? query.offset + page.items.length : (await this.listAll(filter)).length);
      return { data: await Promise.all(page.items.map(async (i) => this.toInvoice(i, await this.lastQuote(i.invoiceId)))), total };
    }
    // Pending and expired differ only by time: fetch the open ones and sort them out here.
    const open = await this.listAll([...created, "(state eq 'UNPAID' or state eq 'PENDING')"].join(' and '));
    const now = this.deps.now();
    const invoices = await Promise.all(open.map(async (i) => this.toInvoice(i, await this.lastQuote(i.invoiceId))));
    return pageOf(invoices.filter((i) => withEffectiveStatus(i, now).status === query.status), query);
  }

  async paidInvoices(range: TimeRange): Promise<Invoice[]> {
    const lifetimeMs = this.deps.config.invoiceExpirySec * 1000;
    const filter = [
      "state eq 'PAID'",
      `created ge ${new Date(range.from - lifetimeMs - 3600_000).toISOString()}`,
      `created lt ${new Date(range.to).toISOString()}`,
    ].join(' and ');
    const paid = await Promise.all((await this.listAll(filter)).map(async (i) => this.toInvoice(i, await this.lastQuote(i.invoiceId))));
    return paid.filter((invoice) => paidWithin(invoice, range));
  }

  // ------------------------------------------------------------------ quotes

  private async quote(invoiceId: string): Promise<string> {
    await this.spend('quote');
    const response = await this.send('quote', 'POST', `/v1/invoices/${invoiceId}/quote`, { body: {} });
    if (response.status !== 201 && response.status !== 200) throw this.failure(response);
    const { lnInvoice } = this.client.parse(Quote, response);
    bolt11Facts(lnInvoice, 'Strike'); // refuse a quote the POS cannot read before remembering it
    await this.deps.store.set(quoteKey(invoiceId), { lnInvoice }, MEMORY_MS);
    return lnInvoice;
  }

  /** A new quote for a pending invoice, or null when Strike will not quote it (no longer unpaid). */
  private async requote(invoiceId: string, previous: Invoice): Promise<Invoice | null> {
    if (this.paused('quote') || !(await this.quoteBudget.tryTake())) return null;
    const response = await this.send('quote', 'POST', `/v1/invoices/${invoiceId}/quote`, { body: {} });
    if (response.status !== 201 && response.status !== 200) return null; // read the state instead
    const { lnInvoice } = this.client.parse(Quote, response);
    const facts = bolt11Facts(lnInvoice, 'Strike');
    await this.deps.store.set(quoteKey(invoiceId), { lnInvoice }, MEMORY_MS);
    return { ...previous, paymentRequest: lnInvoice, ...facts, createdAt: previous.createdAt };
  }

  private async lastQuote(invoiceId: string): Promise<string | null> {
    const remembered = z.safeParse(RememberedQuote, await this.deps.store.get(quoteKey(invoiceId)));
    return remembered.success ? remembered.data.lnInvoice : null;
  }

  private quoteDue(invoice: Invoice): boolean {
    return Date.parse(invoice.expiresAt) - this.deps.now() < RENEW_BEFORE_MS;
  }

  private endsSoon(lnInvoice: string): boolean {
    return Date.parse(bolt11Facts(lnInvoice, 'Strike').expiresAt) - this.deps.now() < RENEW_BEFORE_MS;
  }

  /** The sale accepts payment until POS_INVOICE_EXPIRY after the invoice was made. */
  private open(invoice: Invoice): boolean {
    return this.deps.now() < Date.parse(invoice.createdAt) + this.deps.config.invoiceExpirySec * 1000;
  }

  private saleOpen(invoice: StrikeInvoice): boolean {
    return this.deps.now() < Date.parse(invoice.created) + this.deps.config.invoiceExpirySec * 1000;
  }

  // ------------------------------------------------------------------ mapping

  private async toInvoice(invoice: StrikeInvoice, lnInvoice: string | null): Promise<Invoice> {
    const mapped = this.toInvoiceSync(invoice, lnInvoice);
    if (mapped.status !== 'paid') return mapped;
    // Strike does not say when an invoice was paid; the first time the proxy saw it paid will do.
    const key = `strike-paid:${invoice.invoiceId}`;
    const seen = await this.deps.store.get(key);
    if (typeof seen === 'string') return { ...mapped, paidAt: seen };
    if (mapped.paidAt) await this.deps.store.set(key, mapped.paidAt, MEMORY_MS);
    return mapped;
  }

  private toInvoiceSync(invoice: StrikeInvoice, lnInvoice: string | null): Invoice {
    const sale = saleOf(invoice);
    const facts = lnInvoice ? bolt11Facts(lnInvoice, 'Strike') : null;
    const createdAt = new Date(Date.parse(invoice.created)).toISOString();
    const deadline = new Date(Date.parse(invoice.created) + this.deps.config.invoiceExpirySec * 1000).toISOString();
    const now = this.deps.now();
    const status = statusOf(invoice.state);
    const completed = invoice.transactions?.map((t) => t.completed).find((t): t is string => Boolean(t));
    // PENDING: Strike has the payment and is settling it; the sale is not over while it does.
    const expiresAt =
      invoice.state === 'PENDING'
        ? new Date(Math.max(Date.parse(facts?.expiresAt ?? deadline), now + 30_000)).toISOString()
        : (facts?.expiresAt ?? deadline);
    return {
      id: invoice.invoiceId,
      status,
      paymentRequest: lnInvoice ?? '',
      paymentHash: facts?.paymentHash ?? '',
      amount: sale.amount,
      tip: sale.tip,
      currency: sale.currency,
      amountSats: facts?.amountSats ?? 0,
      memo: invoice.description ?? '',
      cashier: this.cashierOf(invoice),
      createdAt,
      expiresAt,
      paidAt: status === 'paid' ? new Date(completed ? Date.parse(completed) : now).toISOString() : null,
    };
  }

  /** The cashier by the id the correlationId carries, named as on today's staff list. */
  private cashierOf(invoice: StrikeInvoice): SaleCashier | null {
    const { cashierId } = correlated(invoice.correlationId);
    if (!cashierId) return null;
    if (cashierId === MANAGER_AS_CASHIER.id) return MANAGER_AS_CASHIER;
    const name = this.deps.config.cashiers.find((c) => c.id === cashierId)?.name ?? '';
    return { id: cashierId, name };
  }

  // ------------------------------------------------------------------ lists

  private async listPage(filter: string, top: number, skip: number): Promise<z.infer<typeof InvoiceList>> {
    await this.spend('read');
    const response = await this.send('read', 'GET', '/v1/invoices', {
      query: { ...(filter ? { $filter: filter } : {}), $orderby: 'created desc', $top: top, $skip: skip },
    });
    if (response.status !== 200) throw this.failure(response);
    return this.client.parse(InvoiceList, response);
  }

  private async listAll(filter: string): Promise<StrikeInvoice[]> {
    const all: StrikeInvoice[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const { items } = await this.listPage(filter, PAGE_SIZE, page * PAGE_SIZE);
      all.push(...items);
      if (items.length < PAGE_SIZE) break;
    }
    return all;
  }

  // ------------------------------------------------------------------ webhooks

  private async verifyWebhook({ rawBody, headers }: IncomingWebhook): Promise<WebhookHint> {
    const key = this.webhookKey;
    const header = headers.get('X-Webhook-Signature') ?? '';
    let signature: Uint8Array<ArrayBuffer>;
    try {
      signature = Uint8Array.from(hexToBytes(header.trim().toLowerCase()));
    } catch {
      throw invalidSignature();
    }
    // crypto.subtle.verify compares in constant time, over the raw bytes as they arrived.
    if (!key || signature.length !== 32 || !(await crypto.subtle.verify('HMAC', await key, signature, Uint8Array.from(rawBody)))) {
      throw invalidSignature();
    }
    let event: z.infer<typeof Event>;
    try {
      const parsed = z.safeParse(Event, JSON.parse(new TextDecoder().decode(rawBody)));
      if (!parsed.success) throw new Error('shape');
      event = parsed.data;
    } catch {
      throw new ApiError(400, 'invalid_request', 'This webhook is not a Strike event.');
    }
    const sentAt = event.created ? Date.parse(event.created) : NaN;
    return {
      invoiceId: event.eventType.startsWith('invoice.') ? (event.data?.entityId ?? null) : null,
      deliveryId: event.id,
      sentAt: Number.isNaN(sentAt) ? null : sentAt,
    };
  }

  // ------------------------------------------------------------------ plumbing

  private paused(kind: Budgeted): boolean {
    return this.deps.now() < this.pausedUntil[kind];
  }

  /** Waits for a token of that kind's budget; refuses while Strike has asked the POS to stop. */
  private async spend(kind: Budgeted): Promise<void> {
    const budget = { read: this.reads.budget, create: this.createBudget, quote: this.quoteBudget }[kind];
    if (this.paused(kind) || !(await budget.take())) throw slowDown();
  }

  private async send(kind: Budgeted, method: string, path: string, request: Parameters<VendorClient['send']>[2] = {}): Promise<VendorResponse> {
    if (this.paused(kind)) throw slowDown();
    const response = await this.client.send(method, path, request);
    if (response.status === 429) {
      this.pausedUntil[kind] = this.deps.now() + retryAfterMs(response, 60_000);
    }
    return response;
  }

  private failure(response: VendorResponse): ProviderError {
    const code = errorCode(response);
    switch (code) {
      case 'INVALID_AMOUNT':
        return new ProviderError('error', 'Strike will not invoice this amount. Check the amount and try again.', { providerCode: code });
      case 'RATE_LIMIT_EXCEEDED':
        return slowDown();
      case 'MAINTENANCE_MODE':
        return new ProviderError('unavailable', 'Strike is down for maintenance. Try again later.', { providerCode: code });
      case 'LN_UNAVAILABLE':
        return new ProviderError('unavailable', 'Strike’s Lightning service is unavailable right now. Try again in a moment.', { providerCode: code });
      case 'BALANCE_TOO_LOW':
        return new ProviderError('error', 'Strike refused: the account balance is too low.', { providerCode: code });
      case 'INVALID_DATA':
        return new ProviderError('error', 'Strike refused the invoice details.', { providerCode: code });
      case 'UNAUTHORIZED':
      case 'FORBIDDEN':
        return new ProviderError('error', 'Strike refused the POS’s API key. Ask the manager to check the key and its scopes.', { providerCode: code });
      default:
        return this.client.failure(response);
    }
  }
}

/** Strike's separate rate limits: reads ("everything else"), invoice creation, quotes and rates. */
type Budgeted = 'read' | 'create' | 'quote';

const quoteKey = (invoiceId: string) => `strike-quote:${invoiceId}`;

function slowDown(): ProviderError {
  return new ProviderError('unavailable', 'The POS is pacing its requests to stay within Strike’s limits. Try again in a moment.');
}

function invalidSignature(): ApiError {
  return new ApiError(401, 'invalid_signature', 'This webhook’s signature is not valid.');
}

function errorCode(response: VendorResponse): string | undefined {
  const parsed = z.safeParse(StrikeError, response.body);
  return parsed.success ? parsed.data.data.code : undefined;
}

function statusOf(state: string): InvoiceStatus {
  switch (state) {
    case 'PAID':
      return 'paid';
    case 'CANCELLED':
      return 'cancelled';
    default:
      return 'pending'; // UNPAID, PENDING (received, settling)
  }
}

/** Strike's limit on a correlationId. */
const CORRELATION_ID_MAX_LENGTH = 40;

/**
 * `pos2-<hex of the reference's SHA-256>-<tip in minor units>-<cashier id>`: unique, ≤ 40
 * characters (the hash gives way to a long tip: 16 hex digits at least, 64 bits, unique enough
 * among one shop's sales). Sales without a cashier keep the older `pos1-<24 hex>-<tip>`.
 */
export function correlationIdOf(input: Pick<NewInvoice, 'reference' | 'tip' | 'cashier'>): string {
  const hash = bytesToHex(sha256(utf8ToBytes(input.reference)));
  if (!input.cashier) return `pos1-${hash.slice(0, 24)}-${input.tip}`;
  const rest = `-${input.tip}-${input.cashier.id}`;
  return `pos2-${hash.slice(0, Math.min(24, CORRELATION_ID_MAX_LENGTH - 5 - rest.length))}${rest}`;
}

const POS1 = /^pos1-[0-9a-f]{24}-(\d{1,13})$/;
const POS2 = /^pos2-[0-9a-f]{12,24}-(\d{1,13})-([0-9a-f]{8}|manager)$/;

/** The tip and the cashier's id a correlationId carries (a tip of 0 and no cashier for anyone else's). */
function correlated(correlationId: string | null | undefined): { tip: number; cashierId: string | null } {
  const pos2 = POS2.exec(correlationId ?? '');
  if (pos2) return { tip: Number(pos2[1]), cashierId: pos2[2] ?? null };
  return { tip: Number(POS1.exec(correlationId ?? '')?.[1] ?? 0), cashierId: null };
}

/** Strike's decimal-string amount: fiat in major units, SAT sales as BTC. */
function strikeAmount(total: number, currency: string): { amount: string; currency: string } {
  if (currency === SAT) return { amount: satsToBtc(total), currency: 'BTC' };
  return { amount: toDecimalString(total, currency), currency };
}

/** The sale back from a Strike invoice: total from its amount, tip from the correlationId. */
function saleOf(invoice: StrikeInvoice): { amount: number; tip: number; currency: string } {
  const { tip } = correlated(invoice.correlationId);
  const { amount, currency } = invoice.amount;
  const total =
    currency === 'BTC' ? (btcToSats(amount) ?? 0) : Number(parseMajorUnits(amount, currency) ?? 0n);
  return { amount: Math.max(0, total - tip), tip: Math.min(tip, total), currency: currency === 'BTC' ? SAT : currency };
}
