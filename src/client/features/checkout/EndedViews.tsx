import { Trans, useLingui } from '@lingui/react/macro';
import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import type { Invoice } from '../../../contract/api';
import { isWatchingLate, lateWatchUntil } from '../../api/invoices';
import { formatAmount } from '../../lib/money';
import { formatCountdown, useNow } from '../../lib/useNow';
import { checkoutLeft } from '../../sale/store';
import { useSendCharge } from '../../sale/useSendCharge';
import { Banner } from '../../ui/Banner';
import { Button } from '../../ui/Button';
import { ErrorText } from '../../ui/ErrorText';
import { Spinner } from '../../ui/Spinner';

function Ended({ title, children, actions }: { title: string; children: ReactNode; actions: ReactNode }) {
  return (
    <main className="flex h-full flex-col items-center justify-center gap-4 overflow-auto p-4 text-center sm:gap-5 sm:p-8">
      <h1 className="text-5xl font-extrabold sm:text-6xl">{title}</h1>
      <div className="flex max-w-xl flex-col gap-2 text-xl text-ink-soft">{children}</div>
      <div className="mt-2 flex w-full max-w-md flex-col gap-3 sm:mt-4">{actions}</div>
    </main>
  );
}

/** Back to the keypad with the sale's amount still on it, to change it or charge again. */
function useBackToKeypad(invoice: Pick<Invoice, 'id'> & Partial<Pick<Invoice, 'status'>>) {
  const [, navigate] = useLocation();
  return () => {
    checkoutLeft(invoice.id, invoice.status ?? 'cancelled');
    navigate('/');
  };
}

const saleRequest = (invoice: Invoice) => ({
  amount: invoice.amount,
  currency: invoice.currency,
  ...(invoice.memo ? { memo: invoice.memo } : {}),
  ...(invoice.tip > 0 ? { tip: invoice.tip } : {}),
});

/**
 * Expired: nothing was received, as far as the provider knows yet. A wallet may still have paid
 * just before the end and be reported late, so the invoice is watched a while longer (the screen
 * turns to Paid if it was), and a new invoice while it is watched needs the cashier to confirm.
 */
export function ExpiredView({ invoice }: { invoice: Invoice }) {
  const { t } = useLingui();
  const back = useBackToKeypad(invoice);
  const [, navigate] = useLocation();
  const now = useNow();
  const watching = isWatchingLate(invoice, now);
  const { chargeAgain, isPending, error } = useSendCharge();
  const confirm = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (!watching) confirm.current?.close();
  }, [watching]);

  const again = () => {
    confirm.current?.close();
    chargeAgain(saleRequest(invoice), (next) => navigate(`/checkout/${next.id}`));
  };
  const total = formatAmount(invoice.amount + invoice.tip, invoice.currency);
  const left = formatCountdown(lateWatchUntil(invoice) - now);
  return (
    <Ended
      title={t`Expired`}
      actions={
        <>
          {error && (
            <Banner tone="error">
              {t`Could not create the invoice.`} <ErrorText error={error} context="create" />
            </Banner>
          )}
          <Button variant="primary" size="large" disabled={isPending} onClick={() => (watching ? confirm.current?.showModal() : again())}>
            {t`New invoice`}
          </Button>
          <Button onClick={back}>{t`Back to keypad`}</Button>
          <dialog
            ref={confirm}
            aria-labelledby="late-heading"
            aria-describedby="late-text"
            className="m-auto w-[min(92vw,34rem)] rounded-3xl p-0 text-left text-ink shadow-2xl backdrop:bg-black/50"
          >
            <div className="flex flex-col gap-4 p-6">
              <h2 id="late-heading" className="text-2xl font-bold">
                {t`The customer may already have paid`}
              </h2>
              <p id="late-text" className="text-lg">
                {t`A payment for the expired invoice can still arrive for ${left}. Ask the customer before making a new invoice, or they may pay twice.`}
              </p>
              <div className="flex flex-wrap justify-end gap-3">
                <Button onClick={() => confirm.current?.close()}>{t`Keep watching`}</Button>
                <Button variant="primary" onClick={again}>
                  {t`Make a new invoice`}
                </Button>
              </div>
            </div>
          </dialog>
        </>
      }
    >
      <p>
        <Trans>
          The invoice for <strong className="text-ink">{total}</strong> expired before it was paid. Nothing was received.
        </Trans>
      </p>
      {watching ? (
        <p role="status" className="flex items-center justify-center gap-3 font-semibold text-ink">
          <Spinner className="size-5 text-brand-strong" />
          {t`Still watching for a late payment…`}
        </p>
      ) : (
        <p>{t`Make a new invoice for the same amount, or go back to change it.`}</p>
      )}
    </Ended>
  );
}

export function CancelledView({ invoice }: { invoice: Invoice }) {
  const { t } = useLingui();
  const back = useBackToKeypad(invoice);
  const total = formatAmount(invoice.amount + invoice.tip, invoice.currency);
  return (
    <Ended
      title={t`Cancelled`}
      actions={
        <Button variant="primary" size="large" onClick={back}>
          {t`Back to keypad`}
        </Button>
      }
    >
      <p>
        <Trans>
          The invoice for <strong className="text-ink">{total}</strong> was cancelled. Nothing was received.
        </Trans>
      </p>
    </Ended>
  );
}

export function NotFoundView({ id }: { id: string }) {
  const { t } = useLingui();
  const back = useBackToKeypad({ id });
  return (
    <Ended
      title={t`Invoice not found`}
      actions={
        <Button variant="primary" size="large" onClick={back}>
          {t`Back to keypad`}
        </Button>
      }
    >
      <p>{t`The payment provider does not know this invoice. The sale’s amount is still on the keypad.`}</p>
    </Ended>
  );
}
