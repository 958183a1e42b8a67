/**
 * Showing money: integer minor units in, text out, through `Intl.NumberFormat` and never a float
 * (the decimal string is built from the integer, so $0.10 + $0.20 is exactly $0.30).
 */
import { currencyDecimals, SAT } from '../../contract/money';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale: string | undefined): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let format = formatters.get(key);
  if (!format) {
    format =
      currency === SAT
        ? new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })
        : new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, format);
  }
  return format;
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

/** `$12.34`, `¥1,234`, or `1,234 sats` for the SAT currency. */
export function formatAmount(amount: number, currency: string, locale?: string): string {
  if (currency === SAT) return formatSats(amount, locale);
  // A decimal string keeps the value exact; Intl formats strings as exact decimals.
  return formatter(currency, locale).format(toDecimalString(amount, currency));
}

/** `1,334 sats` (`1 sat` for one). */
export function formatSats(sats: number, locale?: string): string {
  return `${formatter(SAT, locale).format(sats)} ${sats === 1 ? 'sat' : 'sats'}`;
}
