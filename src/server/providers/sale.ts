/**
 * The sale's metadata: what the POS writes into a provider's invoice (LNbits `extra.pos`, BTCPay
 * `metadata.pos`) and gets back whole with it: amount, tip, currency, memo, and the cashier who
 * charged it. Strike has no metadata; its adapter packs the reference, the tip and the cashier's
 * id into the correlationId. docs/providers.md lists where each provider keeps it.
 */
import { SaleCashier } from '../../contract/api';
import { z } from '../zod';
import type { NewInvoice } from './provider';

export const PosSale = z.object({
  /** The charge attempt's reference (also the vendor's order id where it has one). */
  reference: z.string(),
  /** Minor units of `currency`, without the tip. */
  amount: z.int(),
  tip: z.int(),
  currency: z.string(),
  /** The sale's own memo (the vendor's description gets the store name when it is empty). */
  memo: z.optional(z.string()),
  /** Who charged it, with their name as it was then; absent in sales made before the POS recorded cashiers. */
  cashier: z.optional(SaleCashier),
});
export type PosSale = z.infer<typeof PosSale>;

export function posSaleOf(input: NewInvoice): PosSale {
  return {
    reference: input.reference,
    amount: input.amount,
    tip: input.tip,
    currency: input.currency,
    memo: input.memo,
    ...(input.cashier ? { cashier: input.cashier } : {}),
  };
}

/** The POS's sale in a vendor's metadata, or null when someone else made the invoice. */
export function readPosSale(value: unknown): PosSale | null {
  const parsed = z.safeParse(PosSale, value);
  return parsed.success ? parsed.data : null;
}
