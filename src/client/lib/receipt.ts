/**
 * What a receipt says, from either side: the tablet builds it from the invoice and the store's
 * config, the customer's phone gets it from the receipt link. One shape, one layout.
 */
import type { AppConfig, Invoice } from '../../contract/api';
import { SAT, SATS_PER_BTC } from '../../contract/money';
import type { Receipt } from '../../contract/receipts';

/** The receipt of a paid invoice, or null for one that is not paid. */
export function receiptOf(invoice: Invoice, config: Pick<AppConfig, 'storeName' | 'storeAddress' | 'timezone'>): Receipt | null {
  if (invoice.status !== 'paid' || !invoice.paidAt) return null;
  return {
    storeName: config.storeName,
    ...(config.storeAddress ? { storeAddress: config.storeAddress } : {}),
    timezone: config.timezone,
    amount: invoice.amount,
    tip: invoice.tip,
    currency: invoice.currency,
    amountSats: invoice.amountSats,
    memo: invoice.memo,
    paidAt: invoice.paidAt,
    paymentHash: invoice.paymentHash,
  };
}

/**
 * The price of one BTC the sale implies, in minor units of its currency (rounded half up): what
 * the customer paid in fiat over the sats the invoice asked for. Null for a sats sale or when the
 * sats are not known.
 */
export function impliedBtcPrice(total: number, currency: string, amountSats: number): number | null {
  if (currency === SAT || amountSats <= 0 || total <= 0) return null;
  return Number((2n * BigInt(total) * SATS_PER_BTC + BigInt(amountSats)) / (2n * BigInt(amountSats)));
}
