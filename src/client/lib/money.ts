/**
 * Showing money: integer minor units in, text out, through `Intl.NumberFormat` and never a float
 * (the decimal string is built from the integer, so $0.10 + $0.20 is exactly $0.30).
 */
import { plural } from '@lingui/core/macro';
import { SAT, toDecimalString } from '../../contract/money';
import { intlLocale } from '../i18n/format';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
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

/** `$12.34`, `¥1,234`, or `1,234 sats` for the SAT currency, in the POS's language. */
export function formatAmount(amount: number, currency: string, locale = intlLocale()): string {
  if (currency === SAT) return formatSats(amount, locale);
  // A decimal string keeps the value exact; Intl formats strings as exact decimals.
  return formatter(currency, locale).format(toDecimalString(amount, currency));
}

/** `1,334 sats` (`1 sat` for one), grouped and pluralised as the POS's language does it. */
export function formatSats(sats: number, locale = intlLocale()): string {
  const grouped = formatter(SAT, locale).format(sats);
  return plural(sats, { one: `${grouped} sat`, other: `${grouped} sats` });
}
