import { useLingui } from '@lingui/react/macro';
import { useQuery } from '@tanstack/react-query';
import { useId, useRef } from 'react';
import { invoiceStatuses } from '../../../contract/api';
import { cashupQuery } from '../../api/reports';
import { useConfig } from '../../api/config';
import { cashierLabel } from '../../lib/cashier';
import { intlLocale } from '../../i18n/format';
import { formatAmount, formatSats } from '../../lib/money';
import { useNow } from '../../lib/useNow';
import { Button } from '../../ui/Button';
import { ErrorText } from '../../ui/ErrorText';
import { statusLabel } from '../../ui/StatusBadge';
import { download, paymentsCsv } from './csv';

interface CashupProps {
  date: string;
  onDate: (date: string) => void;
}

/**
 * One day's cash-up: counts and sums by status and by cashier, tips, first and last sale, and every payment.
 * It is what the History page prints (A4, or an 80 mm receipt printer) and what the CSV holds.
 */
export function Cashup({ date, onDate }: CashupProps) {
  const { t } = useLingui();
  const { currency, timezone } = useConfig();
  const report = useRef<HTMLElement>(null);
  const dateId = useId();
  const query = useQuery(cashupQuery(date));
  const cashup = query.data;
  const locale = intlLocale();
  // Printed on the report: when the page was last shown, to the minute.
  const now = useNow(60_000);
  const time = new Intl.DateTimeFormat(locale, { timeZone: timezone, hour: '2-digit', minute: '2-digit' });
  const longDate = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' }).format(Date.parse(`${date}T12:00:00Z`));
  const count = new Intl.NumberFormat(locale);
  const printedAt = new Intl.DateTimeFormat(locale, { timeZone: timezone, dateStyle: 'medium', timeStyle: 'short' }).format(now);

  const print = (format: 'a4' | 'receipt') => {
    const element = report.current;
    if (!element) return;
    element.classList.toggle('receipt', format === 'receipt');
    window.addEventListener('afterprint', () => element.classList.remove('receipt'), { once: true });
    window.print();
  };

  return (
    <section ref={report} aria-labelledby="cashup-heading" className="cashup-report rounded-3xl bg-panel p-5 shadow-sm">
      <div className="flex flex-wrap items-end justify-between gap-3 print:hidden">
        <h2 id="cashup-heading" className="text-2xl font-bold">
          {t`Cash-up`}
        </h2>
        <div className="flex flex-wrap items-end gap-2">
          <label htmlFor={dateId} className="flex flex-col text-base">
            {t`Day`}
            <input
              id={dateId}
              type="date"
              value={date}
              onChange={(event) => event.target.value && onDate(event.target.value)}
              className="h-touch rounded-key border-2 border-line bg-white px-3 text-lg"
            />
          </label>
          <Button onClick={() => print('a4')} disabled={!cashup}>
            {t`Print`}
          </Button>
          <Button onClick={() => print('receipt')} disabled={!cashup}>
            {t`Print receipt`}
          </Button>
          <Button
            variant="primary"
            disabled={!cashup}
            onClick={() => cashup && download(`cashup-${cashup.date}.csv`, paymentsCsv(cashup.payments, cashup.timezone))}
          >
            {t`Download CSV`}
          </Button>
        </div>
      </div>

      {query.isError && (
        <p role="alert" className="mt-3 text-lg text-danger">
          {t`The cash-up could not be loaded.`} <ErrorText error={query.error} />
        </p>
      )}
      {cashup && (
        <div className="mt-3">
          <div className="hidden print:block">
            <p className="text-xl font-bold">{cashup.storeName}</p>
            <p className="font-semibold">{t`Cash-up`}</p>
          </div>
          <p className="text-lg">
            {longDate} <span className="text-ink-soft">({cashup.timezone})</span>
          </p>
          {/* A phone scrolls the tables sideways rather than cut them off. */}
          <div className="overflow-x-auto print:overflow-visible">
            <table className="mt-2 w-full text-left text-lg" data-testid="cashup-totals">
              <caption className="sr-only">{t`Totals by status`}</caption>
              <thead className="border-b-2 border-line text-base text-ink-soft">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-semibold">{t`Status`}</th>
                  <th scope="col" className="py-1 pr-3 text-right font-semibold">{t`Count`}</th>
                  <th scope="col" className="py-1 pr-3 text-right font-semibold">{t`Amount`}</th>
                  <th scope="col" className="py-1 pr-3 text-right font-semibold">{t`Tips`}</th>
                  <th scope="col" className="py-1 text-right font-semibold">{t`Sats`}</th>
                </tr>
              </thead>
              <tbody>
                {invoiceStatuses.map((status) => {
                  const totals = cashup.totals[status];
                  return (
                    <tr key={status} className="border-b border-line/60">
                      <th scope="row" className="py-1 pr-3 font-medium">{statusLabel(status)}</th>
                      <td className="py-1 pr-3 text-right tabular-nums">{count.format(totals.count)}</td>
                      <td className="py-1 pr-3 text-right tabular-nums">{formatAmount(totals.amount, currency)}</td>
                      <td className="py-1 pr-3 text-right tabular-nums">{formatAmount(totals.tip, currency)}</td>
                      <td className="py-1 text-right tabular-nums">{formatSats(totals.amountSats)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {cashup.cashiers.length > 0 && (
            <>
              {/* Above the table's scroller, so that on a phone it reads whole while the figures scroll. */}
              <h3 id={`${dateId}-cashiers`} className="mt-3 pb-1 text-base font-semibold text-ink-soft">
                {t`Paid sales by cashier`}
              </h3>
              <div className="overflow-x-auto print:overflow-visible">
                <table aria-labelledby={`${dateId}-cashiers`} className="w-full text-left text-lg" data-testid="cashup-cashiers">
                  <thead className="border-b-2 border-line text-base text-ink-soft">
                    <tr>
                      <th scope="col" className="py-1 pr-3 font-semibold">{t`Cashier`}</th>
                      <th scope="col" className="py-1 pr-3 text-right font-semibold">{t`Count`}</th>
                      <th scope="col" className="py-1 pr-3 text-right font-semibold">{t`Gross`}</th>
                      <th scope="col" className="py-1 text-right font-semibold">{t`Tips`}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {cashup.cashiers.map((group) => (
                      <tr key={group.cashier?.id ?? 'none'} className="border-b border-line/60">
                        <th scope="row" className="py-1 pr-3 font-medium">{cashierLabel(group.cashier)}</th>
                        <td className="py-1 pr-3 text-right tabular-nums">{count.format(group.count)}</td>
                        <td className="py-1 pr-3 text-right tabular-nums">{formatAmount(group.amount + group.tip, currency)}</td>
                        <td className="py-1 text-right tabular-nums">{formatAmount(group.tip, currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-lg">
            <dt className="text-ink-soft">{t`Received (paid + tips)`}</dt>
            <dd className="font-bold tabular-nums" data-testid="cashup-received">
              {formatAmount(cashup.totals.paid.amount + cashup.totals.paid.tip, currency)}
            </dd>
            <dt className="text-ink-soft">{t`First sale`}</dt>
            <dd>{cashup.firstSaleAt ? time.format(Date.parse(cashup.firstSaleAt)) : '—'}</dd>
            <dt className="text-ink-soft">{t`Last sale`}</dt>
            <dd>{cashup.lastSaleAt ? time.format(Date.parse(cashup.lastSaleAt)) : '—'}</dd>
          </dl>
          {cashup.payments.length > 0 && (
            <div className="overflow-x-auto print:overflow-visible">
              <table className="mt-3 w-full text-left text-base">
                <caption className="sr-only">{t`Every payment of the day`}</caption>
                <thead className="border-b border-line text-ink-soft">
                  <tr>
                    <th scope="col" className="py-1 pr-2 font-semibold">{t`Time`}</th>
                    <th scope="col" className="py-1 pr-2 text-right font-semibold">{t`Total`}</th>
                    <th scope="col" className="py-1 pr-2 text-right font-semibold">{t`Tip`}</th>
                    <th scope="col" className="py-1 pr-2 font-semibold">{t`Cashier`}</th>
                    <th scope="col" className="receipt-hide py-1 pr-2 font-semibold">{t`Memo`}</th>
                    <th scope="col" className="py-1 font-semibold">{t`Status`}</th>
                  </tr>
                </thead>
                <tbody>
                  {cashup.payments.map((invoice) => (
                    <tr key={invoice.id} className="border-b border-line/40">
                      <td className="py-0.5 pr-2 tabular-nums">{time.format(Date.parse(invoice.paidAt ?? invoice.createdAt))}</td>
                      <td className="py-0.5 pr-2 text-right tabular-nums">{formatAmount(invoice.amount + invoice.tip, invoice.currency)}</td>
                      <td className="py-0.5 pr-2 text-right tabular-nums">{formatAmount(invoice.tip, invoice.currency)}</td>
                      <td className="max-w-32 py-0.5 pr-2 wrap-break-word">{cashierLabel(invoice.cashier)}</td>
                      <td className="receipt-hide max-w-48 truncate py-0.5 pr-2" title={invoice.memo || undefined}>
                        {invoice.memo}
                      </td>
                      <td className="py-0.5">{statusLabel(invoice.status)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="mt-3 hidden text-sm print:block">{t`Printed ${printedAt}`}</p>
        </div>
      )}
    </section>
  );
}
