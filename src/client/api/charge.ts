/**
 * Sending a charge: create the invoice with the attempt's Idempotency-Key, remember its id in
 * the persisted sale, seed the invoice query, and open the checkout. Used by Charge on the keypad
 * and by "New invoice" after an expiry.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import { useLocation } from 'wouter';
import { ApiError } from '../lib/api';
import { saleMade } from '../stores/recent';
import { chargeAbandoned, chargeFailed, invoiceCreated, type Charge } from '../stores/sale';
import { createInvoice, invoiceQuery } from './invoices';

/**
 * Leaving the page (reload, closing the tab) aborts requests in flight. Such an attempt is not a
 * failure the cashier has seen: it stays "on its way" and is re-sent when the page comes back.
 */
let leavingPage = false;
if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', () => (leavingPage = true));
  window.addEventListener('pageshow', () => (leavingPage = false));
}

export function useSendCharge() {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  // Two taps land before React re-renders; a ref sees the first one at once.
  const sending = useRef(false);
  const mutation = useMutation({
    mutationFn: (attempt: Charge) => createInvoice(attempt.request, attempt.idempotencyKey),
    onSuccess: (invoice, attempt) => {
      invoiceCreated(attempt.idempotencyKey, invoice.id);
      saleMade(invoice.id);
      queryClient.setQueryData(invoiceQuery(invoice.id).queryKey, invoice);
      navigate(`/checkout/${invoice.id}`);
    },
    onError: (error, attempt) => {
      if (leavingPage) return;
      // A refused request would be refused again: the next tap starts a new attempt. A network or
      // provider fault keeps the attempt's key, so the retry cannot make a second invoice.
      if (error instanceof ApiError && error.isTransient) chargeFailed(attempt.idempotencyKey);
      else chargeAbandoned();
    },
    onSettled: () => {
      sending.current = false;
    },
  });
  const { mutate } = mutation;
  const send = useCallback(
    (attempt: Charge) => {
      sending.current = true;
      mutate(attempt);
    },
    [mutate],
  );
  const isSending = useCallback(() => sending.current, []);
  return { send, isSending, isPending: mutation.isPending, error: mutation.error, reset: mutation.reset };
}
