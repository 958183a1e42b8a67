import type { ReactNode } from 'react';
import { useLocation } from 'wouter';
import type { Invoice } from '../../../contract/api';
import { useSendCharge } from '../../api/charge';
import { formatAmount } from '../../lib/money';
import { chargeAbandoned, newAttemptFor, useCharge } from '../../stores/sale';
import { Banner } from '../../ui/Banner';
import { Button } from '../../ui/Button';

function Ended({ title, children, actions }: { title: string; children: ReactNode; actions: ReactNode }) {
  return (
    <main className="flex h-full flex-col items-center justify-center gap-5 p-8 text-center">
      <h1 className="text-6xl font-extrabold">{title}</h1>
      <div className="flex max-w-xl flex-col gap-2 text-xl text-ink-soft">{children}</div>
      <div className="mt-4 flex w-full max-w-md flex-col gap-3">{actions}</div>
    </main>
  );
}

/**
 * Back to the keypad with the sale's amount still on it, to change it or charge again. A new
 * attempt that failed here is dropped too, so the keypad does not re-send it.
 */
function useBackToKeypad(invoiceId: string) {
  const [, navigate] = useLocation();
  const charge = useCharge();
  return () => {
    if (charge && (charge.invoiceId === invoiceId || charge.invoiceId === null)) chargeAbandoned();
    navigate('/');
  };
}

export function ExpiredView({ invoice }: { invoice: Invoice }) {
  const back = useBackToKeypad(invoice.id);
  const { send, isSending, isPending, error } = useSendCharge();
  const again = () => {
    if (isSending()) return;
    send(
      newAttemptFor({
        amount: invoice.amount,
        currency: invoice.currency,
        ...(invoice.memo ? { memo: invoice.memo } : {}),
        ...(invoice.tip > 0 ? { tip: invoice.tip } : {}),
      }),
    );
  };
  return (
    <Ended
      title="Expired"
      actions={
        <>
          {error && <Banner tone="error">Could not create the invoice. {error.message}</Banner>}
          <Button variant="primary" size="large" disabled={isPending} onClick={again}>
            New invoice
          </Button>
          <Button onClick={back}>Back to keypad</Button>
        </>
      }
    >
      <p>
        The invoice for <strong className="text-ink">{formatAmount(invoice.amount + invoice.tip, invoice.currency)}</strong>{' '}
        expired before it was paid. Nothing was received.
      </p>
      <p>Make a new invoice for the same amount, or go back to change it.</p>
    </Ended>
  );
}

export function CancelledView({ invoice }: { invoice: Invoice }) {
  const back = useBackToKeypad(invoice.id);
  return (
    <Ended title="Cancelled" actions={<Button variant="primary" size="large" onClick={back}>Back to keypad</Button>}>
      <p>
        The invoice for <strong className="text-ink">{formatAmount(invoice.amount + invoice.tip, invoice.currency)}</strong>{' '}
        was cancelled. Nothing was received.
      </p>
    </Ended>
  );
}

export function NotFoundView({ id }: { id: string }) {
  const back = useBackToKeypad(id);
  return (
    <Ended title="Invoice not found" actions={<Button variant="primary" size="large" onClick={back}>Back to keypad</Button>}>
      <p>The payment provider does not know this invoice. The sale's amount is still on the keypad.</p>
    </Ended>
  );
}
