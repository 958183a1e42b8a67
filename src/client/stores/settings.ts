/** Tablet settings that survive a reload: each tablet has its own speaker and its own printer. */
import * as z from 'zod/mini';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { validatedMerge } from '../lib/persist';

export const receiptPapers = ['80mm', 'a4'] as const;
export type ReceiptPaper = (typeof receiptPapers)[number];

interface Settings {
  soundOn: boolean;
  /** The paper of the printer beside this tablet: an 80 mm thermal roll or A4. */
  receiptPaper: ReceiptPaper;
}

export const useSettingsStore = create<Settings>()(
  persist((): Settings => ({ soundOn: true, receiptPaper: '80mm' }), {
    name: 'pos-settings',
    version: 1,
    storage: createJSONStorage(() => localStorage),
    merge: validatedMerge(z.object({ soundOn: z.boolean(), receiptPaper: z._default(z.enum(receiptPapers), '80mm') })),
  }),
);

export const useSoundOn = () => useSettingsStore((s) => s.soundOn);
export const isSoundOn = () => useSettingsStore.getState().soundOn;
export const useReceiptPaper = () => useSettingsStore((s) => s.receiptPaper);

export function soundToggled(): void {
  useSettingsStore.setState((s) => ({ soundOn: !s.soundOn }));
}

export function receiptPaperChosen(receiptPaper: ReceiptPaper): void {
  useSettingsStore.setState({ receiptPaper });
}
