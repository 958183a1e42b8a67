/**
 * LNbits (Payments API). What this adapter knows about LNbits and nothing else does:
 * - `X-Api-Key` with the invoice/read key; `"out": false` is always sent (LNbits defaults to
 *   *paying*); fiat goes as `unit` with the amount in major units, sats as `unit: "sat"`.
 * - Amounts come back in **msat**; there is no "expired" status (an unpaid invoice stays
 *   `pending`, the proxy compares the BOLT11 expiry); datetimes come naive UTC or with +00:00.
 * - Filter times are sent with their zone (a naive one is read in the LNbits server's zone), and
 *   only as lower bounds: LNbits 1.4–1.5 mishandle two bounds on one field.
 * - Create answers differ by version: v0.12 `{payment_hash, payment_request}`, v1 the Payment.
 * - Webhooks are unsigned, so each invoice's webhook URL carries a token only this proxy can
 *   make, and the body (in v1.1+ a JSON *string* holding the JSON) is only a hint.
 * - LNbits cannot cancel an invoice; a cancel is remembered here until the invoice has expired.
 * The sale (amount, tip, currency, reference, cashier) rides along in `extra.pos` and comes back with it.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import type { Invoice, Rate } from '../../contract/api';
import { SAT, toDecimalString } from '../../contract/money';
import { FairReads, RequestBudget } from '../budget';
import { integer, type Env } from '../config';
import { ApiError, ProviderError } from '../errors';
import { z } from '../zod';
import { parseCredentials } from './credentials';
import { posSaleOf, readPosSale, type PosSale } from './sale';
import { retryAfterMs, VendorClient, type VendorResponse } from './http';
import {
  bolt11Facts,
  type AdapterDeps,
  matchesQuery,
  pageOf,
  paidWithin,
  type IncomingWebhook,
  type InvoicePage,
  type InvoiceQuery,
  type NewInvoice,
  type Provider,
  type ReadContext,
  type TimeRange,
  type WebhookHint,
} from './provider';

const LnbitsEnv = z.object({
  LNBITS_URL: z.url({ protocol: /^https?$/, error: 'must be the http(s) base URL of your LNbits' }),
  LNBITS_INVOICE_KEY: z.string().check(z.regex(/^[0-9a-f]{32}$/i, 'must be the wallet’s 32-character invoice/read key')),
  /** The LNbits server's own limit per client IP and endpoint (its LNBITS_RATE_LIMIT_NO, per minute). */
  LNBITS_RATE_LIMIT: z._default(integer(1, 100_000_000), 200),
});

/** The part of LNbits' limit the POS's status reads may use: the rest is for the shop's other tools. */
const READ_SHARE = 0.75;
/** Reads a routine poll leaves for webhook-triggered and first reads. */
const READ_RESERVE = 2;
/** After a 429 without Retry-After: LNbits counts in fixed one-minute windows. */
const PAUSE_AFTER_429_MS = 15_000;

const Payment = z.object({
  payment_hash: z.string(),
  bolt11: z.optional(z.string()),
  payment_request: z.optional(z.string()),
  /** msat; incoming payments are positive. */
  amount: z.number(),
  status: z.optional(z.string()),
  pending: z.optional(z.boolean()),
  memo: z.nullish(z.string()),
  time: z.optional(z.union([z.string(), z.number()])),
  created_at: z.nullish(z.string()),
  updated_at: z.nullish(z.string()),
  extra: z.nullish(z.record(z.string(), z.unknown())),
});
type Payment = z.infer<typeof Payment>;

/** v1 answers the Payment; v0.12 only the hash and the request. Both carry these two. */
const Created = z.object({
  payment_hash: z.string(),
  payment_request: z.optional(z.string()),
  bolt11: z.optional(z.string()),
});

const Status = z.object({ paid: z.boolean(), status: z.optional(z.string()), details: z.optional(Payment) });
const Page = z.object({ data: z.array(Payment), total: z.int() });
const RateAnswer = z.object({ rate: z.number().check(z.positive()), price: z.number().check(z.positive()) });

/** The most LNbits pages the proxy reads for one report (100 payments each). */
const MAX_PAGES = 200;
const PAGE_SIZE = 100;

export function lnbitsFromEnv(env: Env, deps: AdapterDeps): LnbitsProvider {
  const credentials = parseCredentials(LnbitsEnv, env);
  return new LnbitsProvider(credentials.LNBITS_URL, credentials.LNBITS_INVOICE_KEY, deps, credentials.LNBITS_RATE_LIMIT);
}

