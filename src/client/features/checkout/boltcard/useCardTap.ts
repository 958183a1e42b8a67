/**
 * The card reader of one checkout: listens for NFC tags while the invoice is pending, hands a
 * card's LNURL-withdraw link to the proxy, and says what happened. One tap at a time: a tap while
 * one is being answered (or just accepted) does nothing; after a refusal the next tap tries again.
 * Listening stops when the checkout goes away (paid, cancelled, another screen).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { isCardLink } from '../../../../contract/cards';
import { invoiceQuery } from '../../../api/invoices';
import { ApiError } from '../../../lib/api';
import { listenForTags, NfcError, recordTexts, type NdefMessageLike } from '../../../lib/nfc';
import { payWithCard } from './api';

/** How long after "accepted" taps are ignored while the card's payment is on its way. */
export const ACCEPTED_HOLD_MS = 20_000;

/** What went wrong, as the customer would put it. */
export type CardFailure = 'declined' | 'unreachable' | 'not-card' | 'refused' | 'unreadable' | 'other';

export type CardTapState =
  | { step: 'starting' }
  | { step: 'needs-permission' }
  | { step: 'unavailable' }
  | { step: 'listening' }
  | { step: 'reading' }
  | { step: 'accepted'; stale: boolean }
  /** `error`: the proxy's refusal, said in the POS's language when shown; none for a card not read. */
  | { step: 'failed'; failure: CardFailure; error: Error | null };

const failureOf: Record<string, CardFailure> = {
  card_declined: 'declined',
  card_limit: 'declined',
  card_needs_pin: 'declined',
  card_unreachable: 'unreachable',
  card_timeout: 'unreachable',
  card_bad_answer: 'unreachable',
  card_not_withdraw: 'not-card',
  card_link_refused: 'refused',
};

export function useCardTap(invoiceId: string) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<CardTapState>({ step: 'starting' });
  // Taps arrive faster than React re-renders: a ref sees the first one at once.
  const busy = useRef(false);
  const holdTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const scanning = useRef<AbortController | null>(null);

  const tap = useMutation({
    mutationFn: (lnurl: string) => payWithCard(invoiceId, lnurl),
    onSuccess: (result) => {
      if (result.invoice) queryClient.setQueryData(invoiceQuery(invoiceId).queryKey, result.invoice);
      setState({ step: 'accepted', stale: false });
      holdTimer.current = setTimeout(() => {
        busy.current = false;
        setState({ step: 'accepted', stale: true });
      }, ACCEPTED_HOLD_MS);
    },
    onError: (error) => {
      busy.current = false;
      const failure = (error instanceof ApiError && failureOf[error.code]) || 'other';
      setState({ step: 'failed', failure, error });
      // A paid or cancelled invoice (409): the checkout follows what the provider says.
      if (error instanceof ApiError && error.status === 409) void queryClient.invalidateQueries({ queryKey: invoiceQuery(invoiceId).queryKey });
    },
  });
  const { mutate } = tap;

  const onTag = useCallback(
    (message: NdefMessageLike) => {
      if (busy.current) return;
      const link = recordTexts(message).find(isCardLink);
      if (!link) {
        setState({ step: 'failed', failure: 'not-card', error: null });
        return;
      }
      busy.current = true;
      clearTimeout(holdTimer.current);
      setState({ step: 'reading' });
      mutate(link);
    },
    [mutate],
  );

  const onUnreadable = useCallback(() => {
    if (!busy.current) setState({ step: 'failed', failure: 'unreadable', error: null });
  }, []);

  /** Starts the reader; whatever it ends in is set when `scan()` answers. */
  const start = useCallback(() => {
    scanning.current?.abort();
    const controller = new AbortController();
    scanning.current = controller;
    listenForTags({ onTag, onUnreadable }, controller.signal).then(
      () => {
        if (!controller.signal.aborted) setState((current) => (current.step === 'starting' ? { step: 'listening' } : current));
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ step: error instanceof NfcError && error.problem === 'denied' ? 'needs-permission' : 'unavailable' });
      },
    );
  }, [onTag, onUnreadable]);

  useEffect(() => {
    start();
    return () => {
      scanning.current?.abort();
      clearTimeout(holdTimer.current);
    };
  }, [start]);

  /** From a button: Chrome asks for NFC permission only on a tap, the first time. */
  const listen = useCallback(() => {
    setState({ step: 'starting' });
    start();
  }, [start]);

  return { state, listen };
}
