/**
 * LNbits (Payments API), 1.0.0 and later. What this adapter knows about LNbits and nothing else
 * does (docs/providers.md, "LNbits"):
 * - `X-Api-Key` with the invoice/read key; `"out": false` is always sent (LNbits defaults to
 *   *paying*); fiat goes as `unit` with the amount in major units, sats as `unit: "sat"`.
 * - Amounts come back in msat; statuses are pending, success, failed. An unpaid invoice past its
 *   expiry turns failed on the next status read (the funding source says so); datetimes come naive
 *   UTC or with +00:00.
 * - Lists never use `time[...]` filters, which LNbits 1.4–1.5 on PostgreSQL answer with 500
 *   (`lnbits/db.py` Filter.statement, v1.4.0): they page newest first and stop at the range.
 * - The wallet also receives what the POS did not sell (other extensions, LNURL, direct invoices):
 *   the POS's sales carry `extra.pos` (sale.ts), and only they are sales.
 * - LNbits cannot cancel an invoice: a cancel is remembered here, and money that arrives anyway
 *   is a sale.
 * - Webhooks are unsigned: each invoice's webhook URL carries a token only this proxy can make,
 *   for one sale and for a limited time, and the body (a JSON *string* holding the JSON in 1.1+)
 *   is only a hint.
 * - 0.x releases differ in more than their answers (no status filter, no `updated_at`); the POS
 *   refuses them at start-up.
 */
