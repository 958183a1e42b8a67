/**
 * The sale in progress: what is on the keypad, the memo, and — once Charge is tapped — the
 * charge attempt (sale/rules.ts) with its Idempotency-Key and, when known, its invoice id.
 *
 * Persisted to local storage on every change, so a reload or a crashed tab comes back to the
 * same sale: a charge whose response was lost is re-sent with the same key (the proxy then
 * returns the same invoice), and a charge with an invoice goes straight back to its checkout.
 * Actions are named as the events they record; the rules decide what each one does.
 */
import * as z from 'zod/mini';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { CreateInvoiceRequest, IdempotencyKey, InvoiceId, type InvoiceStatus } from '../../contract/api';
import { applyKey, emptyKeypad, type KeypadKey, type KeypadLimits, type KeypadOutcome, type KeypadState } from '../lib/keypad';
import { validatedMerge } from '../lib/persist';
import { step, type Charge, type ChargeEvent, type Step } from './rules';

export type { Charge } from './rules';

interface SaleState {
  keypad: KeypadState;
  memo: string;
  charge: Charge | null;
  /** The invoice last parked with Sell, to say so on the keypad (not persisted). */
  parkedInvoiceId: string | null;
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

const initialSale: SaleState = { keypad: emptyKeypad, memo: '', charge: null, parkedInvoiceId: null };

export const useSaleStore = create<SaleState>()(
  persist((): SaleState => initialSale, {
    name: 'pos-sale',
    version: 1,
    storage: createJSONStorage(() => localStorage),
    partialize: ({ keypad, memo, charge }) => ({ keypad, memo, charge }),
    merge: validatedMerge(PersistedSale),
  }),
);

const newKey = () => crypto.randomUUID();

/** Applies one event to the attempt; returns the attempt to send, if any. */
function record(event: ChargeEvent): Step {
  const result = step(useSaleStore.getState().charge, event);
  if (result.clearSale) {
    useSaleStore.setState({ keypad: emptyKeypad, memo: '', charge: result.charge, parkedInvoiceId: result.parked && event.type === 'left' ? event.invoiceId : null });
  } else {
    useSaleStore.setState({ charge: result.charge });
  }
  return result;
}

/** Keys do nothing while the sale has its invoice: the amount being charged cannot change. */
export function keyPressed(key: KeypadKey, limits: KeypadLimits): KeypadOutcome {
  const { keypad, charge } = useSaleStore.getState();
  if (charge?.invoiceId) return { accepted: false, state: keypad, reason: 'no_effect' };
  const outcome = applyKey(keypad, key, limits);
  if (outcome.accepted) {
    record({ type: 'edited' });
    useSaleStore.setState({ keypad: outcome.state, parkedInvoiceId: null });
  }
  return outcome;
}

export function memoChanged(memo: string): void {
  if (record({ type: 'edited' }).refused) return;
  useSaleStore.setState({ memo });
}

/** Charge (or a tip choice) was tapped. Returns the attempt to send, or null. */
export function chargeTapped(request: CreateInvoiceRequest, inFlight: boolean): Charge | null {
  useSaleStore.setState({ parkedInvoiceId: null });
  return record({ type: 'tapped', request, now: Date.now(), newKey: newKey(), inFlight }).send;
}

/** "New invoice" for the same sale after its invoice expired: a new attempt with a new key. */
export function newInvoiceAsked(request: CreateInvoiceRequest): Charge {
  const { send } = record({ type: 'newInvoice', request, now: Date.now(), newKey: newKey() });
  if (!send) throw new Error('a new invoice is always sent');
  return send;
}

export function chargeAnswered(idempotencyKey: string, invoiceId: string): void {
  record({ type: 'answered', key: idempotencyKey, invoiceId });
}

export function chargeFailed(idempotencyKey: string, transient: boolean, leavingPage: boolean): void {
  record({ type: 'failed', key: idempotencyKey, transient, leavingPage });
}

/** The page is back: the attempt to re-send by itself, if any. */
export function chargeResumed(inFlight: boolean): Charge | null {
  return record({ type: 'resumed', now: Date.now(), inFlight }).send;
}

/** The cashier left the checkout of `invoiceId` (Sell, Back to keypad, Cancel). */
export function checkoutLeft(invoiceId: string, status: InvoiceStatus | undefined): void {
  record({ type: 'left', invoiceId, status });
}

export function invoicePaid(invoiceId: string): void {
  record({ type: 'paid', invoiceId });
}

export const useKeypad = () => useSaleStore((state) => state.keypad);
export const useSaleMemo = () => useSaleStore((state) => state.memo);
export const useCharge = () => useSaleStore((state) => state.charge);
export const useParkedInvoiceId = () => useSaleStore((state) => state.parkedInvoiceId);
