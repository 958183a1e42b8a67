/** Tablet settings that survive a reload: each tablet has its own speaker and its own printer. */
import * as z from 'zod/mini';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { languages } from '../../contract/api';
import { PSEUDO_LOCALE, type Locale } from '../i18n/languages';
import { validatedMerge } from '../lib/persist';

export const receiptPapers = ['80mm', 'a4'] as const;
export type ReceiptPaper = (typeof receiptPapers)[number];

interface Settings {
  soundOn: boolean;
  /** The paper of the printer beside this tablet: an 80 mm thermal roll or A4. */
  receiptPaper: ReceiptPaper;
  /** The language chosen on this tablet's unlock screen; null: the store's (or the browser's). */
  language: Locale | null;
  /** The language this tablet last spoke: it starts in it, before the store's config has arrived. */
  spoken: Locale | null;
}

const StoredLocale = z.nullable(z.enum([...languages, PSEUDO_LOCALE]));

export const useSettingsStore = create<Settings>()(
  persist((): Settings => ({ soundOn: true, receiptPaper: '80mm', language: null, spoken: null }), {
    name: 'pos-settings',
    version: 1,
    storage: createJSONStorage(() => localStorage),
    merge: validatedMerge(
      z.object({
        soundOn: z.boolean(),
        receiptPaper: z._default(z.enum(receiptPapers), '80mm'),
        language: z._default(StoredLocale, null),
        spoken: z._default(StoredLocale, null),
      }),
    ),
  }),
);

export const useSoundOn = () => useSettingsStore((s) => s.soundOn);
export const isSoundOn = () => useSettingsStore.getState().soundOn;
export const useReceiptPaper = () => useSettingsStore((s) => s.receiptPaper);

export function soundToggled(): void {
  useSettingsStore.setState((s) => ({ soundOn: !s.soundOn }));
}

export const useChosenLanguage = () => useSettingsStore((s) => s.language);

export function languageChosen(language: Locale | null): void {
  useSettingsStore.setState({ language });
}

export function languageSpoken(spoken: Locale): void {
  useSettingsStore.setState({ spoken });
}

export function receiptPaperChosen(receiptPaper: ReceiptPaper): void {
  useSettingsStore.setState({ receiptPaper });
}
