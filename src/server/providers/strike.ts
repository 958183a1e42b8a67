/**
 * Strike API v1. What this adapter knows about Strike and nothing else does (docs/providers.md,
 * "Strike"):
 * - An invoice is a fiat (or BTC) amount; the BOLT11 comes from a *quote*, which for fiat is good
 *   for about 30 seconds. The proxy re-quotes shortly before a quote ends, for as long as the sale
 *   is open (POS_INVOICE_EXPIRY), so the checkout's QR changes by itself. Quoting needs no status
 *   read: only an UNPAID invoice can be quoted, so a new quote proves it is still unpaid. A sale
 *   ends when the sale does, not when a quote does.
 * - Reads ("everything else": status, lists, cancel) are limited to 1,000 per 10 minutes per
 *   account, and going past that locks the account out for an hour. Checkouts share most of the
 *   POS's part fairly, with a reserve for webhooks; reports have a part of their own.
 * - The paid time is only in `transactions[].completed`, and only on a single read with
 *   `includeTransactions=true` (docs.strike.me/api/find-invoice-by-id): lists never carry it, so
 *   a sale a report sees paid for the first time is read once, and its paid time remembered.
 * - `correlationId` must be unique and at most 40 characters; it marks the POS's sales and carries
 *   the sale attempt's reference, the tip and the id of the cashier who charged it (`pos2-…`; sales
 *   from before cashiers were recorded keep `pos1-…` and count as nobody's), so a retry finds its
 *   invoice with `$filter=correlationId eq '…'`. There is no room for a name: the API names the
 *   cashier from today's staff list by id, as for every provider.
 * - Webhooks are HMAC-SHA256 (hex) of the raw body with the subscription secret, and only say
 *   that an invoice changed: the proxy then reads it.
 */
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { InvoiceStatus, Rate } from '../../contract/api';
import { btcToSats, parseMajorUnits, SAT, satsToBtc, toDecimalString } from '../../contract/money';
import { FairReads, RequestBudget } from '../budget';
import { ConfigError, type Env } from '../config';
import { ApiError, ProviderError } from '../errors';
import { z } from '../zod';
import { parseCredentials } from './credentials';
import { VendorClient, type VendorRequest, type VendorResponse } from './http';
import { collectPages, hmacKey, invalidSignature, mapLimited, Pacer, parseWebhookBody, verifyHmacHex } from './mechanics';
import {
  bolt11Facts,
  satRate,
  type AdapterDeps,
  type Call,
  type IncomingWebhook,
  type NewInvoice,
  type Provider,
  type ProviderInvoice,
  type ReadContext,
  type SaleSettings,
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

export interface StrikeSettings extends SaleSettings {
  baseUrl: string;
  apiKey: string;
  webhookSecret: string | undefined;
}

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

const Quote = z.object({ lnInvoice: z.string() });
const InvoiceList = z.object({ items: z.array(StrikeInvoice), count: z.optional(z.int()) });
const Ticker = z.array(z.object({ amount: z.string(), sourceCurrency: z.string(), targetCurrency: z.string() }));
const StrikeError = z.object({ data: z.object({ code: z.string(), message: z.optional(z.string()) }) });
const Event = z.object({
  id: z.string(),
  eventType: z.string(),
  created: z.optional(z.string()),
  data: z.optional(z.object({ entityId: z.optional(z.string()) })),
});

/** The parts of "everything else" (1,000 per 10 minutes) for checkout reads and for the manager's reports. */
const CHECKOUT_SHARE = 0.6;
const REPORT_SHARE = 0.15;
/** Re-quote this long before a quote ends, so a poll always finds one with time left. */
const RENEW_BEFORE_MS = 8_000;
/** Reads a routine poll leaves for webhook-triggered and first reads. */
const READ_RESERVE = 3;
/** How long the proxy remembers quotes and paid times (Strike keeps neither for us). */
const MEMORY_MS = 90 * 24 * 3600_000;
const PAGE_SIZE = 100;
const MAX_PAGES = 50;
/** Single reads a report makes at once to learn paid times. */
const REPORT_READS_IN_FLIGHT = 2;

/** Strike's separate rate limits: reads ("everything else"), invoice creation, quotes and rates. */
type Budgeted = 'read' | 'create' | 'quote';

export function strikeFromEnv(env: Env, sale: SaleSettings, deps: AdapterDeps): StrikeProvider {
  if (sale.currency !== SAT && !(STRIKE_FIAT as readonly string[]).includes(sale.currency)) {
    throw new ConfigError([`POS_CURRENCY: Strike invoices only in ${STRIKE_FIAT.join(', ')} or SAT`]);
  }
  const c = parseCredentials(StrikeEnv, env);
  return new StrikeProvider({ ...sale, baseUrl: c.STRIKE_API_URL, apiKey: c.STRIKE_API_KEY, webhookSecret: c.STRIKE_WEBHOOK_SECRET }, deps);
}

export class StrikeProvider implements Provider {
  readonly id = 'strike' as const;
  readonly readPolicy = { minAgeMs: 1_000, renewBeforeExpiryMs: RENEW_BEFORE_MS, cancelRevokes: true, readsPerMinute: (1000 * CHECKOUT_SHARE) / 10 };
  /** Fiat quotes last ~30 s and are renewed: the checkout's QR changes while the sale is open. */
  readonly capabilities = { renewsQr: true };
  readonly webhooks;
  /** Checkout status reads take turns in most of the POS's part of "everything else". */
  private readonly reads: FairReads;
  /** The manager's reports have a part of their own, so that they never eat the checkouts'. */
  private readonly reportReads: RequestBudget;
  /** Invoice creation and quotes: 250 per minute each. */
  private readonly createBudget: RequestBudget;
  private readonly quoteBudget: RequestBudget;
  private readonly client: VendorClient;
  private readonly webhookKey: Promise<CryptoKey> | undefined;
  private readonly pacer: Pacer<Budgeted>;

  constructor(
    private readonly settings: StrikeSettings,
    private readonly deps: AdapterDeps,
  ) {
    const { store, now } = deps;
    this.client = new VendorClient({ name: 'Strike', baseUrl: settings.baseUrl, headers: { Authorization: `Bearer ${settings.apiKey}` } }, deps.fetch);
    // In the shared store, so that every instance of the proxy spends from one allowance.
    this.reads = new FairReads(new RequestBudget('strike-read', { limit: 1000, windowMs: 600_000, share: CHECKOUT_SHARE }, store, now), { minAgeMs: this.readPolicy.minAgeMs, reserve: READ_RESERVE }, now);
    this.reportReads = new RequestBudget('strike-report', { limit: 1000, windowMs: 600_000, share: REPORT_SHARE }, store, now);
    this.createBudget = new RequestBudget('strike-create', { limit: 250, windowMs: 60_000, share: 0.8, slots: 6 }, store, now);
    this.quoteBudget = new RequestBudget('strike-quote', { limit: 250, windowMs: 60_000, share: 0.8, slots: 6 }, store, now);
    this.pacer = new Pacer(60_000, now);
    this.webhookKey = settings.webhookSecret ? hmacKey(settings.webhookSecret) : undefined;
    this.webhooks = this.webhookKey ? { verify: (webhook: IncomingWebhook) => this.verifyWebhook(webhook) } : undefined;
  }

  // ------------------------------------------------------------------ invoices

  async createInvoice(input: NewInvoice, call: Call): Promise<ProviderInvoice> {
    await this.spend('create', call);
    const response = await this.send('create', 'POST', '/v1/invoices', call, {
      body: {
        correlationId: correlationIdOf(input),
        ...(input.memo ? { description: input.memo.slice(0, 200) } : {}),
        amount: strikeAmount(input.amount + input.tip, input.currency),
      },
    });
    if (response.status === 409) {
      // The correlationId exists: an earlier attempt made it and its answer was lost.
      const existing = await this.findExisting(input, 0, call);
      if (existing) return existing;
    }
    if (response.status !== 201 && response.status !== 200) throw this.failure(response);
    const invoice = this.client.parse(StrikeInvoice, response);
    return this.toInvoice(invoice, await this.quote(invoice.invoiceId, call));
  }

  async findExisting(input: NewInvoice, _since: number, call: Call): Promise<ProviderInvoice | null> {
    await this.spend('read', call);
    const response = await this.send('read', 'GET', '/v1/invoices', call, { query: { $filter: `correlationId eq '${correlationIdOf(input)}'`, $top: 1 } });
    if (response.status !== 200) throw this.failure(response);
    const found = this.client.parse(InvoiceList, response).items[0];
    if (!found) return null;
    const quote = found.state === 'UNPAID' && this.saleOpen(found.created) ? await this.quote(found.invoiceId, call) : await this.lastQuote(found.invoiceId);
    return this.toInvoice(found, quote);
  }

  async getInvoice(id: string, context: ReadContext, call: Call): Promise<ProviderInvoice | null> {
    if (!/^[0-9a-fA-F-]{36}$/.test(id)) return null; // Strike invoice ids are UUIDs
    const { previous, readAt } = context;
    let urgent = context.urgent ?? false;
    // A quote about to end is renewed without a status read: a new quote proves "still unpaid".
    if (previous?.status === 'pending' && this.endsSoon(previous.expiresAt) && this.saleOpen(previous.createdAt)) {
      const renewed = await this.requote(previous, call);
      if (renewed) return renewed;
      urgent = true; // Strike would not quote it: something happened, read it now
    }
    if (previous && (this.pacer.paused('read') || !(await this.reads.due(id, readAt, urgent)))) return previous;
    if (!previous) await this.spend('read', call);
    const response = await this.send('read', 'GET', `/v1/invoices/${id}`, call, { query: { includeTransactions: true } });
    if (response.status === 429 && previous) return previous;
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.failure(response);
    const invoice = this.client.parse(StrikeInvoice, response);
    let quote = await this.lastQuote(id);
    if (invoice.state === 'UNPAID' && this.saleOpen(invoice.created) && (!quote || this.endsSoon(bolt11Facts(quote, 'Strike').expiresAt))) {
      quote = await this.quote(id, call);
    }
    return this.toInvoice(invoice, quote);
  }

  async cancelInvoice(id: string, call: Call): Promise<ProviderInvoice | null> {
    if (!/^[0-9a-fA-F-]{36}$/.test(id)) return null;
    await this.spend('read', call);
    const response = await this.send('read', 'PATCH', `/v1/invoices/${id}/cancel`, call);
    if (response.status === 404) return null;
    if (response.status === 200) return this.toInvoice(this.client.parse(StrikeInvoice, response), await this.lastQuote(id));
    const code = errorCode(response);
    if (response.status === 409 || response.status === 422 || code?.includes('INVALID_STATE')) {
      // Not UNPAID any more: paid (or being paid), or cancelled already.
      const current = await this.getInvoice(id, {}, call);
      if (current?.status === 'paid' || current?.status === 'pending') {
        throw new ApiError(409, 'conflict', 'This invoice is already paid, so it cannot be cancelled.');
      }
      if (current) return current;
    }
    throw this.failure(response);
  }

  async rate(call: Call): Promise<Rate> {
    const { currency } = this.settings;
    if (currency === SAT) return satRate('strike', this.deps.now());
    // Rates have their own 250-a-minute budget, and the proxy asks at most once a minute.
    const response = await this.send('quote', 'GET', '/v1/rates/ticker', call);
    if (response.status !== 200) throw this.failure(response);
    const pair = this.client.parse(Ticker, response).find((t) => t.sourceCurrency === 'BTC' && t.targetCurrency === currency);
    const btcPrice = pair ? Number(pair.amount) : NaN;
    if (!(btcPrice > 0)) throw new ProviderError('error', `Strike has no BTC price in ${currency}.`);
    return { currency, satsPerUnit: 100_000_000 / btcPrice, btcPrice, source: 'strike', at: new Date(this.deps.now()).toISOString() };
  }

  async listSales(range: Partial<TimeRange>, call: Call): Promise<ProviderInvoice[]> {
    const filter = [
      ...(range.from !== undefined ? [`created ge ${new Date(range.from).toISOString()}`] : []),
      ...(range.to !== undefined ? [`created lt ${new Date(range.to).toISOString()}`] : []),
    ].join(' and ');
    const items = await collectPages(
      async (index) => {
        await this.spend('read', call);
        const response = await this.send('read', 'GET', '/v1/invoices', call, {
          query: { ...(filter ? { $filter: filter } : {}), $orderby: 'created desc', $top: PAGE_SIZE, $skip: index * PAGE_SIZE },
        });
        if (response.status !== 200) throw this.failure(response);
        return this.client.parse(InvoiceList, response).items;
      },
      { pageSize: PAGE_SIZE, maxPages: MAX_PAGES },
    );
    const ours = items.filter((invoice) => saleOf(invoice) !== null);
    // Lists never say when an invoice was paid: read each paid sale the proxy has not seen paid.
    return mapLimited(ours, REPORT_READS_IN_FLIGHT, async (invoice) => {
      if (invoice.state === 'PAID' && (await this.paidTime(invoice.invoiceId)) === null) {
        await this.spend('read', call);
        const response = await this.send('read', 'GET', `/v1/invoices/${invoice.invoiceId}`, call, { query: { includeTransactions: true } });
        if (response.status !== 200) throw this.failure(response);
        return this.toInvoice(this.client.parse(StrikeInvoice, response), await this.lastQuote(invoice.invoiceId));
      }
      return this.toInvoice(invoice, await this.lastQuote(invoice.invoiceId));
    });
  }

  // ------------------------------------------------------------------ quotes

  private async quote(invoiceId: string, call: Call): Promise<string> {
    await this.spend('quote', call);
    const response = await this.send('quote', 'POST', `/v1/invoices/${invoiceId}/quote`, call, { body: {} });
    if (response.status !== 201 && response.status !== 200) throw this.failure(response);
    const { lnInvoice } = this.client.parse(Quote, response);
    bolt11Facts(lnInvoice, 'Strike'); // refuse a quote the POS cannot read before remembering it
    await this.deps.store.set(quoteKey(invoiceId), lnInvoice, MEMORY_MS);
    return lnInvoice;
  }

  /** A new quote for a pending invoice, or null when Strike will not quote it (no longer unpaid). */
  private async requote(previous: ProviderInvoice, call: Call): Promise<ProviderInvoice | null> {
    if (this.pacer.paused('quote') || !(await this.quoteBudget.tryTake())) return null;
    const response = await this.send('quote', 'POST', `/v1/invoices/${previous.id}/quote`, call, { body: {} });
    if (response.status !== 201 && response.status !== 200) return null; // read the state instead
    const { lnInvoice } = this.client.parse(Quote, response);
    const facts = bolt11Facts(lnInvoice, 'Strike');
    await this.deps.store.set(quoteKey(previous.id), lnInvoice, MEMORY_MS);
    return { ...previous, paymentRequest: lnInvoice, ...facts, createdAt: previous.createdAt };
  }

  private async lastQuote(invoiceId: string): Promise<string | null> {
    const remembered = await this.deps.store.get(quoteKey(invoiceId));
    return typeof remembered === 'string' ? remembered : null;
  }

  private endsSoon(expiresAt: string): boolean {
    return Date.parse(expiresAt) - this.deps.now() < RENEW_BEFORE_MS;
  }

  /** The sale accepts payment until POS_INVOICE_EXPIRY after the invoice was made. */
  private saleOpen(created: string): boolean {
    return this.deps.now() < this.saleEnds(created);
  }

  private saleEnds(created: string): number {
    return Date.parse(created) + this.settings.invoiceExpirySec * 1000;
  }

  // ------------------------------------------------------------------ mapping

  private async paidTime(invoiceId: string): Promise<string | null> {
    const remembered = await this.deps.store.get(paidKey(invoiceId));
    return typeof remembered === 'string' ? remembered : null;
  }

  private async toInvoice(invoice: StrikeInvoice, lnInvoice: string | null): Promise<ProviderInvoice> {
    const sale = saleOf(invoice) ?? { ...totalOf(invoice), tip: 0, reference: null, cashier: null };
    const facts = lnInvoice ? bolt11Facts(lnInvoice, 'Strike') : null;
    const status = statusOf(invoice.state);
    let paidAt: string | null = null;
    if (status === 'paid') {
      // Only a single read with transactions says when the money arrived; the first time the
      // proxy saw it paid stands in when none does, and whatever was learnt is kept.
      const completed = invoice.transactions?.map((t) => t.completed).find((t): t is string => Boolean(t));
      paidAt = completed ? new Date(Date.parse(completed)).toISOString() : ((await this.paidTime(invoice.invoiceId)) ?? new Date(this.deps.now()).toISOString());
      if (completed || !(await this.paidTime(invoice.invoiceId))) await this.deps.store.set(paidKey(invoice.invoiceId), paidAt, MEMORY_MS);
    }
    const saleEnds = this.saleEnds(invoice.created);
    const now = this.deps.now();
    // While the sale is open, a lapsed quote is renewed on the next poll: the sale ends when the
    // sale does. After, the last quote (made before the end, good a little past it) is the end.
    let expiresAt = facts && (Date.parse(facts.expiresAt) > now || now >= saleEnds) ? facts.expiresAt : new Date(saleEnds).toISOString();
    // PENDING: Strike has the payment and is settling it; the sale is not over while it does.
    if (invoice.state === 'PENDING') expiresAt = new Date(Math.max(Date.parse(expiresAt), now + 30_000)).toISOString();
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
      createdAt: new Date(Date.parse(invoice.created)).toISOString(),
      expiresAt,
      paidAt,
      reference: sale.reference,
      cashier: sale.cashier,
    };
  }

  // ------------------------------------------------------------------ webhooks

  private async verifyWebhook({ rawBody, headers }: IncomingWebhook): Promise<WebhookHint> {
    if (!(await verifyHmacHex(await this.webhookKey, (headers.get('X-Webhook-Signature') ?? '').trim(), rawBody))) throw invalidSignature();
    const event = parseWebhookBody(Event, rawBody, 'Strike');
    const sentAt = event.created ? Date.parse(event.created) : NaN;
    return {
      invoiceId: event.eventType.startsWith('invoice.') ? (event.data?.entityId ?? null) : null,
      deliveryId: event.id,
      sentAt: Number.isNaN(sentAt) ? null : sentAt,
    };
  }

  // ------------------------------------------------------------------ plumbing

  /** Waits for a token of that kind's budget (reports from theirs); refuses while Strike has asked the POS to stop. */
  private async spend(kind: Budgeted, call: Call): Promise<void> {
    const budget = kind === 'read' ? (call.purpose === 'report' ? this.reportReads : this.reads.budget) : kind === 'create' ? this.createBudget : this.quoteBudget;
    if (this.pacer.paused(kind) || !(await budget.take(call.signal))) throw slowDown();
  }

  private async send(kind: Budgeted, method: string, path: string, call: Call, request: VendorRequest = {}): Promise<VendorResponse> {
    if (this.pacer.paused(kind)) throw slowDown();
    const response = await this.client.send(method, path, call, request);
    this.pacer.observe(kind, response);
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

const quoteKey = (invoiceId: string) => `strike-quote:${invoiceId}`;
const paidKey = (invoiceId: string) => `strike-paid:${invoiceId}`;

function slowDown(): ProviderError {
  return new ProviderError('unavailable', 'The POS is pacing its requests to stay within Strike’s limits. Try again in a moment.');
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

/** Strike refuses a longer correlationId (`correlationId` of POST /v1/invoices). */
export const CORRELATION_ID_MAX_LENGTH = 40;

/**
 * The sale's correlationId. With a cashier: `pos2-<hex of the reference's SHA-256>-<tip in minor
 * units>-<cashier id>`, the hash cut to what the 40 characters leave (at least 12 hex, plenty among
 * one shop's sales). Without: `pos1-<24 hex>-<tip>`, the form of sales made before cashiers.
 */
export function correlationIdOf(input: Pick<NewInvoice, 'reference' | 'tip' | 'cashier'>): string {
  const hash = bytesToHex(sha256(utf8ToBytes(input.reference)));
  if (!input.cashier) return `pos1-${hash.slice(0, 24)}-${input.tip}`;
  const rest = `-${input.tip}-${input.cashier}`;
  return `pos2-${hash.slice(0, Math.min(24, CORRELATION_ID_MAX_LENGTH - 'pos2-'.length - rest.length))}${rest}`;
}

const POS1 = /^pos1-[0-9a-f]{24}-(\d{1,13})$/;
const POS2 = /^pos2-[0-9a-f]{12,24}-(\d{1,13})-([0-9a-f]{8}|manager)$/;

/** Strike's decimal-string amount: fiat in major units, SAT sales as BTC. */
function strikeAmount(total: number, currency: string): { amount: string; currency: string } {
  if (currency === SAT) return { amount: satsToBtc(total), currency: 'BTC' };
  return { amount: toDecimalString(total, currency), currency };
}

function totalOf(invoice: StrikeInvoice): { amount: number; currency: string } {
  const { amount, currency } = invoice.amount;
  const total = currency === 'BTC' ? (btcToSats(amount) ?? 0) : Number(parseMajorUnits(amount, currency) ?? 0n);
  return { amount: total, currency: currency === 'BTC' ? SAT : currency };
}

/**
 * The POS's sale from a Strike invoice (total from its amount; tip and cashier from the
 * correlationId, in either form), or null for others'.
 */
function saleOf(invoice: StrikeInvoice): { amount: number; tip: number; currency: string; reference: string; cashier: string | null } | null {
  const correlationId = invoice.correlationId ?? '';
  const pos2 = POS2.exec(correlationId);
  const match = pos2 ?? POS1.exec(correlationId);
  if (!match) return null;
  const { amount: total, currency } = totalOf(invoice);
  const tip = Number(match[1]);
  return { amount: Math.max(0, total - tip), tip: Math.min(tip, total), currency, reference: correlationId, cashier: pos2?.[2] ?? null };
}
