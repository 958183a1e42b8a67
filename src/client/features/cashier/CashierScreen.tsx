import { useLingui } from '@lingui/react/macro';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useEffectEvent, useId, useState } from 'react';
import { Redirect, useLocation } from 'wouter';
import { MEMO_MAX_LENGTH, type Invoice } from '../../../contract/api';
import { invoiceKeys } from '../../api/invoices';
import { useConfig } from '../../api/config';
import { keyFromKeyboard, totalOf, type KeypadKey } from '../../lib/keypad';
import { formatAmount } from '../../lib/money';
import { primeSound } from '../../lib/sound';
import { MAX_ITEMS, useSaleLimits } from '../../sale/limits';
import { keyPressed, memoChanged, useCharge, useKeypad, useParkedInvoiceId, useSaleMemo } from '../../sale/store';
import { useSendCharge } from '../../sale/useSendCharge';
import { Banner } from '../../ui/Banner';
import { Button } from '../../ui/Button';
import { ErrorText } from '../../ui/ErrorText';
import { Keypad } from '../../ui/Keypad';
import { Spinner } from '../../ui/Spinner';

// Both fill in once their data arrives anyway (the rate, the recent invoices): their code loads
// alongside, off the first load.
const RateNote = lazy(() => import('./RateNote'));
const RecentSales = lazy(() => import('./RecentSales'));

interface CashierScreenProps {
  /** Fetches the code of the screens that follow Charge while the cashier types. */
  warmUp: () => void;
}

export function CashierScreen({ warmUp }: CashierScreenProps) {
  const { t } = useLingui();
  const config = useConfig();
  const keypad = useKeypad();
  const memo = useSaleMemo();
  const charge = useCharge();
  const parkedInvoiceId = useParkedInvoiceId();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [refusal, setRefusal] = useState<'max_total' | 'max_items' | null>(null);
  const { rate, maxTotal, approxSats } = useSaleLimits();
  const sender = useSendCharge();
  const busy = sender.isPending;
  const memoId = useId();

  const currency = config.currency;
  const total = totalOf(keypad);
  const tipping = config.tipPercents.length > 0;
  const parked = parkedInvoiceId ? queryClient.getQueryData<Invoice>(invoiceKeys.detail(parkedInvoiceId)) : undefined;

  const onCharge = () => {
    if (sender.inFlight() || total <= 0) return;
    primeSound();
    if (tipping) {
      // The customer chooses the tip; the invoice is made for amount + tip on the next screen.
      navigate('/tip');
      return;
    }
    const trimmed = memo.trim();
    sender.charge({ amount: total, currency, ...(trimmed ? { memo: trimmed } : {}) }, (invoice) => navigate(`/checkout/${invoice.id}`));
  };

  const onKey = (key: KeypadKey) => {
    if (sender.inFlight()) return;
    warmUp();
    const outcome = keyPressed(key, { maxTotal, maxItems: MAX_ITEMS });
    if (outcome.accepted) {
      setRefusal(null);
      sender.reset();
    } else if (outcome.reason !== 'no_effect') {
      setRefusal(outcome.reason);
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

  // The sale has its invoice (a reload, or back from another screen): its checkout shows it.
  if (charge?.invoiceId) return <Redirect to={`/checkout/${charge.invoiceId}`} replace />;

  const status = statusLine();
  function statusLine(): string | null {
    if (refusal === 'max_total') {
      const most = formatAmount(maxTotal, currency);
      return t`The most one sale can be is ${most}.`;
    }
    if (refusal === 'max_items') return t`A sale can add up at most ${MAX_ITEMS} items.`;
    if (parked) {
      const amount = formatAmount(parked.amount + parked.tip, parked.currency);
      return t`Sale of ${amount} parked: it stays in Recent sales and turns Paid there if the customer pays.`;
    }
    if (parkedInvoiceId) return t`Sale parked: it stays in Recent sales and turns Paid there if the customer pays.`;
    return null;
  }

  return (
    <main className="cashier-layout h-full min-h-0">
      <h1 className="sr-only">{t`Sell`}</h1>
      <div className="flex min-w-0 flex-col justify-center rounded-3xl bg-panel px-4 py-2 shadow-sm [grid-area:amount] sm:px-6 sm:py-4">
        {keypad.items.length > 0 && (
          <p className="truncate text-lg text-ink-muted sm:text-xl">
            {[...keypad.items, keypad.entry].map((amount) => formatAmount(amount, currency)).join(' + ')}
          </p>
        )}
        <output data-testid="amount" aria-live="polite" className="block truncate text-amount tabular-nums">
          {formatAmount(total, currency)}
        </output>
        <Suspense fallback={<p className="min-h-6" />}>
          <RateNote rate={rate} approxSats={approxSats(total)} currency={currency} />
        </Suspense>
        <p role="status" className={`text-base font-medium text-warn sm:text-lg ${status ? '' : 'sr-only'}`}>
          {status}
        </p>
      </div>

      <div className="min-w-0 [grid-area:recent]">
        <Suspense fallback={null}>
          <RecentSales />
        </Suspense>
      </div>

      <div className="flex items-center gap-3 [grid-area:memo] sm:flex-col sm:items-stretch sm:gap-1">
        <label htmlFor={memoId} className="shrink-0 text-lg font-semibold">
          {t`Memo`} <span className="font-normal text-ink-muted max-sm:sr-only">{t`(optional)`}</span>
        </label>
        <input
          id={memoId}
          type="text"
          value={memo}
          maxLength={MEMO_MAX_LENGTH}
          disabled={busy}
          placeholder={t`e.g. 2 coffees`}
          enterKeyHint="done"
          onChange={(event) => memoChanged(event.target.value.replace(/\p{Cc}/gu, ''))}
          className="h-12 min-w-0 rounded-key border-2 border-line bg-white px-4 text-xl focus:border-focus max-sm:flex-1 sm:h-touch"
        />
      </div>

      <div className="[grid-area:notice] empty:hidden">
        {sender.error && (
          <Banner tone="error">
            {t`Could not create the invoice.`} <ErrorText error={sender.error} context="create" />
          </Banner>
        )}
      </div>

      <div className="min-h-0 [grid-area:keys]">
        <Keypad onKey={onKey} disabled={busy} />
      </div>

      <Button
        variant="primary"
        size="large"
        className="w-full text-3xl [grid-area:charge] max-sm:min-h-13"
        disabled={total <= 0 || busy}
        aria-busy={busy}
        onClick={onCharge}
      >
        {t`Charge`}
        {busy && <Spinner />}
      </Button>
    </main>
  );
}
