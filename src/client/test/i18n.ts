/**
 * Tests speak a language the way the app does: the catalog compiled from its .po file, activated
 * with the locale `Intl` formats in (i18n/activate.ts). English by default.
 */
import { i18n } from '@lingui/core';
import { loadMessages } from '../i18n/activate';
import { intlLocaleOf, type Locale } from '../i18n/languages';

export async function speak(locale: Locale): Promise<void> {
  i18n.loadAndActivate({ locale, locales: [intlLocaleOf(locale)], messages: await loadMessages(locale) });
}
