import { useLingui } from '@lingui/react/macro';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { Invoice } from '../../../contract/api';
import { useConfig } from '../../api/config';
import { invoiceQuery, useCheckInvoice } from '../../api/invoices';
import { intlLocale } from '../../i18n/format';
import { formatAmount, formatSats } from '../../lib/money';
import { Button } from '../../ui/Button';
import { ErrorText } from '../../ui/ErrorText';
import { receiptOf } from '../../../contract/receipts';
import { PrintReceipt } from '../../ui/receipt/PrintReceipt';
import { StatusBadge } from '../../ui/StatusBadge';

/**
 * One invoice, read afresh from the provider, with "Check again" for the customer who says
 * "I paid!": the answer is the provider's, never the screen's.
 */
export function InvoiceDialog({ invoice, onClose }: { invoice: Invoice; onClose: () => void }) {
  const { t } = useLingui();
  const config = useConfig();
  const { timezone } = config;
  const dialog = useRef<HTMLDialogElement>(null);
  const live = useQuery({ ...invoiceQuery(invoice.id), initialData: invoice, refetchInterval: false, staleTime: 0 });
  const check = useCheckInvoice();
  const current = live.data;
  const receipt = receiptOf(current, config);
  const checking = live.isFetching || check.isPending;
  const failure = check.error ?? live.error;
  const time = new Intl.DateTimeFormat(intlLocale(), { timeZone: timezone, dateStyle: 'medium', timeStyle: 'medium' });
  const total = formatAmount(current.amount + current.tip, current.currency);
  const checkedAt = new Intl.DateTimeFormat(intlLocale(), { timeZone: timezone, timeStyle: 'medium' }).format(live.dataUpdatedAt);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    element.showModal();
    const closed = () => onClose();
    element.addEventListener('close', closed);
    return () => element.removeEventListener('close', closed);
  }, [onClose]);

  return (
    <dialog
      ref={dialog}
      aria-labelledby="invoice-heading"
      className="m-auto w-[min(92vw,40rem)] rounded-3xl p-0 text-ink shadow-2xl backdrop:bg-black/50"
    >
      <div className="flex flex-col gap-4 p-6">
        <div className="flex items-start justify-between gap-4">
          <h2 id="invoice-heading" className="text-2xl font-bold">
            {t`Invoice ${total}`}
          </h2>
          <StatusBadge status={current.status} />
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-lg">
          <dt className="text-ink-soft">{t`Amount`}</dt>
          <dd className="tabular-nums">{formatAmount(current.amount, current.currency)}</dd>
          <dt className="text-ink-soft">{t`Tip`}</dt>
          <dd className="tabular-nums">{formatAmount(current.tip, current.currency)}</dd>
          <dt className="text-ink-soft">{t`In sats`}</dt>
          <dd className="tabular-nums">{current.amountSats > 0 ? formatSats(current.amountSats) : t`not known`}</dd>
          <dt className="text-ink-soft">{t`Memo`}</dt>
          <dd className="break-words">{current.memo || '—'}</dd>
          <dt className="text-ink-soft">{t`Made`}</dt>
          <dd>{time.format(Date.parse(current.createdAt))}</dd>
          <dt className="text-ink-soft">{t`Paid`}</dt>
          <dd>{current.paidAt ? time.format(Date.parse(current.paidAt)) : '—'}</dd>
          <dt className="text-ink-soft">{t`Invoice id`}</dt>
          <dd className="font-mono text-sm break-all">{current.id}</dd>
          {current.paymentHash && (
            <>
              <dt className="text-ink-soft">{t`Payment hash`}</dt>
              <dd className="font-mono text-sm break-all">{current.paymentHash}</dd>
            </>
          )}
        </dl>
        <p role="status" aria-live="polite" className="min-h-7 text-lg">
          {checking ? (
            t`Asking the payment provider…`
          ) : failure ? (
            <>
              {t`Could not check:`} <ErrorText error={failure} />
            </>
          ) : (
            live.dataUpdatedAt > 0 && t`Checked with the provider at ${checkedAt}.`
          )}
        </p>
        {receipt && <PrintReceipt receipt={receipt} />}
        <div className="flex flex-wrap justify-end gap-3">
          <Button variant="primary" disabled={checking} onClick={() => check.mutate(current.id)}>
            {t`Check again`}
          </Button>
          <Button onClick={() => dialog.current?.close()}>{t`Close`}</Button>
        </div>
      </div>
    </dialog>
  );
}
