/** Tablet settings that survive a reload. */
import * as z from 'zod/mini';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { validatedMerge } from '../lib/persist';

interface Settings {
  soundOn: boolean;
}

const useSettingsStore = create<Settings>()(
  persist((): Settings => ({ soundOn: true }), {
    name: 'pos-settings',
    version: 1,
    storage: createJSONStorage(() => localStorage),
    merge: validatedMerge(z.object({ soundOn: z.boolean() })),
  }),
);

export const useSoundOn = () => useSettingsStore((s) => s.soundOn);
export const isSoundOn = () => useSettingsStore.getState().soundOn;

export function soundToggled(): void {
  useSettingsStore.setState((s) => ({ soundOn: !s.soundOn }));
}
