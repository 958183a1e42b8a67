/**
 * The sale's metadata: what the POS writes into a provider's invoice (LNbits `extra.pos`, BTCPay
 * `metadata.pos`) so that it knows its own sales among everything else the wallet or store
 * receives, and gets the sale (amount, tip, currency, memo, and the id of the cashier who charged
 * it) back whole. Strike has no metadata; its adapter packs the same facts into the correlationId.
 * docs/providers.md lists where each provider keeps it.
 */
import { CashierId } from '../../contract/api';
import { z } from '../zod';
import type { NewInvoice } from './provider';

export const PosSale = z.object({
  /** The charge attempt's reference (also the vendor's order id where it has one). */
  reference: z.string().check(z.minLength(1)),
  /** Minor units of `currency`, without the tip. */
  amount: z.int(),
  tip: z.int(),
  currency: z.string(),
  /** The sale's own memo (the vendor's description gets the store name when it is empty). */
  memo: z.optional(z.string()),
  /**
   * The id of the cashier who charged it (never their name, which today's staff list gives):
   * absent in sales made before the POS recorded cashiers.
   */
  cashier: z.optional(CashierId),
});
export type PosSale = z.infer<typeof PosSale>;

export function posSaleOf(input: NewInvoice): PosSale {
  const { reference, amount, tip, currency, memo, cashier } = input;
  return { reference, amount, tip, currency, memo, ...(cashier ? { cashier } : {}) };
}

/** The POS's sale in a vendor's metadata, or null when someone else made the invoice. */
export function readPosSale(value: unknown): PosSale | null {
  const parsed = z.safeParse(PosSale, value);
  return parsed.success ? parsed.data : null;
}
