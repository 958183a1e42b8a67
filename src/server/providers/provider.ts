/**
 * The one narrow interface every payment provider implements (docs/architecture.md, "The provider
 * contract"). Adapters speak their vendor's API and return the contract's Invoice, plus the sale's
 * reference when the invoice is one of this POS's sales; nothing outside an adapter knows a vendor
 * field name, and no adapter decides what the API shows (reads.ts and sales.ts do, once for all).
 */
import type { Invoice, ProviderId, Rate } from '../../contract/api';
import { amountSatsOf, decodePaymentRequest, InvalidPaymentRequest } from '../bolt11';
import { ProviderError } from '../errors';
import type { KeyValueStore } from '../store';

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
   * The id of the cashier who charges it (the signed-in cashier, or `manager`), kept with the
   * invoice at the provider and read back with it.
   */
  cashier?: string;
}

/** A half-open range of unix milliseconds, `[from, to)`. */
export interface TimeRange {
  from: number;
  to: number;
}

/**
 * Why a provider request is made. Where the provider's read allowance is tight, checkouts and
 * webhooks go before the manager's reports, which have a share of their own.
 */
export type Purpose = 'checkout' | 'webhook' | 'report';

/**
 * One API request's dealings with the provider: every provider request it makes (a create and
 * its recovery, the pages of a list, an activation and the read after it) stops at the same
 * deadline, so that the API answers within 10 s whatever the provider does.
 */
export interface Call {
  signal: AbortSignal;
  purpose: Purpose;
}

/** An invoice as an adapter reads it: the API's Invoice, and whose sale it is and who charged it. */
export type ProviderInvoice = Omit<Invoice, 'cashier'> & {
  /** The sale's reference when this POS made the invoice; null for the provider's other invoices. */
  reference: string | null;
  /**
   * The id of the cashier who charged it, as the sale keeps it at the provider; null for a sale
   * made before the POS recorded cashiers (and for the provider's other invoices). The API names
   * it from today's staff list (reads.ts `toApi`).
   */
  cashier: string | null;
};

/** What the proxy knows when it asks for an invoice again. */
export interface ReadContext {
  /**
   * The last answer. An adapter that must not ask the provider now (its read budget is spent, the
   * provider asked it to slow down) returns this very object: the boundary then knows the answer
   * is not a new read.
   */
  previous?: ProviderInvoice;
  /** When `previous` was read (unix ms). */
  readAt?: number;
  /** A verified webhook asked for this read: it goes before routine polls. */
  urgent?: boolean;
}

/** How often the proxy asks a provider for an invoice's status. */
export interface ReadPolicy {
  /** A pending invoice read less than this long ago is served from the proxy's cache. */
  minAgeMs: number;
  /** Read again this long before `expiresAt` (Strike re-quotes its 30-second quotes then). */
  renewBeforeExpiryMs?: number;
  /** A cancel revokes the invoice at the provider: once cancelled, nobody can pay it. */
  cancelRevokes?: boolean;
  /**
   * Status reads a minute the POS may make of this provider (its allowance), when it has one;
   * one session may use a quarter of it (reads.ts). Infinity for reads that cost nothing.
   */
  readsPerMinute?: number;
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
  /** The sale the webhook was made for, when its credentials name one: the invoice read must belong to it. */
  reference?: string;
}

export interface WebhookVerifier {
  /** Authenticates the webhook (throws 401 `invalid_signature`) and reads its hint. */
  verify(webhook: IncomingWebhook): Promise<WebhookHint>;
}

/** What the shop's configuration says that every adapter of a real provider needs. */
export interface SaleSettings {
  currency: string;
  storeName: string;
  /** Lifetime of a sale's invoice (POS_INVOICE_EXPIRY). */
  invoiceExpirySec: number;
  /** The proxy's public base URL, for webhook URLs (POS_PUBLIC_URL). */
  publicUrl: string | undefined;
}

/** What every adapter of a real provider is built with, besides its own settings. */
export interface AdapterDeps {
  /** The shared store: budgets, remembered quotes, paid times and cancels live here, across instances. */
  store: KeyValueStore;
  now: () => number;
  /** Tests pass their own. */
  fetch?: typeof fetch;
}

export interface Provider {
  readonly id: ProviderId;
  readonly readPolicy: ReadPolicy;
  /**
   * Refuses a server release the POS does not support (throws ProviderVersionError naming the
   * minimum); other failures (unreachable) are thrown as they are, and the check is tried again.
   */
  checkVersion?(call: Call): Promise<void>;
  createInvoice(input: NewInvoice, call: Call): Promise<ProviderInvoice>;
  /**
   * The invoice an earlier create of this sale attempt made, if the provider has one: after a
   * lost response, the retry finds it instead of making a second. `since` bounds the search.
   */
  findExisting(input: NewInvoice, since: number, call: Call): Promise<ProviderInvoice | null>;
  /** The invoice as the provider has it now, or null when the provider does not know it. */
  getInvoice(id: string, context: ReadContext, call: Call): Promise<ProviderInvoice | null>;
  /** Cancels a pending invoice; null when unknown. Throws `conflict` when it is already paid. */
  cancelInvoice(id: string, call: Call): Promise<ProviderInvoice | null>;
  /** The provider's current price of the store currency. */
  rate(call: Call): Promise<Rate>;
  /**
   * This POS's sales made in the range (either end open), newest first, as the provider has them
   * now, with `paidAt` when the money arrived. The provider's other invoices are left out.
   */
  listSales(range: Partial<TimeRange>, call: Call): Promise<ProviderInvoice[]>;
  /** Present when the provider can send webhooks to the proxy. */
  readonly webhooks?: WebhookVerifier;
  /** What the screens must know about this provider, as facts (GET /api/config `capabilities`). */
  readonly capabilities?: { readonly renewsQr?: boolean };
}

/** A server release the POS refuses; the message is the one line an operator reads at start-up. */
export class ProviderVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderVersionError';
  }
}

/** Whether a dotted release ("1.4.0", "2.3.6-rc1") is at least `min`. */
export function versionAtLeast(version: string, min: string): boolean {
  const parts = (text: string) => (/^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text) ?? []).slice(1).map((part) => Number(part ?? 0));
  const [a, b] = [parts(version), parts(min)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** The price of a SAT store's currency: one sat is one sat. */
export function satRate(source: ProviderId, now: number): Rate {
  return { currency: 'SAT', satsPerUnit: 1, btcPrice: 100_000_000, source, at: new Date(now).toISOString() };
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
