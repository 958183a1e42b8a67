/**
 * A cashier's own shift: their paid sales and tips today, and every sale they charged today with
 * its status. Only their own: the proxy answers a cashier about nobody else (GET /api/shift).
 */
import { useLingui } from '@lingui/react/macro';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { shiftQuery } from '../../api/reports';
import { useConfig } from '../../api/config';
import { intlLocale } from '../../i18n/format';
import { cashierLabel } from '../../lib/cashier';
import { formatAmount } from '../../lib/money';
import { useSession } from '../../stores/session';
import { ErrorText } from '../../ui/ErrorText';
import { StatusBadge } from '../../ui/StatusBadge';

export default function ShiftScreen() {
  const { t } = useLingui();
  const { currency, timezone } = useConfig();
  const session = useSession();
  const query = useQuery(shiftQuery(session?.cashier?.id ?? session?.role ?? ''));
  const shift = query.data;
  const locale = intlLocale();
  const time = new Intl.DateTimeFormat(locale, { timeZone: timezone, hour: '2-digit', minute: '2-digit' });
  const longDate = shift
    ? new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.parse(`${shift.date}T12:00:00Z`))
    : '';

  return (
    <main className="h-full overflow-auto">
      <div className="mx-auto flex max-w-3xl flex-col gap-4 p-3 sm:p-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h1 className="text-3xl font-bold">{t`My shift`}</h1>
          {shift && (
            <p className="text-lg text-ink-soft">
              {cashierLabel(shift.cashier)} · {longDate}
            </p>
          )}
        </div>
        {query.isError && !shift && (
          <p role="alert" className="text-lg text-danger">
            {t`Your shift could not be loaded.`} <ErrorText error={query.error} context="shift" />
          </p>
        )}
        {!shift && !query.isError && <p className="text-lg text-ink-soft">{t`Loading…`}</p>}
        {shift && (
          <>
            <section aria-label={t`My totals today`} className="rounded-3xl bg-panel p-4 shadow-sm sm:p-5">
              <p className="text-lg text-ink-soft">{t`Paid today, with tips`}</p>
              {/* A long currency format ("345,68 US$") must fit a 360 px phone: as the history's today total. */}
              <p data-testid="shift-total" className="text-[length:min(2.25rem,9vw)] leading-tight font-extrabold tabular-nums wrap-anywhere sm:text-5xl">
                {formatAmount(shift.totals.amount + shift.totals.tip, currency)}
              </p>
              <dl className="mt-3 grid grid-cols-2 gap-3">
                <div className="rounded-xl bg-canvas px-3 py-2">
                  <dt className="text-base text-ink-soft">{t`Paid sales`}</dt>
                  <dd className="text-2xl font-bold tabular-nums" data-testid="shift-count">
                    {shift.totals.count}
                  </dd>
                </div>
                <div className="rounded-xl bg-canvas px-3 py-2">
                  <dt className="text-base text-ink-soft">{t`My tips`}</dt>
                  <dd className="text-2xl font-bold tabular-nums" data-testid="shift-tips">
                    {formatAmount(shift.totals.tip, currency)}
                  </dd>
                </div>
              </dl>
            </section>
            <section aria-labelledby="shift-sales-heading" className="rounded-3xl bg-panel p-4 shadow-sm sm:p-5">
              <h2 id="shift-sales-heading" className="text-2xl font-bold">
                {t`My sales today`}
              </h2>
              {shift.sales.length === 0 ? (
                <p className="py-6 text-center text-lg text-ink-soft">{t`No sales yet today.`}</p>
              ) : (
                <div className="mt-2 overflow-x-auto">
                  <table className="w-full text-left text-base sm:text-lg">
                    <caption className="sr-only">{t`My sales today, newest first`}</caption>
                    <thead className="border-b-2 border-line text-sm text-ink-soft sm:text-base">
                      <tr>
                        <th scope="col" className="py-1 pr-2 sm:pr-3 font-semibold">{t`Time`}</th>
                        <th scope="col" className="py-1 pr-2 sm:pr-3 text-right font-semibold">{t`Total`}</th>
                        <th scope="col" className="py-1 pr-2 sm:pr-3 text-right font-semibold">{t`Tip`}</th>
                        <th scope="col" className="py-1 font-semibold">{t`Status`}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {shift.sales.map((invoice) => (
                        <tr key={invoice.id} className="border-b border-line/60">
                          <td className="py-1 pr-2 sm:pr-3 tabular-nums">
                            <Link href={`/checkout/${invoice.id}`} className="inline-flex min-h-touch items-center font-medium text-focus underline-offset-4 hover:underline">
                              {time.format(Date.parse(invoice.paidAt ?? invoice.createdAt))}
                            </Link>
                          </td>
                          <td className="py-1 pr-2 sm:pr-3 text-right tabular-nums">{formatAmount(invoice.amount + invoice.tip, invoice.currency)}</td>
                          <td className="py-1 pr-2 sm:pr-3 text-right tabular-nums">{formatAmount(invoice.tip, invoice.currency)}</td>
                          <td className="py-1">
                            <StatusBadge status={invoice.status} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          </>
        )}
      </div>
    </main>
  );
}