export class LnbitsProvider implements Provider {
  readonly id = 'lnbits' as const;
  readonly readPolicy = { minAgeMs: 900 };
  readonly webhooks;
  private readonly client: VendorClient;
  private readonly webhookKey: Promise<CryptoKey>;
  /**
   * LNbits allows 200 requests a minute per client IP and endpoint by default, and every status
   * read goes to one endpoint: past three open checkouts, one read each per 0.9 s would exceed it.
   * So the reads of all open invoices share a budget (in the store, across instances) and take turns.
   */
  private readonly reads: FairReads;
  /** After a 429 on reads, none until then (unix ms): polls get the last answer meanwhile. */
  private readsPausedUntil = 0;

  constructor(
    baseUrl: string,
    invoiceKey: string,
    private readonly deps: AdapterDeps,
    rateLimitPerMinute = 200,
  ) {
    this.reads = new FairReads(
      new RequestBudget('lnbits-read', { limit: rateLimitPerMinute, windowMs: 60_000, share: READ_SHARE, slots: 6 }, deps.store, deps.now),
      { minAgeMs: this.readPolicy.minAgeMs, reserve: READ_RESERVE },
      deps.now,
    );
    this.client = new VendorClient({ name: 'LNbits', baseUrl, headers: { 'X-Api-Key': invoiceKey } }, deps);
    this.webhookKey = crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(`lnbits-webhook:${deps.config.sessionSecret}`),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    this.webhooks = { verify: (webhook: IncomingWebhook) => this.verifyWebhook(webhook) };
  }

  async createInvoice(input: NewInvoice): Promise<Invoice> {
    const total = input.amount + input.tip;
    const { config } = this.deps;
    const body = {
      out: false,
      amount: input.currency === SAT ? total : Number(toDecimalString(total, input.currency)),
      unit: input.currency === SAT ? 'sat' : input.currency,
      memo: input.memo || config.storeName,
      expiry: config.invoiceExpirySec,
      extra: {
        pos: posSaleOf(input),
      },
      ...(config.publicUrl ? { webhook: await this.webhookUrl(input.reference) } : {}),
    };
    const response = await this.client.send('POST', '/api/v1/payments', { body });
    if (response.status !== 201 && response.status !== 200) throw this.failure(response);
    const created = this.client.parse(Created, response);
    const paymentRequest = created.bolt11 ?? created.payment_request;
    if (!paymentRequest?.toLowerCase().startsWith('ln')) {
      throw new ProviderError('error', 'LNbits did not return a Lightning invoice.');
    }
    const facts = bolt11Facts(paymentRequest, 'LNbits');
    return {
      id: facts.paymentHash,
      status: 'pending',
      paymentRequest,
      ...facts,
      amount: input.amount,
      tip: input.tip,
      currency: input.currency,
      memo: input.memo,
      paidAt: null,
      cashier: input.cashier ?? null,
    };
  }

  async findExisting(input: NewInvoice, since: number): Promise<Invoice | null> {
    // LNbits has no idempotency key: look through what was made since the attempt began.
    const recent = await this.page({ 'time[ge]': isoUtc(since - 60_000), limit: 50, offset: 0 });
    const payment = recent.data.find((p) => posExtra(p)?.reference === input.reference);
    return payment ? this.toInvoice(payment) : null;
  }

  async getInvoice(id: string, context: ReadContext = {}): Promise<Invoice | null> {
    if (!/^[0-9a-f]{64}$/.test(id)) return null; // LNbits invoices are known by payment hash
    const { previous, readAt, urgent = false } = context;
    const paused = this.deps.now() < this.readsPausedUntil;
    // A poll whose turn has not come, or past the budget, gets the last answer: still pending.
    if (previous && (paused || !(await this.reads.due(id, readAt, urgent)))) return previous;
    if (!previous && (paused || !(await this.reads.budget.take()))) throw slowDown();
    const response = await this.client.send('GET', `/api/v1/payments/${id}`);
    if (response.status === 429) {
      this.readsPausedUntil = this.deps.now() + retryAfterMs(response, PAUSE_AFTER_429_MS);
      if (previous) return previous;
    }
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.failure(response);
    const status = this.client.parse(Status, response);
    if (!status.details) throw new ProviderError('error', 'LNbits did not show this invoice to the POS’s key.');
    const invoice = await this.toInvoice(status.details);
    return status.paid && invoice.status !== 'paid'
      ? { ...invoice, status: 'paid', paidAt: invoice.paidAt ?? new Date(this.deps.now()).toISOString() }
      : invoice;
  }

