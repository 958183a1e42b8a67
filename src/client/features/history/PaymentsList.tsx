import { useLingui } from '@lingui/react/macro';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { invoiceStatuses, MANAGER_AS_CASHIER, type Invoice, type InvoiceStatus } from '../../../contract/api';
import { cashiersQuery, paymentsQuery, type ReportRange } from '../../api/reports';
import { useConfig } from '../../api/config';
import { cashierLabel } from '../../lib/cashier';
import { intlLocale } from '../../i18n/format';
import { formatAmount, formatSats } from '../../lib/money';
import { Button } from '../../ui/Button';
import { ErrorText } from '../../ui/ErrorText';
import { statusLabel, StatusBadge } from '../../ui/StatusBadge';
import { InvoiceDialog } from './InvoiceDialog';

export const PAGE_SIZE = 20;

interface PaymentsListProps {
  range: ReportRange;
  status: InvoiceStatus | undefined;
  cashier: string | undefined;
  page: number;
  onStatus: (status: InvoiceStatus | undefined) => void;
  onCashier: (cashier: string | undefined) => void;
  onPage: (page: number) => void;
}

/** Every invoice of the range, newest first, paged by the proxy. */
export function PaymentsList({ range, status, cashier, page, onStatus, onCashier, onPage }: PaymentsListProps) {
  const { t } = useLingui();
  const { timezone } = useConfig();
  const [open, setOpen] = useState<Invoice | null>(null);
  const query = useQuery(
    paymentsQuery({ ...range, ...(status ? { status } : {}), ...(cashier ? { cashier } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
  );
  const staff = useQuery(cashiersQuery()).data?.data ?? [];
  const total = query.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const locale = intlLocale();
  const time = new Intl.DateTimeFormat(locale, { timeZone: timezone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const count = new Intl.NumberFormat(locale);
  const first = count.format(total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1);
  const last = count.format(Math.min(total, page * PAGE_SIZE));
  const of = count.format(total);

  return (
    <section aria-labelledby="payments-heading" className="rounded-3xl bg-panel p-5 shadow-sm print:hidden">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="payments-heading" className="text-2xl font-bold">
          {t`Payments`}
        </h2>
        <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-2 text-lg">
          <span>{t`Cashier`}</span>
          <select
            value={cashier ?? ''}
            onChange={(event) => onCashier(event.target.value || undefined)}
            className="h-touch max-w-56 rounded-key border-2 border-line bg-white px-3 text-lg"
          >
            <option value="">{t`Everyone`}</option>
            {staff.map((member) => (
              <option key={member.id} value={member.id}>
                {cashierLabel(member)}
              </option>
            ))}
            <option value={MANAGER_AS_CASHIER.id}>{cashierLabel(MANAGER_AS_CASHIER)}</option>
            <option value="none">{cashierLabel(null)}</option>
          </select>
        </label>
        <label className="flex items-center gap-2 text-lg">
          <span>{t`Status`}</span>
          <select
            value={status ?? ''}
            onChange={(event) => onStatus(invoiceStatuses.find((s) => s === event.target.value))}
            className="h-touch rounded-key border-2 border-line bg-white px-3 text-lg"
          >
            <option value="">{t`All`}</option>
            {invoiceStatuses.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
        </div>
      </div>

      {query.isError && (
        <p role="alert" className="mt-3 text-lg text-danger">
          {t`The payments could not be loaded.`} <ErrorText error={query.error} />
        </p>
      )}

      <div className="mt-3 overflow-x-auto">
        <table className="w-full text-left text-lg">
          <caption className="sr-only">{t`Payments, newest first`}</caption>
          <thead className="border-b-2 border-line text-base text-ink-soft">
            <tr>
              <th scope="col" className="py-2 pr-3 font-semibold">{t`Time`}</th>
              <th scope="col" className="py-2 pr-3 text-right font-semibold">{t`Amount`}</th>
              <th scope="col" className="py-2 pr-3 text-right font-semibold">{t`Tip`}</th>
              <th scope="col" className="py-2 pr-3 font-semibold">{t`Cashier`}</th>
              <th scope="col" className="py-2 pr-3 font-semibold">{t`Memo`}</th>
              <th scope="col" className="py-2 font-semibold">{t`Status`}</th>
            </tr>
          </thead>
          <tbody>
            {query.data?.data.map((invoice) => (
              <tr key={invoice.id} className="border-b border-line/60">
                <td className="py-1 pr-3 whitespace-nowrap">
                  <button
                    type="button"
                    onClick={() => setOpen(invoice)}
                    className="min-h-touch text-left font-medium text-focus underline-offset-4 hover:underline"
                  >
                    {time.format(Date.parse(invoice.paidAt ?? invoice.createdAt))}
                  </button>
                </td>
                <td className="py-1 pr-3 text-right tabular-nums whitespace-nowrap">
                  <div className="font-semibold">{formatAmount(invoice.amount + invoice.tip, invoice.currency)}</div>
                  {invoice.currency !== 'SAT' && invoice.amountSats > 0 && (
                    <div className="text-base text-ink-soft">{formatSats(invoice.amountSats)}</div>
                  )}
                </td>
                <td className="py-1 pr-3 text-right tabular-nums">{formatAmount(invoice.tip, invoice.currency)}</td>
                <td className="max-w-40 py-1 pr-3 wrap-break-word">{cashierLabel(invoice.cashier)}</td>
                <td className="max-w-56 truncate py-1 pr-3" title={invoice.memo || undefined}>
                  {invoice.memo || '—'}
                </td>
                <td className="py-1">
                  <StatusBadge status={invoice.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {query.data && total === 0 && (
          <p className="py-6 text-center text-lg text-ink-soft">{cashier ? t`No payments of this cashier in this range.` : t`No payments in this range.`}</p>
        )}
      </div>

      <nav aria-label={t`Pages of payments`} className="mt-3 flex items-center justify-between gap-3">
        <p className="text-lg text-ink-soft" aria-live="polite">
          {total > 0 ? t`${first}–${last} of ${of}` : ''}
        </p>
        <div className="flex gap-2">
          <Button disabled={page <= 1} onClick={() => onPage(page - 1)}>
            {t`Newer`}
          </Button>
          <Button disabled={page >= pages} onClick={() => onPage(page + 1)}>
            {t`Older`}
          </Button>
        </div>
      </nav>
      {open && <InvoiceDialog invoice={open} onClose={() => setOpen(null)} />}
    </section>
  );
}
