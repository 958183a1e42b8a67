/**
 * What wouter imports from `use-sync-external-store/shim` (vite.config.ts points it here): that
 * package backports the hook to React before 18 and, on React 18 and later, hands out React's
 * own. The POS runs React 19, so React's own it is, without the backport's code on the first load.
 */
export { useSyncExternalStore } from 'react';