  async cancelInvoice(id: string): Promise<Invoice | null> {
    const invoice = await this.getInvoice(id);
    if (!invoice) return null;
    if (invoice.status === 'paid') {
      throw new ApiError(409, 'conflict', 'This invoice is already paid, so it cannot be cancelled.');
    }
    // LNbits cannot revoke a Lightning invoice; remember the cancel until it could no longer be paid.
    const ttl = Math.max(60_000, Date.parse(invoice.expiresAt) - this.deps.now() + 3600_000);
    await this.deps.store.set(cancelKey(id), true, ttl);
    return { ...invoice, status: 'cancelled' };
  }

  async rate(): Promise<Rate> {
    const { currency } = this.deps.config;
    const at = new Date(this.deps.now()).toISOString();
    if (currency === SAT) return { currency, satsPerUnit: 1, btcPrice: 100_000_000, source: 'lnbits', at };
    const response = await this.client.send('GET', `/api/v1/rate/${currency}`);
    if (response.status !== 200) throw this.failure(response);
    const answer = this.client.parse(RateAnswer, response);
    return { currency, satsPerUnit: answer.rate, btcPrice: answer.price, source: 'lnbits', at };
  }

  async listInvoices(query: InvoiceQuery): Promise<InvoicePage> {
    const now = this.deps.now();
    if (query.to === undefined && (query.status === undefined || query.status === 'paid')) {
      // Open-ended and by LNbits' own status: LNbits pages it.
      const page = await this.page({
        ...(query.from !== undefined ? { 'time[ge]': isoUtc(query.from) } : {}),
        ...(query.status === 'paid' ? { 'status[eq]': 'success' } : {}),
        limit: query.limit,
        offset: query.offset,
      });
      return { data: await Promise.all(page.data.map((p) => this.toInvoice(p))), total: page.total };
    }
    // An upper bound is cut here (LNbits 1.4–1.5 get two bounds on one field wrong), and pending,
    // expired and cancelled are one LNbits status told apart by time and our own cancel marks.
    const statusFilter = query.status === 'paid' ? 'success' : query.status === undefined ? undefined : 'pending';
    const payments = await this.all({
      ...(query.from !== undefined ? { 'time[ge]': isoUtc(query.from) } : {}),
      ...(statusFilter ? { 'status[eq]': statusFilter } : {}),
    });
    const invoices = await Promise.all(payments.map((p) => this.toInvoice(p)));
    return pageOf(
      invoices.filter((invoice) => matchesQuery(invoice, query, now)),
      query,
    );
  }

  async paidInvoices(range: TimeRange): Promise<Invoice[]> {
    // LNbits filters by creation time; a payment lands at most one invoice lifetime later.
    const lifetimeMs = this.deps.config.invoiceExpirySec * 1000;
    const payments = await this.all({
      'status[eq]': 'success',
      'time[ge]': isoUtc(range.from - lifetimeMs - 3600_000),
    });
    const invoices = await Promise.all(payments.map((p) => this.toInvoice(p)));
    return invoices.filter((invoice) => paidWithin(invoice, range));
  }

  // ------------------------------------------------------------------ webhooks

  private async webhookUrl(reference: string): Promise<string> {
    const token = bytesToHex(new Uint8Array(await crypto.subtle.sign('HMAC', await this.webhookKey, utf8(reference))));
    const query = new URLSearchParams({ ref: reference, token });
    return `${this.deps.config.publicUrl}/api/webhooks/lnbits?${query}`;
  }

  private async verifyWebhook({ rawBody, url }: IncomingWebhook): Promise<WebhookHint> {
    const reference = url.searchParams.get('ref') ?? '';
    const token = url.searchParams.get('token') ?? '';
    let mac: Uint8Array<ArrayBuffer>;
    try {
      mac = Uint8Array.from(hexToBytes(token));
    } catch {
      throw invalidWebhook();
    }
    // crypto.subtle.verify compares in constant time.
    if (mac.length !== 32 || !(await crypto.subtle.verify('HMAC', await this.webhookKey, mac, utf8(reference)))) {
      throw invalidWebhook();
    }
    const paymentHash = webhookPaymentHash(rawBody);
    return { invoiceId: paymentHash, deliveryId: paymentHash ? `paid:${paymentHash}` : null, sentAt: null };
  }

  // ------------------------------------------------------------------ helpers

