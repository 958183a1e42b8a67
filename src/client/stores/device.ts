/**
 * This tablet's pairing: the device credential the proxy gave it (sent as `X-POS-Device` when it
 * unlocks). Persisted apart from the session: Lock ends the session, never the pairing. Cleared
 * when the proxy says the tablet is no longer paired (a manager un-paired it).
 */
import * as z from 'zod/mini';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { validatedMerge } from '../lib/persist';

const PairedTablet = z.object({ credential: z.string(), id: z.string(), name: z.string() });
type PairedTablet = z.infer<typeof PairedTablet>;

interface DeviceState {
  device: PairedTablet | null;
  /** The proxy refused the credential this tablet had: the pairing screen says so. */
  unpaired: boolean;
}

const useDeviceStore = create<DeviceState>()(
  persist((): DeviceState => ({ device: null, unpaired: false }), {
    name: 'pos-device',
    version: 1,
    storage: createJSONStorage(() => localStorage),
    merge: validatedMerge(z.object({ device: z.nullable(PairedTablet), unpaired: z.boolean() })),
  }),
);

export function devicePaired(device: PairedTablet): void {
  useDeviceStore.setState({ device, unpaired: false });
}

/** The proxy no longer knows this tablet's credential. */
export function deviceForgotten(): void {
  if (useDeviceStore.getState().device) useDeviceStore.setState({ device: null, unpaired: true });
}

export const currentDeviceCredential = (): string | null => useDeviceStore.getState().device?.credential ?? null;
export const useDevice = () => useDeviceStore((state) => state.device);
export const useWasUnpaired = () => useDeviceStore((state) => state.unpaired);
