/**
 * Which language the POS speaks, and how it is picked: this tablet's own choice (made on the unlock
 * screen), else the store's (`POS_LANGUAGE`), else the browser's when the POS speaks it, else
 * English. Pure functions; the loading of catalogs is in ./activate.ts.
 */
import { languages, type Language } from '../../contract/api';

/**
 * The pseudo-locale: English with every letter accented, made from the English catalog at build
 * time. Never offered to a cashier; the browser tests switch to it to find any text that does not
 * come from a catalog.
 */
export const PSEUDO_LOCALE = 'en-XA';

export type Locale = Language | typeof PSEUDO_LOCALE;

export const locales: readonly Locale[] = [...languages, PSEUDO_LOCALE];

/** Each language by its own name, as a cashier who reads only that language looks for it. */
export const languageNames: Record<Language, string> = {
  en: 'English',
  es: 'Español',
  'pt-BR': 'Português (Brasil)',
  de: 'Deutsch',
  fr: 'Français',
};

/**
 * The locale `Intl` formats numbers, money and dates in. The pseudo-locale formats them as German:
 * a formatter that forgot to ask for the POS's locale then shows the browser's English, and the
 * pseudo-locale's test finds it.
 */
export function intlLocaleOf(locale: Locale): string {
  return locale === PSEUDO_LOCALE ? 'de' : locale;
}

/** The first of the browser's languages that the POS speaks (`de-AT` → `de`, `pt` → `pt-BR`). */
export function browserLanguage(preferred: readonly string[]): Language | undefined {
  for (const tag of preferred) {
    const exact = languages.find((language) => language.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
    const base = tag.split('-')[0]?.toLowerCase();
    const sameBase = languages.find((language) => language.split('-')[0] === base);
    if (sameBase) return sameBase;
  }
  return undefined;
}

export interface LanguageChoice {
  /** This tablet's own choice, if any. */
  tablet: Locale | null;
  /** The store's (`POS_LANGUAGE`), when the proxy sets one. */
  store: Language | undefined;
  /** The browser's languages, most preferred first. */
  browser: readonly string[];
}

export function pickLanguage({ tablet, store, browser }: LanguageChoice): Locale {
  return tablet ?? store ?? browserLanguage(browser) ?? 'en';
}
