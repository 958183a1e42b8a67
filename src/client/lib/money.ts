/**
 * Showing money: integer minor units in, text out, through `Intl.NumberFormat` and never a float
 * (the decimal string is built from the integer, so $0.10 + $0.20 is exactly $0.30).
 */
import { SAT, toDecimalString } from '../../contract/money';

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
