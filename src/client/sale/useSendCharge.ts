/**
 * Sending a charge attempt: create the invoice with the attempt's Idempotency-Key and record the
 * outcome in the sale (sale/rules.ts decides what it means). Where the screen goes next is the
 * caller's choice (`onCreated`); what must be remembered is recorded even if the caller is gone.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useEffectEvent } from 'react';
import type { CreateInvoiceRequest, Invoice } from '../../contract/api';
import { invoiceKeys, useCreateInvoice } from '../api/invoices';
import { ApiError } from '../lib/api';
import { useLeavingPage } from '../lib/useLeavingPage';
import { saleMade } from '../stores/recent';
import { chargeAnswered, chargeFailed, chargeResumed, chargeTapped, newInvoiceAsked, type Charge } from './store';

export function useSendCharge() {
  const queryClient = useQueryClient();
  const leavingPage = useLeavingPage();
  const create = useCreateInvoice({
    onSuccess: (invoice, attempt) => {
      chargeAnswered(attempt.idempotencyKey, invoice.id);
      saleMade(invoice.id, Date.now(), invoice.cashier?.id);
    },
    onError: (error, attempt) => {
      // A 401 is no answer about the sale: after unlocking, the retry keeps the key too.
      const transient = !(error instanceof ApiError) || error.isTransient || error.endsSession;
      chargeFailed(attempt.idempotencyKey, transient, leavingPage());
    },
  });
  const { mutate } = create;
  // Two taps land before React re-renders; the mutation cache knows at once that one is on its way
  // (from this screen or another, e.g. the resume after a reload).
  const inFlight = useCallback(() => queryClient.isMutating({ mutationKey: invoiceKeys.create() }) > 0, [queryClient]);

  const send = useCallback(
    (attempt: Charge | null, onCreated: (invoice: Invoice) => void) => {
      if (!attempt) return;
      mutate({ request: attempt.request, idempotencyKey: attempt.idempotencyKey }, { onSuccess: onCreated });
    },
    [mutate],
  );

  return {
    /** Charge (or a tip choice) for `request`; nothing is sent twice for one sale. */
    charge: (request: CreateInvoiceRequest, onCreated: (invoice: Invoice) => void) => send(chargeTapped(request, inFlight()), onCreated),
    /** A new invoice for the same sale after the last one expired. */
    chargeAgain: (request: CreateInvoiceRequest, onCreated: (invoice: Invoice) => void) => {
      if (!inFlight()) send(newInvoiceAsked(request), onCreated);
    },
    /** The attempt that was on its way when the page went away, if it is still worth sending. */
    resume: (onCreated: (invoice: Invoice) => void) => send(chargeResumed(inFlight()), onCreated),
    inFlight,
    isPending: create.isPending,
    error: create.error,
    reset: create.reset,
  };
}

/**
 * Back from a reload or a crash mid-charge: re-send the attempt found on its way (same key, so the
 * proxy answers with the invoice it already made), once, when the unlocked app starts.
 */
export function useResumeCharge(onCreated: (invoice: Invoice) => void): void {
  const { resume } = useSendCharge();
  const atStart = useEffectEvent(() => resume(onCreated));
  useEffect(() => atStart(), []);
}
