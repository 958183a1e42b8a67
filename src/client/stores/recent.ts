/**
 * The tablet's own recent sales (ids only; each is read from the proxy), so a cashier can answer
 * "did it go through?" after the checkout has moved on. Persisted; a day at most, ten at most.
 * Each remembers whose sale it is, so that on a shared tablet a cashier sees only their own.
 */
import * as z from 'zod/mini';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { InvoiceId } from '../../contract/api';
import { validatedMerge } from '../lib/persist';

export const RECENT_MAX = 10;
const RECENT_MAX_AGE_MS = 24 * 3600_000;

interface RecentSale {
  id: string;
  /** Unix ms the invoice was made. */
  at: number;
  /** The id of the cashier who charged it, when the proxy recorded one. */
  cashier?: string | undefined;
}

interface RecentState {
  sales: RecentSale[];
}

const useRecentStore = create<RecentState>()(
  persist((): RecentState => ({ sales: [] }), {
    name: 'pos-recent',
    version: 1,
    storage: createJSONStorage(() => localStorage),
    merge: validatedMerge(z.object({ sales: z.array(z.object({ id: InvoiceId, at: z.number(), cashier: z.optional(z.string()) })) })),
  }),
);

export function saleMade(id: string, at = Date.now(), cashier?: string): void {
  useRecentStore.setState(({ sales }) => ({
    sales: [{ id, at, ...(cashier ? { cashier } : {}) }, ...sales.filter((sale) => sale.id !== id && at - sale.at < RECENT_MAX_AGE_MS)].slice(0, RECENT_MAX),
  }));
}

export const useRecentSales = () => useRecentStore((state) => state.sales);
