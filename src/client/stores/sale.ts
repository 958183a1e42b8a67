/**
 * The sale in progress: what is on the keypad, the memo, and — once Charge is tapped — the
 * charge attempt with its Idempotency-Key and, when known, its invoice id.
 *
 * Persisted to local storage on every change, so a reload or a crashed tab comes back to the
 * same sale: a charge whose response was lost is re-sent with the same key (the proxy then
 * returns the same invoice), and a charge with an invoice goes straight back to its checkout.
 */
import * as z from 'zod/mini';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { CreateInvoiceRequest, IdempotencyKey, InvoiceId } from '../../contract/api';
import { validatedMerge } from '../lib/persist';
import { applyKey, emptyKeypad, type KeypadKey, type KeypadLimits, type KeypadOutcome, type KeypadState } from '../lib/keypad';

export interface Charge {
  idempotencyKey: string;
  request: CreateInvoiceRequest;
  /** Null until the proxy has answered with the invoice. */
  invoiceId: string | null;
  /** Unix ms of the tap on Charge. */
  startedAt: number;
  /**
   * True once the cashier has seen this attempt fail. Only an attempt that was still on its way
   * when the tab went away is re-sent by itself; a failed one waits for the next tap on Charge.
   */
  failed: boolean;
}

interface SaleState {
  keypad: KeypadState;
  memo: string;
  charge: Charge | null;
}

const PersistedSale = z.object({
  keypad: z.object({ items: z.array(z.int().check(z.gte(0))), entry: z.int().check(z.gte(0)) }),
  memo: z.string(),
  charge: z.nullable(
    z.object({
      idempotencyKey: IdempotencyKey,
      request: CreateInvoiceRequest,
      invoiceId: z.nullable(InvoiceId),
      startedAt: z.number(),
      failed: z.boolean(),
    }),
  ),
});

const initialSale: SaleState = { keypad: emptyKeypad, memo: '', charge: null };

export const useSaleStore = create<SaleState>()(
  persist((): SaleState => initialSale, {
    name: 'pos-sale',
    version: 1,
    storage: createJSONStorage(() => localStorage),
    merge: validatedMerge(PersistedSale),
  }),
);

const newKey = () => crypto.randomUUID();

/** Keys do nothing while a charge is on its way: the amount being charged cannot change. */
export function keyPressed(key: KeypadKey, limits: KeypadLimits): KeypadOutcome {
  const { keypad, charge } = useSaleStore.getState();
  if (charge?.invoiceId) return { accepted: false, state: keypad, reason: 'no_effect' };
  const outcome = applyKey(keypad, key, limits);
  if (outcome.accepted) useSaleStore.setState({ keypad: outcome.state, charge: null });
  return outcome;
}

export function memoChanged(memo: string): void {
  useSaleStore.setState({ memo, charge: null });
}

/**
 * Charge was tapped. Returns the attempt to send, or null when the sale already has its invoice.
 * A retry of the same sale after a failure keeps the key, so it cannot make a second invoice even
 * if the first request did reach the provider.
 */
export function chargeStarted(request: CreateInvoiceRequest): Charge | null {
  const { charge } = useSaleStore.getState();
  if (charge?.invoiceId) return null;
  const sameSale = charge && JSON.stringify(charge.request) === JSON.stringify(request);
  const next: Charge = {
    idempotencyKey: sameSale ? charge.idempotencyKey : newKey(),
    request,
    invoiceId: null,
    startedAt: Date.now(),
    failed: false,
  };
  useSaleStore.setState({ charge: next });
  return next;
}

export function invoiceCreated(idempotencyKey: string, invoiceId: string): void {
  const { charge } = useSaleStore.getState();
  if (charge?.idempotencyKey === idempotencyKey) useSaleStore.setState({ charge: { ...charge, invoiceId } });
}

/** The invoice for the same sale again (after it expired): a new attempt with a new key. */
export function newAttemptFor(request: CreateInvoiceRequest): Charge {
  const next: Charge = { idempotencyKey: newKey(), request, invoiceId: null, startedAt: Date.now(), failed: false };
  useSaleStore.setState({ charge: next });
  return next;
}

/** The attempt failed in a way worth retrying (network, provider): keep its key for the retry. */
export function chargeFailed(idempotencyKey: string): void {
  const { charge } = useSaleStore.getState();
  if (charge?.idempotencyKey === idempotencyKey) useSaleStore.setState({ charge: { ...charge, failed: true } });
}

/** Back to the keypad with the amount still on it (the invoice was cancelled or refused). */
export function chargeAbandoned(): void {
  useSaleStore.setState({ charge: null });
}

/** An invoice was cancelled: if it was this sale's, the sale goes back to the keypad. */
export function invoiceCancelled(invoiceId: string): void {
  if (useSaleStore.getState().charge?.invoiceId === invoiceId) chargeAbandoned();
}

/** Paid: a fresh keypad for the next customer. */
export function saleCompleted(invoiceId: string): void {
  const { charge } = useSaleStore.getState();
  if (charge?.invoiceId === invoiceId) useSaleStore.setState(initialSale);
}

export const useKeypad = () => useSaleStore((state) => state.keypad);
export const useSaleMemo = () => useSaleStore((state) => state.memo);
export const useCharge = () => useSaleStore((state) => state.charge);
