import { i18n } from '@lingui/core';

/**
 * The locale `Intl` formats numbers, money, dates and lists in: the language the POS speaks now
 * (./languages.ts `intlLocaleOf`). Every `Intl` formatter of the SPA is made with it, never with
 * the browser's default.
 */
export function intlLocale(): string {
  const locales = i18n.locales;
  return (Array.isArray(locales) ? locales[0] : locales) ?? (i18n.locale || 'en');
}
