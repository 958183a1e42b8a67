/**
 * The one narrow interface every payment provider implements. Adapters speak their vendor's
 * API and return the contract's Invoice; nothing outside an adapter knows a vendor field name.
 */
import type { Invoice, InvoiceStatus, ProviderId, Rate, SaleCashier } from '../../contract/api';
import { amountSatsOf, decodePaymentRequest, InvalidPaymentRequest } from '../bolt11';
import type { Config } from '../config';
import { ProviderError } from '../errors';
import type { KeyValueStore } from '../store';
import type { VendorTransport } from './http';

export interface NewInvoice {
  /**
   * Our reference for this charge attempt: the vendor's correlation / order id, so that a retry
   * after a lost response can find the invoice instead of making a second one.
   */
  reference: string;
  /** Minor units of `currency`, without the tip. */
  amount: number;
  tip: number;
  currency: string;
  memo: string;
  /**
   * Who charged it (the signed-in cashier), kept with the invoice at the provider and read back
   * with it; absent in sales made before the POS recorded cashiers.
   */
  cashier?: SaleCashier | null;
}

/** A half-open range of unix milliseconds, `[from, to)`. */
export interface TimeRange {
  from: number;
  to: number;
}

export interface InvoiceQuery {
  /** Creation time range; either end may be open. */
  from?: number;
  to?: number;
  status?: InvoiceStatus;
  limit: number;
  offset: number;
}

export interface InvoicePage {
  /** Newest first. */
  data: Invoice[];
  total: number;
}

/** A webhook as it arrived: the raw bytes (signatures are over them), headers and URL. */
export interface IncomingWebhook {
  rawBody: Uint8Array;
  headers: Headers;
  url: URL;
}

/** What a verified webhook tells: which invoice may have changed. Never a status. */
export interface WebhookHint {
  invoiceId: string | null;
  /** The vendor's delivery or event id, for deduplicating replays. */
  deliveryId: string | null;
  /** When the vendor says it sent the event (unix ms), for refusing stale replays. */
  sentAt: number | null;
}

export interface WebhookVerifier {
  /** Authenticates the webhook (throws 401 `invalid_signature`) and reads its hint. */
  verify(webhook: IncomingWebhook): Promise<WebhookHint>;
}

/** How often the proxy asks a provider for an invoice's status. */
export interface ReadPolicy {
  /** A pending invoice read less than this long ago is served from the proxy's cache. */
  minAgeMs: number;
  /** Read again this long before `expiresAt` (Strike re-quotes its 30-second quotes then). */
  renewBeforeExpiryMs?: number;
}

/** What every adapter of a real provider is built with. */
export interface AdapterDeps extends VendorTransport {
  config: Config;
  /** The shared store: budgets, remembered quotes and cancels live here, across instances. */
  store: KeyValueStore;
  now: () => number;
}

/** What the proxy knows when it asks for an invoice again. */
export interface ReadContext {
  /** The provider's last answer, which an adapter over its read budget may return as it is. */
  previous?: Invoice;
  /** When `previous` was read (unix ms). */
  readAt?: number;
  /** A verified webhook asked for this read: it goes before routine polls. */
  urgent?: boolean;
}

export interface Provider {
  readonly id: ProviderId;
  readonly readPolicy: ReadPolicy;
  createInvoice(input: NewInvoice): Promise<Invoice>;
  /**
   * The invoice an earlier create of this sale attempt made, if the provider has one: after a
   * lost response, the retry finds it instead of making a second. `since` bounds the search.
   */
  findExisting(input: NewInvoice, since: number): Promise<Invoice | null>;
  /** The invoice as the provider has it now, or null when the provider does not know it. */
  getInvoice(id: string, context?: ReadContext): Promise<Invoice | null>;
  /** Cancels a pending invoice; null when unknown. Throws `conflict` when it is already paid. */
  cancelInvoice(id: string): Promise<Invoice | null>;
  /** The provider's current price of the store currency. */
  rate(): Promise<Rate>;
  /** Invoices by creation time and status, newest first, with the total for paging. */
  listInvoices(query: InvoiceQuery): Promise<InvoicePage>;
  /** Every paid invoice whose `paidAt` lies in the range: what totals are made of. */
  paidInvoices(range: TimeRange): Promise<Invoice[]>;
  /** Present when the provider can send webhooks to the proxy. */
  readonly webhooks?: WebhookVerifier;
  /** What the screens must know about this provider, as facts (GET /api/config `capabilities`). */
  readonly capabilities?: { readonly renewsQr?: boolean };
}

/**
 * The status the API reports: a pending invoice past its BOLT11 expiry reads `expired`, whatever
 * the provider says (LNbits, for one, keeps unpaid expired invoices `pending` forever).
 */
export function withEffectiveStatus(invoice: Invoice, now: number): Invoice {
  if (invoice.status === 'pending' && Date.parse(invoice.expiresAt) <= now) {
    return { ...invoice, status: 'expired' };
  }
  return invoice;
}

/** The Invoice fields a BOLT11 states itself: hash, amount in sats, creation and expiry. */
export interface Bolt11Facts {
  paymentHash: string;
  amountSats: number;
  createdAt: string;
  expiresAt: string;
}

/** Reads a provider's BOLT11; one the POS cannot read is the provider's fault (502). */
export function bolt11Facts(paymentRequest: string, provider: string): Bolt11Facts {
  try {
    const decoded = decodePaymentRequest(paymentRequest);
    return {
      paymentHash: decoded.paymentHash,
      amountSats: amountSatsOf(decoded),
      createdAt: new Date(decoded.createdAt).toISOString(),
      expiresAt: new Date(decoded.expiresAt).toISOString(),
    };
  } catch (error) {
    if (error instanceof InvalidPaymentRequest) {
      throw new ProviderError('error', `${provider} issued a Lightning invoice the POS cannot read.`);
    }
    throw error;
  }
}

/** Slices a full, newest-first list into the page asked for. */
export function pageOf(all: Invoice[], query: InvoiceQuery): InvoicePage {
  return { data: all.slice(query.offset, query.offset + query.limit), total: all.length };
}

/** Whether an invoice matches a query's creation range and (effective) status. */
export function matchesQuery(invoice: Invoice, query: Omit<InvoiceQuery, 'limit' | 'offset'>, now: number): boolean {
  const created = Date.parse(invoice.createdAt);
  if (query.from !== undefined && created < query.from) return false;
  if (query.to !== undefined && created >= query.to) return false;
  return query.status === undefined || withEffectiveStatus(invoice, now).status === query.status;
}

export function paidWithin(invoice: Invoice, range: TimeRange): boolean {
  if (invoice.status !== 'paid' || !invoice.paidAt) return false;
  const paid = Date.parse(invoice.paidAt);
  return paid >= range.from && paid < range.to;
}
