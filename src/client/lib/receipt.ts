/**
 * What a receipt shows beyond its fields: the tablet builds a receipt with the contract's
 * `receiptOf` (as the proxy does for the customer's link), and both are laid out the same way.
 */
import { SAT, SATS_PER_BTC } from '../../contract/money';

/**
 * The price of one BTC the sale implies, in minor units of its currency (rounded half up): what
 * the customer paid in fiat over the sats the invoice asked for. Null for a sats sale or when the
 * sats are not known.
 */
export function impliedBtcPrice(total: number, currency: string, amountSats: number): number | null {
  if (currency === SAT || amountSats <= 0 || total <= 0) return null;
  return Number((2n * BigInt(total) * SATS_PER_BTC + BigInt(amountSats)) / (2n * BigInt(amountSats)));
}
