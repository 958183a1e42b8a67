/**
 * Receipts (docs/api.md): the link a customer scans on the Paid screen and the one sale
 * it shows. Only the receipt screens load these schemas, so the cashier's first load does not.
 */
import * as z from 'zod/mini';
import { CurrencyCode, InvoiceId, IsoDateTime, Language, MANAGER_AS_CASHIER, type Invoice } from './api';

/** `POST /api/receipts` (cashier): a link to the receipt of one paid invoice. */
export const ReceiptLinkRequest = z.object({ invoiceId: InvoiceId });
export type ReceiptLinkRequest = z.infer<typeof ReceiptLinkRequest>;

export const ReceiptLink = z.object({
  /** Unguessable and signed: the invoice id, `~`, and its MAC. */
  token: z.string(),
  /** The SPA's path of the receipt page, `/r/<token>`. */
  path: z.string(),
  /** The whole link, when the proxy knows its public address (`POS_PUBLIC_URL`). */
  url: z.optional(z.string()),
});
export type ReceiptLink = z.infer<typeof ReceiptLink>;

/** `GET /api/receipts/:token` (no session): one paid sale, and nothing else. */
export const Receipt = z.object({
  storeName: z.string(),
  storeAddress: z.optional(z.string()),
  /** The store's IANA zone: the paid time is shown in it. */
  timezone: z.string(),
  /** The store's language (`POS_LANGUAGE`), when set: the receipt page speaks it. */
  language: z.optional(Language),
  /** Minor units of `currency`, without the tip. */
  amount: z.int(),
  tip: z.int(),
  currency: CurrencyCode,
  amountSats: z.int(),
  memo: z.string(),
  /** The name of the cashier who served the customer, when a named cashier (not the manager) charged the sale. */
  cashierName: z.optional(z.string()),
  paidAt: IsoDateTime,
  /** The proof: the preimage of this hash is what the customer's wallet received when it paid. */
  paymentHash: z.string(),
});
export type Receipt = z.infer<typeof Receipt>;

/** Where a receipt's shop details come from: the store's configuration. */
export interface ReceiptStore {
  storeName: string;
  storeAddress?: string | undefined;
  timezone: string;
  language?: Language | undefined;
}

/** The receipt of a paid invoice (null for any other): what the tablet prints and the link shows. */
export function receiptOf(invoice: Invoice, store: ReceiptStore): Receipt | null {
  if (invoice.status !== 'paid' || !invoice.paidAt) return null;
  return {
    storeName: store.storeName,
    ...(store.storeAddress ? { storeAddress: store.storeAddress } : {}),
    timezone: store.timezone,
    ...(store.language ? { language: store.language } : {}),
    amount: invoice.amount,
    tip: invoice.tip,
    currency: invoice.currency,
    amountSats: invoice.amountSats,
    memo: invoice.memo,
    ...(invoice.cashier?.name && invoice.cashier.id !== MANAGER_AS_CASHIER.id ? { cashierName: invoice.cashier.name } : {}),
    paidAt: invoice.paidAt,
    paymentHash: invoice.paymentHash,
  };
}
