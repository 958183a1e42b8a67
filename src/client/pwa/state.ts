/**
 * Whether a new version of the POS is waiting to take over: set by the service worker's
 * registration (loaded after the first paint), read by the mount point. Kept apart so that the
 * first load carries only this and the mount point, not the registration.
 */
import { useSyncExternalStore } from 'react';

/** Lets the waiting version take over; the page reloads into it. */
export type ApplyUpdate = () => void;

let waiting: ApplyUpdate | null = null;
const listeners = new Set<() => void>();

export function updateWaiting(apply: ApplyUpdate): void {
  waiting = apply;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const useWaitingUpdate = (): ApplyUpdate | null => useSyncExternalStore(subscribe, () => waiting);