  private async toInvoice(payment: Payment): Promise<Invoice> {
    const paymentRequest = payment.bolt11 ?? payment.payment_request ?? '';
    const facts = bolt11Facts(paymentRequest, 'LNbits');
    const pos = posExtra(payment);
    const sale = pos ?? { amount: facts.amountSats, tip: 0, currency: SAT };
    const settled = payment.status === 'success' || payment.pending === false;
    const status: Invoice['status'] = settled
      ? 'paid'
      : payment.status === 'failed'
        ? 'expired'
        : (await this.deps.store.get(cancelKey(facts.paymentHash))) === true
          ? 'cancelled'
          : 'pending';
    const paidAt = settled ? (parseLnbitsTime(payment.updated_at) ?? parseLnbitsTime(payment.time)) : null;
    return {
      id: facts.paymentHash,
      status,
      paymentRequest,
      ...facts,
      amount: sale.amount,
      tip: sale.tip,
      currency: sale.currency,
      memo: pos?.memo ?? payment.memo ?? '',
      paidAt: paidAt === null ? null : new Date(paidAt).toISOString(),
      cashier: pos?.cashier ?? null,
    };
  }

  /** One page of incoming payments, newest first. */
  private async page(filters: Record<string, string | number>): Promise<z.infer<typeof Page>> {
    const response = await this.client.send('GET', '/api/v1/payments/paginated', {
      query: { 'amount[gt]': 0, sortby: 'time', direction: 'desc', ...filters },
    });
    if (response.status !== 200) throw this.failure(response);
    return this.client.parse(Page, response);
  }

  /** Every incoming payment matching `filters`, page by page. */
  private async all(filters: Record<string, string>): Promise<Payment[]> {
    const payments: Payment[] = [];
    for (let pageNo = 0; pageNo < MAX_PAGES; pageNo++) {
      const page = await this.page({ ...filters, limit: PAGE_SIZE, offset: pageNo * PAGE_SIZE });
      payments.push(...page.data);
      if (page.data.length < PAGE_SIZE || payments.length >= page.total) break;
    }
    return payments;
  }

  private failure(response: VendorResponse): ProviderError {
    const detail = z.safeParse(z.object({ detail: z.unknown() }), response.body);
    if (response.status === 404 && detail.success && detail.data.detail === 'Wallet not found.') {
      return new ProviderError('error', 'LNbits does not know the POS’s invoice key. Ask the manager to check LNBITS_INVOICE_KEY.');
    }
    if (response.status === 520) {
      return new ProviderError('error', 'LNbits’ Lightning node could not make the invoice. Try again in a moment.');
    }
    if (response.status === 400) return new ProviderError('error', 'LNbits refused the invoice (for example, a currency it does not convert).');
    return this.client.failure(response);
  }
}

const cancelKey = (paymentHash: string) => `lnbits-cancelled:${paymentHash}`;

const utf8 = (text: string) => new TextEncoder().encode(text);

function invalidWebhook(): ApiError {
  return new ApiError(401, 'invalid_signature', 'This webhook does not carry a valid token.');
}

function posExtra(payment: Payment): PosSale | null {
  return readPosSale(payment.extra?.pos);
}

/** The payment hash a webhook body names, whichever LNbits version sent it. */
function webhookPaymentHash(rawBody: Uint8Array): string | null {
  try {
    let body: unknown = JSON.parse(new TextDecoder().decode(rawBody));
    // v1.1+ posts a JSON string literal that holds the Payment JSON.
    if (typeof body === 'string') body = JSON.parse(body);
    const parsed = z.safeParse(z.object({ payment_hash: z.string().check(z.regex(/^[0-9a-f]{64}$/)) }), body);
    return parsed.success ? parsed.data.payment_hash : null;
  } catch {
    return null;
  }
}

/** LNbits datetimes are naive UTC ("2026-11-22T10:00:00.123456"); some versions send unix seconds. */
export function parseLnbitsTime(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value * 1000;
  const hasZone = /(?:[zZ]|[+-]\d\d:?\d\d)$/.test(value);
  const trimmed = value.replace(/(\.\d{3})\d+/, '$1').replace(' ', 'T');
  const time = Date.parse(hasZone ? trimmed : `${trimmed}Z`);
  return Number.isNaN(time) ? null : time;
}

/** A filter time with its zone: LNbits reads a naive one in the *server's* time zone. */
function isoUtc(unixMs: number): string {
  return new Date(unixMs).toISOString();
}

function slowDown(): ProviderError {
  return new ProviderError('unavailable', 'The POS is pacing its requests to stay within LNbits’ rate limit. Try again in a moment.');
}
