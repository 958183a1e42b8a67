/**
 * Loading a language: its catalog is a chunk of its own (compiled from locales/<language>.po at
 * build time), fetched when the POS first speaks it. `<html lang>` follows, and `Intl` formats in
 * that language from then on (./format.ts).
 */
import { i18n, type Messages } from '@lingui/core';
import { useEffect, useSyncExternalStore } from 'react';
import type { Language } from '../../contract/api';
import { languageChosen, languageSpoken, useChosenLanguage, useSettingsStore } from '../stores/settings';
import { intlLocaleOf, pickLanguage, type Locale } from './languages';

/**
 * English is compiled into the code where each message is used (vite.config.ts): its catalog is
 * empty at run time, so an English tablet fetches none.
 */
const catalogs: Record<Locale, () => Promise<{ messages: Messages }>> = {
  en: () => Promise.resolve({ messages: {} }),
  es: () => import('./locales/es.po'),
  'pt-BR': () => import('./locales/pt-BR.po'),
  de: () => import('./locales/de.po'),
  fr: () => import('./locales/fr.po'),
  'en-XA': () => import('./locales/en-XA.po'),
};

const loaded = new Map<Locale, Promise<Messages>>();

/** A language's messages, fetched once (and again after a failed fetch). */
export function loadMessages(locale: Locale): Promise<Messages> {
  let messages = loaded.get(locale);
  if (!messages) {
    messages = catalogs[locale]().then((module) => module.messages);
    // A failed fetch (offline before the catalog was ever cached) is tried again next time.
    messages.catch(() => loaded.delete(locale));
    loaded.set(locale, messages);
  }
  return messages;
}

let wanted: Locale | null = null;

function speak(locale: Locale, messages: Messages): void {
  if (i18n.locale === locale) return;
  i18n.loadAndActivate({ locale, locales: [intlLocaleOf(locale)], messages });
  document.documentElement.lang = locale;
  languageSpoken(locale);
}

/** Speaks `locale` once its catalog is in (the last one asked for wins). */
export async function activateLanguage(locale: Locale): Promise<void> {
  wanted = locale;
  const messages = await loadMessages(locale);
  if (wanted === locale) speak(locale, messages);
}

/** The browser's languages, most preferred first. */
const browserLanguages = (): readonly string[] => (navigator.languages.length > 0 ? navigator.languages : [navigator.language]);

/**
 * At start, before the store's config has arrived: this tablet's choice, else the language it
 * spoke last time, else the browser's. Fetched again whenever the network comes back, until one
 * language is in.
 */
export function startLanguage(): void {
  const { language, spoken } = useSettingsStore.getState();
  const first = pickLanguage({ tablet: language ?? spoken, store: undefined, browser: browserLanguages() });
  const attempt = () => void activateLanguage(first).catch(() => undefined);
  attempt();
  const retry = () => (i18n.locale ? window.removeEventListener('online', retry) : attempt());
  window.addEventListener('online', retry);
}

function subscribe(onChange: () => void): () => void {
  return i18n.on('change', onChange);
}

/** The language spoken now, or '' before any catalog is in. */
export const useActiveLocale = (): string => useSyncExternalStore(subscribe, () => i18n.locale);

/**
 * The language this tablet should speak, given the store's: switches to it (loading its catalog)
 * when it is not the one spoken now. True once it is.
 */
export function useStoreLanguage(store: Language | undefined): boolean {
  const tablet = useChosenLanguage();
  const active = useActiveLocale();
  const target = pickLanguage({ tablet, store, browser: browserLanguages() });
  useEffect(() => {
    if (target !== active) void activateLanguage(target).catch(() => undefined);
  }, [target, active]);
  return target === active;
}

/**
 * A cashier picked `locale` on the unlock screen: it is remembered for this tablet (or forgotten,
 * when it is what the tablet would speak anyway), once its catalog is in.
 */
export async function chooseLanguage(locale: Locale, store: Language | undefined): Promise<void> {
  wanted = locale;
  const messages = await loadMessages(locale);
  if (wanted !== locale) return;
  // Both at once, so that nothing renders in between wanting one language and speaking another.
  const byDefault = pickLanguage({ tablet: null, store, browser: browserLanguages() });
  languageChosen(locale === byDefault ? null : locale);
  speak(locale, messages);
}