import { bytesToHex } from '@noble/hashes/utils';
import type { Invoice, Rate } from '../../contract/api';
import { SAT, toDecimalString } from '../../contract/money';
import { FairReads, RequestBudget } from '../budget';
import { integer, type Env } from '../config';
import { ApiError, ProviderError } from '../errors';
import { namedHmacKey } from '../keys';
import { z } from '../zod';
import { parseCredentials } from './credentials';
import { VendorClient, type VendorResponse } from './http';
import { CancelMarks, collectPages, invalidSignature, Pacer, verifyHmacHex } from './mechanics';
import {
  bolt11Facts,
  ProviderVersionError,
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
import { posSaleOf, readPosSale } from './sale';

const LnbitsEnv = z.object({
  LNBITS_URL: z.url({ protocol: /^https?$/, error: 'must be the http(s) base URL of your LNbits' }),
  LNBITS_INVOICE_KEY: z.string().check(z.regex(/^[0-9a-f]{32}$/i, 'must be the wallet’s 32-character invoice/read key')),
  /** The LNbits server's own limit per client IP and endpoint (its LNBITS_RATE_LIMIT_NO, per minute). */
  LNBITS_RATE_LIMIT: z._default(integer(1, 100_000_000), 200),
});

export interface LnbitsSettings extends SaleSettings {
  baseUrl: string;
  invoiceKey: string;
  rateLimitPerMinute: number;
}

/** The oldest release whose answers the POS reads right (see the module comment). */
export const LNBITS_MIN_VERSION = '1.0.0';

/** The part of LNbits' limit (per endpoint) the POS may use: the rest is for the shop's other tools. */
const SHARE = 0.75;
/** Reads a routine poll leaves for webhook-triggered and first reads. */
const READ_RESERVE = 2;
/** Of the list endpoint's share, what reports leave for finding a lost create. */
const LIST_RESERVE = 2;
/** After a 429 without Retry-After: LNbits counts in fixed one-minute windows. */
const PAUSE_AFTER_429_MS = 15_000;
/** The webhook token outlives the invoice by this much (a late webhook still counts). */
const WEBHOOK_GRACE_SEC = 3600;
const PAGE_SIZE = 500;
const MAX_PAGES = 100;

const Payment = z.object({
  payment_hash: z.string(),
  bolt11: z.optional(z.string()),
  payment_request: z.nullish(z.string()),
  /** msat; incoming payments are positive. */
  amount: z.number(),
  status: z.optional(z.string()),
  memo: z.nullish(z.string()),
  time: z.optional(z.union([z.string(), z.number()])),
  updated_at: z.nullish(z.string()),
  extra: z.nullish(z.record(z.string(), z.unknown())),
});
type Payment = z.infer<typeof Payment>;

/** The create answer (1.0+): the Payment, of which these two matter. */
const Created = z.object({ payment_hash: z.string(), bolt11: z.optional(z.string()), payment_request: z.nullish(z.string()) });
const Status = z.object({ paid: z.boolean(), status: z.optional(z.string()), details: z.optional(Payment) });
const Page = z.object({ data: z.array(Payment), total: z.int() });
const RateAnswer = z.object({ rate: z.number(), price: z.optional(z.number()) });
/** `GET /api/v1/health`: an object from 1.0.0 on; 0.x answers `null`. */
const Health = z.object({ server_time: z.number() });

export function lnbitsFromEnv(env: Env, sale: SaleSettings, deps: AdapterDeps): LnbitsProvider {
  const c = parseCredentials(LnbitsEnv, env);
  return new LnbitsProvider({ ...sale, baseUrl: c.LNBITS_URL, invoiceKey: c.LNBITS_INVOICE_KEY, rateLimitPerMinute: c.LNBITS_RATE_LIMIT }, deps);
}

export class LnbitsProvider implements Provider {
  readonly id = 'lnbits' as const;
  readonly readPolicy;
  readonly webhooks;
  private readonly client: VendorClient;
  /**
   * Every status read goes to one endpoint, which LNbits limits per client: the reads of all open
   * invoices share a budget (in the store, across instances) and take turns.
   */
  private readonly reads: FairReads;
  /** The list endpoint is limited apart: reports and the search for a lost create share it. */
  private readonly lists: RequestBudget;
  private readonly pacer: Pacer<'read' | 'list'>;
  private readonly cancels: CancelMarks;

  constructor(
    private readonly settings: LnbitsSettings,
    private readonly deps: AdapterDeps,
  ) {
    this.readPolicy = { minAgeMs: 900, readsPerMinute: settings.rateLimitPerMinute * SHARE };
    const limit = { limit: settings.rateLimitPerMinute, windowMs: 60_000, share: SHARE, slots: 6 };
    this.reads = new FairReads(new RequestBudget('lnbits-read', limit, deps.store, deps.now), { minAgeMs: this.readPolicy.minAgeMs, reserve: READ_RESERVE }, deps.now);
    this.lists = new RequestBudget('lnbits-list', limit, deps.store, deps.now);
    this.pacer = new Pacer(PAUSE_AFTER_429_MS, deps.now);
    this.cancels = new CancelMarks('lnbits', deps.store, deps.now);
    this.client = new VendorClient({ name: 'LNbits', baseUrl: settings.baseUrl, headers: { 'X-Api-Key': settings.invoiceKey } }, deps.fetch);
    this.webhooks = { verify: (webhook: IncomingWebhook) => this.verifyWebhook(webhook) };
  }

  async checkVersion(call: Call): Promise<void> {
    const response = await this.client.send('GET', '/api/v1/health', call);
    if (response.status >= 500) throw this.client.failure(response);
    if (response.status !== 200 || !z.safeParse(Health, response.body).success) {
      throw new ProviderVersionError(
        `LNbits ${LNBITS_MIN_VERSION} or later is required: the server at LNBITS_URL answers like an older LNbits (0.x). Upgrade LNbits, or use another provider.`,
      );
    }
  }

  async createInvoice(input: NewInvoice, call: Call): Promise<ProviderInvoice> {
    const total = input.amount + input.tip;
    const body = {
      out: false,
      amount: input.currency === SAT ? total : Number(toDecimalString(total, input.currency)),
      unit: input.currency === SAT ? 'sat' : input.currency,
      memo: input.memo || this.settings.storeName,
      expiry: this.settings.invoiceExpirySec,
      extra: { pos: posSaleOf(input) },
      ...(this.settings.publicUrl ? { webhook: await this.webhookUrl(input.reference) } : {}),
    };
    const response = await this.client.send('POST', '/api/v1/payments', call, { body });
    if (response.status !== 201 && response.status !== 200) throw this.failure(response);
    const created = this.client.parse(Created, response);
    const paymentRequest = created.bolt11 ?? created.payment_request ?? '';
    if (!paymentRequest.toLowerCase().startsWith('ln')) throw new ProviderError('error', 'LNbits did not return a Lightning invoice.');
    const facts = bolt11Facts(paymentRequest, 'LNbits');
    return { id: facts.paymentHash, status: 'pending', paymentRequest, ...facts, amount: input.amount, tip: input.tip, currency: input.currency, memo: input.memo, paidAt: null, reference: input.reference, cashier: input.cashier ?? null };
  }

  async findExisting(input: NewInvoice, since: number, call: Call): Promise<ProviderInvoice | null> {
    // No idempotency key at LNbits: look through what was made since the attempt began.
    const recent = await this.payments({ from: since - 60_000 }, call, 50);
    const payment = recent.find((p) => readPosSale(p.extra?.pos)?.reference === input.reference);
    return payment ? this.toInvoice(payment) : null;
  }

  async getInvoice(id: string, context: ReadContext, call: Call): Promise<ProviderInvoice | null> {
    if (!/^[0-9a-f]{64}$/.test(id)) return null; // LNbits invoices are known by payment hash
    const { previous, readAt, urgent = false } = context;
    const paused = this.pacer.paused('read');
    // A poll whose turn has not come, or past the budget, gets the last answer.
    if (previous && (paused || !(await this.reads.due(id, readAt, urgent)))) return previous;
    if (!previous && (paused || !(await this.reads.budget.take(call.signal)))) throw slowDown();
    const response = await this.client.send('GET', `/api/v1/payments/${id}`, call);
    if (this.pacer.observe('read', response) && previous) return previous;
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.failure(response);
    const status = this.client.parse(Status, response);
    if (!status.details) throw new ProviderError('error', 'LNbits did not show this invoice to the POS’s key.');
    return this.toInvoice(status.paid ? { ...status.details, status: 'success' } : status.details);
  }

  async cancelInvoice(id: string, call: Call): Promise<ProviderInvoice | null> {
    const invoice = await this.getInvoice(id, {}, call);
    if (!invoice) return null;
    if (invoice.status === 'paid') throw new ApiError(409, 'conflict', 'This invoice is already paid, so it cannot be cancelled.');
    // LNbits cannot revoke a Lightning invoice; remember the cancel until it could no longer be paid.
    await this.cancels.mark(id, invoice.expiresAt);
    return { ...invoice, status: 'cancelled' };
  }

  async rate(call: Call): Promise<Rate> {
    const { currency } = this.settings;
    if (currency === SAT) return satRate('lnbits', this.deps.now());
    const response = await this.client.send('GET', `/api/v1/rate/${currency}`, call);
    const answer = z.safeParse(RateAnswer, response.body);
    // No exchange answered: 1.5+ say `{rate: 0, price: 0}`, 1.0–1.4 answer 400 (`utils/exchange_rates.py` btc_price).
    const noPrice = response.status === 400 || (response.status === 200 && answer.success && !((answer.data.price ?? 0) > 0 && answer.data.rate > 0));
    if (noPrice) {
      throw new ProviderError('unavailable', `LNbits has no price for ${currency} right now (no exchange answered it). Try again in a minute.`);
    }
    if (response.status !== 200) throw this.failure(response);
    const { rate, price } = this.client.parse(RateAnswer, response);
    return { currency, satsPerUnit: rate, btcPrice: price ?? 100_000_000 / rate, source: 'lnbits', at: new Date(this.deps.now()).toISOString() };
  }

  async listSales(range: Partial<TimeRange>, call: Call): Promise<ProviderInvoice[]> {
    const payments = await this.payments(range, call, PAGE_SIZE);
    const ours = payments.filter((p) => readPosSale(p.extra?.pos) !== null && inRange(parseLnbitsTime(p.time), range));
    return Promise.all(ours.map((p) => this.toInvoice(p)));
  }

  // ------------------------------------------------------------------ webhooks

  /** `…/api/webhooks/lnbits?ref=<sale>&exp=<unix s>&token=<HMAC of both>`, with the proxy's own key. */
  private async webhookUrl(reference: string): Promise<string> {
    const exp = String(Math.floor(this.deps.now() / 1000) + this.settings.invoiceExpirySec + WEBHOOK_GRACE_SEC);
    const key = await namedHmacKey(this.deps.store, 'lnbits-webhook');
    const token = bytesToHex(new Uint8Array(await crypto.subtle.sign('HMAC', key, tokenData(reference, exp))));
    return `${this.settings.publicUrl}/api/webhooks/lnbits?${new URLSearchParams({ ref: reference, exp, token })}`;
  }

  private async verifyWebhook({ rawBody, url }: IncomingWebhook): Promise<WebhookHint> {
    const reference = url.searchParams.get('ref') ?? '';
    const exp = url.searchParams.get('exp') ?? '';
    const key = await namedHmacKey(this.deps.store, 'lnbits-webhook');
    const valid = /^\d{1,12}$/.test(exp) && (await verifyHmacHex(key, url.searchParams.get('token') ?? '', tokenData(reference, exp)));
    if (!valid || Number(exp) * 1000 < this.deps.now()) throw invalidSignature();
    const paymentHash = webhookPaymentHash(rawBody);
    // The token names the sale: the boundary checks the payment read is that sale's.
    return { invoiceId: paymentHash, deliveryId: paymentHash ? `paid:${paymentHash}` : null, sentAt: null, reference };
  }

  // ------------------------------------------------------------------ helpers

  private async toInvoice(payment: Payment): Promise<ProviderInvoice> {
    const paymentRequest = payment.bolt11 ?? payment.payment_request ?? '';
    const facts = bolt11Facts(paymentRequest, 'LNbits');
    const pos = readPosSale(payment.extra?.pos);
    const sale = pos ?? { amount: facts.amountSats, tip: 0, currency: SAT };
    const cancelled = await this.cancels.has(facts.paymentHash);
    // Money that arrived is a sale, cancelled or not. A failed invoice can no longer be paid:
    // expired, unless the POS cancelled it first.
    const status: Invoice['status'] =
      payment.status === 'success' ? 'paid' : cancelled ? 'cancelled' : payment.status === 'failed' ? 'expired' : 'pending';
    // `updated_at` is set when the payment settles (and moved by later edits, such as labels).
    const paidAt = status === 'paid' ? (parseLnbitsTime(payment.updated_at) ?? parseLnbitsTime(payment.time)) : null;
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
      reference: pos?.reference ?? null,
      cashier: pos?.cashier ?? null,
    };
  }

  /** Incoming payments made since `range.from`, newest first, without a `time[...]` filter. */
  private async payments(range: Partial<TimeRange>, call: Call, pageSize: number): Promise<Payment[]> {
    return collectPages(
      async (index) => {
        // Reports leave a reserve of the list endpoint to the search for a lost create.
        const reserve = call.purpose === 'report' ? LIST_RESERVE : 0;
        if (this.pacer.paused('list') || !((await this.lists.tryTake(reserve)) || (await this.lists.take(call.signal)))) throw slowDown();
        const response = await this.client.send('GET', '/api/v1/payments/paginated', call, {
          query: { 'amount[gt]': 0, sortby: 'time', direction: 'desc', limit: pageSize, offset: index * pageSize },
        });
        this.pacer.observe('list', response);
        if (response.status !== 200) throw this.failure(response);
        return this.client.parse(Page, response).data;
      },
      { pageSize, maxPages: MAX_PAGES, ...(range.from === undefined ? {} : { done: (p: Payment) => (parseLnbitsTime(p.time) ?? 0) < range.from! }) },
    );
  }

  private failure(response: VendorResponse): ProviderError {
    const detail = z.safeParse(z.object({ detail: z.unknown() }), response.body);
    if (response.status === 404 && detail.success && detail.data.detail === 'Wallet not found.') {
      return new ProviderError('error', 'LNbits does not know the POS’s invoice key. Ask the manager to check LNBITS_INVOICE_KEY.');
    }
    if (response.status === 520) return new ProviderError('error', 'LNbits’ Lightning node could not make the invoice. Try again in a moment.');
    if (response.status === 400) return new ProviderError('error', 'LNbits refused the invoice (for example, a currency it does not convert).');
    if (response.status === 429) return slowDown();
    return this.client.failure(response);
  }
}

