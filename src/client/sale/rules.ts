/**
 * The charge attempt's rules, as one pure function: never two invoices for one sale.
 *
 * A sale becomes an invoice through an *attempt*: the request (amount, tip, memo) and an
 * Idempotency-Key. The proxy answers the same key with the same invoice, so every retry of an
 * attempt whose answer may have been lost reuses its key, and only a sale that is known to have
 * no invoice (refused, cancelled, expired and asked for again, or changed on the keypad) gets a
 * new one. `step(charge, event)` says what the attempt becomes and whether to send it now; the
 * store applies it and the sending hook does the network part.
 */
import type { CreateInvoiceRequest, InvoiceStatus } from '../../contract/api';

export interface Charge {
  idempotencyKey: string;
  request: CreateInvoiceRequest;
  /** Null until the proxy has answered with the invoice. */
  invoiceId: string | null;
  /** Unix ms of the tap that started this attempt. */
  startedAt: number;
  /**
   * True once the cashier has seen this attempt fail. Only an attempt that was still on its way
   * when the tab went away is re-sent by itself; a failed one waits for the next tap.
   */
  failed: boolean;
}

/** A charge older than this is not re-sent by itself after a reload; the cashier taps Charge again. */
export const RESUME_WINDOW_MS = 10 * 60_000;

export type ChargeEvent =
  /** Charge (or a tip choice) was tapped for `request`. `inFlight`: this tab is sending an attempt now. */
  | { type: 'tapped'; request: CreateInvoiceRequest; now: number; newKey: string; inFlight: boolean }
  /** The proxy answered the attempt with `key` with its invoice. */
  | { type: 'answered'; key: string; invoiceId: string }
  /** The attempt with `key` failed: a network or provider fault (`transient`) or a refusal. */
  | { type: 'failed'; key: string; transient: boolean; leavingPage: boolean }
  /** The page came back (reload, a crashed tab reopened). */
  | { type: 'resumed'; now: number; inFlight: boolean }
  /** "New invoice" for the same sale after its invoice expired. */
  | { type: 'newInvoice'; request: CreateInvoiceRequest; now: number; newKey: string }
  /** The keypad or the memo changed the sale. */
  | { type: 'edited' }
  /** The cashier left the checkout of `invoiceId` (Sell, Back to keypad, Cancel) as it stood at `status`. */
  | { type: 'left'; invoiceId: string; status: InvoiceStatus | undefined }
  /** The invoice was paid. */
  | { type: 'paid'; invoiceId: string };

export interface Step {
  charge: Charge | null;
  /** The attempt to send now, if any. */
  send: Charge | null;
  /** The keypad and memo start afresh (paid, or parked while the customer may still pay). */
  clearSale: boolean;
  /** The event could not apply (e.g. editing a sale that has its invoice): nothing changed. */
  refused: boolean;
  /** The sale's invoice was set aside while still payable: it is watched in Recent sales. */
  parked: boolean;
}

const sameRequest = (a: CreateInvoiceRequest, b: CreateInvoiceRequest) =>
  a.amount === b.amount && a.currency === b.currency && (a.tip ?? 0) === (b.tip ?? 0) && (a.memo ?? '') === (b.memo ?? '');

const unchanged = (charge: Charge | null, refused = false): Step => ({ charge, send: null, clearSale: false, refused, parked: false });
const sending = (charge: Charge): Step => ({ charge, send: charge, clearSale: false, refused: false, parked: false });
const cleared = (parked: boolean): Step => ({ charge: null, send: null, clearSale: true, refused: false, parked });

export function step(charge: Charge | null, event: ChargeEvent): Step {
  switch (event.type) {
    case 'tapped': {
      if (charge?.invoiceId) return unchanged(charge, true); // the sale has its invoice: show it
      if (charge && sameRequest(charge.request, event.request)) {
        // A second tap while the first is on its way sends nothing; a retry keeps the key, so
        // the proxy answers with the invoice it may already have made.
        if (event.inFlight) return unchanged(charge);
        return sending({ ...charge, startedAt: event.now, failed: false });
      }
      return sending({ idempotencyKey: event.newKey, request: event.request, invoiceId: null, startedAt: event.now, failed: false });
    }
    case 'answered':
      if (charge?.idempotencyKey !== event.key) return unchanged(charge);
      return unchanged({ ...charge, invoiceId: event.invoiceId, failed: false });
    case 'failed':
      if (charge?.idempotencyKey !== event.key || charge.invoiceId) return unchanged(charge);
      // Leaving the page aborts requests: not a failure anyone saw, so it is re-sent on return.
      if (event.leavingPage) return unchanged(charge);
      // A refused request would be refused again: the next tap starts a new attempt.
      if (!event.transient) return unchanged(null);
      return unchanged({ ...charge, failed: true });
    case 'resumed': {
      if (!charge || charge.invoiceId || charge.failed || event.inFlight) return unchanged(charge);
      if (event.now - charge.startedAt >= RESUME_WINDOW_MS) return unchanged(charge);
      return sending(charge);
    }
    case 'newInvoice':
      return sending({ idempotencyKey: event.newKey, request: event.request, invoiceId: null, startedAt: event.now, failed: false });
    case 'edited':
      if (charge?.invoiceId) return unchanged(charge, true); // the amount being charged cannot change
      return unchanged(null);
    case 'left': {
      // An attempt for another invoice (or none on its way) is not this checkout's business.
      if (charge?.invoiceId !== event.invoiceId) return unchanged(charge);
      switch (event.status) {
        case 'paid':
          return cleared(false);
        case 'expired':
        case 'cancelled':
          // Nothing was received: back to the keypad with the amount, to change it or charge again.
          return unchanged(null);
        default:
          // Still payable (or not known yet): park it. The invoice stays watched in Recent sales,
          // and the keypad is free for the next customer.
          return cleared(true);
      }
    }
    case 'paid':
      if (charge?.invoiceId !== event.invoiceId) return unchanged(charge);
      return cleared(false);
  }
}
