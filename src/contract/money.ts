/**
 * Money rules shared by the proxy and the SPA (docs/api.md, "Conventions").
 *
 * An amount is always an integer in the currency's minor unit plus a currency code.
 * `SAT` has no decimals; ISO 4217 codes have the decimals `Intl` knows for them.
 * Conversions to sats round up, never down, and use integer arithmetic only.
 */

export const SAT = 'SAT';

/** Upper bound of one invoice (docs/api.md): the equivalent of 10,000,000 sats. */
export const MAX_INVOICE_SATS = 10_000_000;

export const SATS_PER_BTC = 100_000_000n;

const decimalsCache = new Map<string, number>();

/** Whether `code` is `SAT` or an ISO 4217 code this runtime can format. */
export function isSupportedCurrency(code: string): boolean {
  if (code === SAT) return true;
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency: code });
    return Intl.supportedValuesOf('currency').includes(code);
  } catch {
    return false;
  }
}

/** Number of minor-unit digits: `SAT` 0, `USD` 2, `JPY` 0, `KWD` 3. */
export function currencyDecimals(currency: string): number {
  if (currency === SAT) return 0;
  const cached = decimalsCache.get(currency);
  if (cached !== undefined) return cached;
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  const decimals = digits ?? 2;
  decimalsCache.set(currency, decimals);
  return decimals;
}

/**
 * Parses a decimal string in major units ("97123.45") into minor units of `currency`.
 * Returns null for anything that is not a plain non-negative decimal or has more
 * fraction digits than the currency allows.
 */
export function parseMajorUnits(text: string, currency: string): bigint | null {
  const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const decimals = currencyDecimals(currency);
  const [, whole = '0', fraction = ''] = match;
  if (fraction.length > decimals) {
    // Extra digits are allowed only when they are zeros ("100000.000" for USD).
    if (!/^0*$/.test(fraction.slice(decimals))) return null;
  }
  const padded = (fraction + '0'.repeat(decimals)).slice(0, decimals);
  return BigInt(whole) * 10n ** BigInt(decimals) + (padded ? BigInt(padded) : 0n);
}

/** "12.34" for 1234 USD, "1234" for 1234 JPY: the exact decimal string of a minor-unit amount. */
export function toDecimalString(amount: number, currency: string): `${number}` {
  const decimals = currencyDecimals(currency);
  const negative = amount < 0;
  const digits = Math.abs(Math.trunc(amount)).toString();
  const sign = negative ? '-' : '';
  if (decimals === 0) return `${sign}${digits}` as `${number}`;
  const padded = digits.padStart(decimals + 1, '0');
  // Digits, a point, digits: a numeric literal by construction.
  return `${sign}${padded.slice(0, -decimals)}.${padded.slice(-decimals)}` as `${number}`;
}

/** A BTC price in major units (a rate, possibly fractional) as whole minor units of `currency`. */
export function priceInMinorUnits(btcPrice: number, currency: string): bigint {
  return BigInt(Math.round(btcPrice * 10 ** currencyDecimals(currency)));
}

/** Whole sats in a BTC decimal string ("0.00012340" → 12340), or null if it is not one. */
export function btcToSats(amount: string): number | null {
  const match = /^(\d{1,8})(?:\.(\d{1,8}))?$/.exec(amount.trim());
  if (!match) return null;
  return Number(match[1]) * 100_000_000 + Number((match[2] ?? '').padEnd(8, '0'));
}

/** The BTC decimal string of whole sats (12340 → "0.00012340"), without floating point. */
export function satsToBtc(sats: number): string {
  return `${Math.floor(sats / 100_000_000)}.${String(sats % 100_000_000).padStart(8, '0')}`;
}

/** Ceiling division of non-negative bigints. */
export function divCeil(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  return (numerator + denominator - 1n) / denominator;
}

/**
 * Sats for `amount` minor units of `currency` at `btcPriceMinor` (price of one BTC in the
 * currency's minor units), rounded up. `SAT` amounts are returned unchanged.
 */
export function satsFor(amount: number, currency: string, btcPriceMinor: bigint): number {
  if (currency === SAT) return amount;
  return Number(divCeil(BigInt(amount) * SATS_PER_BTC, btcPriceMinor));
}

/** Minor units of `currency` worth `sats` at `btcPriceMinor`, rounded down (the largest amount within `sats`). */
export function amountForSats(sats: number, currency: string, btcPriceMinor: bigint): number {
  if (currency === SAT) return sats;
  return Number((BigInt(sats) * btcPriceMinor) / SATS_PER_BTC);
}