const tokenData = (reference: string, exp: string) => new TextEncoder().encode(`lnbits-webhook:v2:${reference}:${exp}`);

function inRange(time: number | null, range: Partial<TimeRange>): boolean {
  if (time === null) return false;
  return (range.from === undefined || time >= range.from) && (range.to === undefined || time < range.to);
}

/** The payment hash a webhook body names, whichever LNbits release sent it. */
function webhookPaymentHash(rawBody: Uint8Array): string | null {
  try {
    let body: unknown = JSON.parse(new TextDecoder().decode(rawBody));
    // 1.1+ posts a JSON string literal that holds the Payment JSON.
    if (typeof body === 'string') body = JSON.parse(body);
    const parsed = z.safeParse(z.object({ payment_hash: z.string().check(z.regex(/^[0-9a-f]{64}$/)) }), body);
    return parsed.success ? parsed.data.payment_hash : null;
  } catch {
    return null;
  }
}

/** LNbits datetimes are naive UTC ("2026-11-22T10:00:00.123456") or carry +00:00; some send unix seconds. */
export function parseLnbitsTime(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value * 1000;
  const hasZone = /(?:[zZ]|[+-]\d\d:?\d\d)$/.test(value);
  const trimmed = value.replace(/(\.\d{3})\d+/, '$1').replace(' ', 'T');
  const time = Date.parse(hasZone ? trimmed : `${trimmed}Z`);
  return Number.isNaN(time) ? null : time;
}

function slowDown(): ProviderError {
  return new ProviderError('unavailable', 'The POS is pacing its requests to stay within LNbits’ rate limit. Try again in a moment.');
}
