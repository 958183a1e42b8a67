import { useQuery } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useId, useState } from 'react';
import { Redirect } from 'wouter';
import { MEMO_MAX_LENGTH } from '../../../contract/api';
import { amountForSats, priceInMinorUnits, SAT, satsFor } from '../../../contract/money';
import { useSendCharge } from '../../api/charge';
import { rateQuery } from '../../api/meta';
import { useAppConfig } from '../../app/config';
import { formatAmount, formatSats } from '../../lib/money';
import { primeSound } from '../../lib/sound';
import { Banner } from '../../ui/Banner';
import { Button } from '../../ui/Button';
import { Spinner } from '../../ui/Spinner';
import { keyFromKeyboard, totalOf, type KeypadKey } from '../../lib/keypad';
import { chargeStarted, keyPressed, memoChanged, useCharge, useKeypad, useSaleMemo, useSaleStore } from '../../stores/sale';
import { Keypad } from './Keypad';
import { RecentSales } from './RecentSales';

/** A charge older than this is not re-sent by itself after a reload; the cashier taps Charge again. */
const RESUME_WINDOW_MS = 10 * 60_000;
/** Until the rate is known, the proxy's own limit check is the only one. */
const FALLBACK_MAX_TOTAL = 9_999_999_999;
const MAX_ITEMS = 50;

/** The checkout screen's code, fetched while the cashier types so the QR shows at once. */
const loadCheckout = () => import('../checkout/CheckoutScreen');

export function CashierScreen() {
  const config = useAppConfig();
  const keypad = useKeypad();
  const memo = useSaleMemo();
  const charge = useCharge();
  const rate = useQuery(rateQuery());
  const [refusal, setRefusal] = useState<string | null>(null);
  const { send, isSending, isPending: busy, error, reset } = useSendCharge();
  const memoId = useId();

  const currency = config.currency;
  const total = totalOf(keypad);
  const priceMinor = currency !== SAT && rate.data ? priceInMinorUnits(rate.data.btcPrice, currency) : null;
  const maxTotal =
    currency === SAT
      ? config.maxInvoiceSats
      : priceMinor
        ? amountForSats(config.maxInvoiceSats, currency, priceMinor)
        : FALLBACK_MAX_TOTAL;

  const onCharge = () => {
    if (isSending() || total <= 0) return;
    primeSound();
    const trimmed = memo.trim();
    const attempt = chargeStarted({ amount: total, currency, ...(trimmed ? { memo: trimmed } : {}) });
    if (attempt) send(attempt);
  };

  const onKey = (key: KeypadKey) => {
    if (isSending()) return;
    void loadCheckout();
    const outcome = keyPressed(key, { maxTotal, maxItems: MAX_ITEMS });
    if (outcome.accepted) {
      setRefusal(null);
      reset();
    } else if (outcome.reason === 'max_total') {
      setRefusal(`The most one sale can be is ${formatAmount(maxTotal, currency)}.`);
    } else if (outcome.reason === 'max_items') {
      setRefusal(`A sale can add up at most ${MAX_ITEMS} items.`);
    }
  };

  // A physical keyboard works too: digits, Backspace, Delete or Escape to clear, +, Enter to charge.
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    if (event.key === 'Enter') {
      if (target instanceof HTMLButtonElement) return; // Enter on a focused button presses that button
      event.preventDefault();
      onCharge();
      return;
    }
    const key = keyFromKeyboard(event.key);
    if (!key) return;
    event.preventDefault();
    onKey(key);
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  // Back from a reload or a crash mid-charge: re-send the attempt found at start (same key, so
  // the proxy answers with the invoice it already made). Only at mount: a charge started on this
  // screen is already on its way.
  const resumeAtMount = useEffectEvent(() => {
    const pending = useSaleStore.getState().charge;
    if (!pending || pending.invoiceId || pending.failed || isSending()) return;
    if (Date.now() - pending.startedAt < RESUME_WINDOW_MS) send(pending);
  });
  useEffect(() => resumeAtMount(), []);

  if (charge?.invoiceId) return <Redirect to={`/checkout/${charge.invoiceId}`} replace />;

  const approxSats = priceMinor && total > 0 ? satsFor(total, currency, priceMinor) : null;

  return (
    <main className="cashier-layout h-full min-h-0 p-4">
      <h1 className="sr-only">Sell</h1>
      <div className="flex flex-col justify-center rounded-3xl bg-panel px-6 py-5 shadow-sm [grid-area:amount]">
        <p className="min-h-7 truncate text-xl text-ink-muted">
          {keypad.items.length > 0 &&
            [...keypad.items, keypad.entry].map((amount) => formatAmount(amount, currency)).join(' + ')}
        </p>
        <output data-testid="amount" aria-live="polite" className="block truncate text-amount tabular-nums">
          {formatAmount(total, currency)}
        </output>
        <p className="min-h-8 text-2xl text-ink-soft tabular-nums">{approxSats !== null && <>≈ {formatSats(approxSats)}</>}</p>
        <p role="status" className="min-h-7 text-lg font-medium text-warn">
          {refusal}
        </p>
      </div>

      <div className="min-w-0 [grid-area:recent]">
        <RecentSales />
      </div>

      <div className="flex flex-col gap-1 [grid-area:memo]">
        <label htmlFor={memoId} className="text-lg font-semibold">
          Memo <span className="font-normal text-ink-muted">(optional)</span>
        </label>
        <input
          id={memoId}
          type="text"
          value={memo}
          maxLength={MEMO_MAX_LENGTH}
          disabled={busy}
          placeholder="e.g. 2 coffees"
          enterKeyHint="done"
          onChange={(event) => memoChanged(event.target.value.replace(/\p{Cc}/gu, ''))}
          className="h-touch rounded-key border-2 border-line bg-white px-4 text-xl focus:border-focus"
        />
      </div>

      <div className="[grid-area:notice]">
        {error && <Banner tone="error">Could not create the invoice. {error.message}</Banner>}
      </div>

      <div className="min-h-0 [grid-area:keys]">
        <Keypad onKey={onKey} disabled={busy} />
      </div>

      <Button
        variant="primary"
        size="large"
        className="w-full text-3xl [grid-area:charge]"
        disabled={total <= 0 || busy}
        aria-busy={busy}
        onClick={onCharge}
      >
        Charge
        {busy && <Spinner />}
      </Button>
    </main>
  );
}
