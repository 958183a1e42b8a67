/**
 * The manager's dashboard: today at a glance, totals by hour/day/month in the store's time zone,
 * every payment, and the day's cash-up. Loaded only when opened (it carries the chart and CSV
 * libraries), so the cashier screen does not pay for it.
 */
import { msg, plural } from '@lingui/core/macro';
import type { MessageDescriptor } from '@lingui/core';
import { Plural, Trans, useLingui } from '@lingui/react/macro';
import { useQuery } from '@tanstack/react-query';
import { useCallback, type ReactNode } from 'react';
import { useLocation, useSearch } from 'wouter';
import type { InvoiceStatus } from '../../../contract/api';
import { historyGroups, type HistoryBucket, type HistoryGroup } from '../../../contract/reports';
import { historyQuery } from '../../api/reports';
import { useConfig } from '../../api/config';
import { formatAmount, formatSats } from '../../lib/money';
import { Button } from '../../ui/Button';
import { ErrorText } from '../../ui/ErrorText';
import { Cashup } from './Cashup';
import { PaymentsList } from './PaymentsList';
import { RangePicker } from './RangePicker';
import { apiRange, autoGroup, presetDays, readView, writeView, type DashboardView, type Preset } from './range';
import { TodayCard } from './TodayCard';
import { useToday } from './useToday';
import { bucketName, dayLabel, TotalsChart } from './TotalsChart';

const groupLabels: Record<HistoryGroup, MessageDescriptor> = { hour: msg`By hour`, day: msg`By day`, month: msg`By month` };
const tableCaptions: Record<HistoryGroup, MessageDescriptor> = { hour: msg`Totals per hour`, day: msg`Totals per day`, month: msg`Totals per month` };

/** `children`: panels the app adds below the reports (the devices panel). */
export default function HistoryScreen({ children }: { children?: ReactNode }) {
  const { t } = useLingui();
  const search = useSearch();
  const [location, navigate] = useLocation();
  const today = useToday();
  const view = readView(search, today);
  const show = useCallback((next: DashboardView) => navigate(`${location}${writeView(next)}`, { replace: true }), [location, navigate]);

  const onPreset = (preset: Exclude<Preset, 'custom'>) => {
    const days = presetDays(preset, today);
    show({ ...view, preset, ...days, group: autoGroup(days.first, days.last), page: 1 });
  };
  const onCustom = (first: string, last: string) => show({ ...view, preset: 'custom', first, last, group: autoGroup(first, last), page: 1 });
  const cashupDate = view.first === view.last ? view.first : today;

  return (
    <main className="h-full overflow-auto print:overflow-visible">
      <div className="mx-auto flex max-w-6xl flex-col gap-4 p-4 print:p-0">
        <h1 className="text-3xl font-bold print:hidden">{t`History`}</h1>
        <TodayCard />
        <RangePicker key={`${view.preset}:${view.first}:${view.last}`} view={view} onPreset={onPreset} onCustom={onCustom} />
        <Totals view={view} onGroup={(group) => show({ ...view, group })} />
        <PaymentsList
          range={apiRange(view)}
          status={view.status}
          cashier={view.cashier}
          page={view.page}
          onStatus={(status: InvoiceStatus | undefined) => show({ ...view, status, page: 1 })}
          onCashier={(cashier) => show({ ...view, cashier, page: 1 })}
          onPage={(page) => show({ ...view, page })}
        />
        <Cashup date={cashupDate} onDate={(date) => show({ ...view, preset: 'custom', first: date, last: date, group: 'hour', page: 1 })} />
        {children}
      </div>
    </main>
  );
}

function Totals({ view, onGroup }: { view: DashboardView; onGroup: (group: HistoryGroup) => void }) {
  const { t, i18n } = useLingui();
  const { currency } = useConfig();
  const query = useQuery(historyQuery(apiRange(view), view.group));
  const buckets: HistoryBucket[] = query.data?.data ?? [];
  const sum = buckets.reduce((acc, b) => ({ count: acc.count + b.count, gross: acc.gross + b.amount + b.tip, sats: acc.sats + b.amountSats, tip: acc.tip + b.tip }), {
    count: 0,
    gross: 0,
    sats: 0,
    tip: 0,
  });
  const gross = formatAmount(sum.gross, currency);
  const sats = formatSats(sum.sats);
  const tips = formatAmount(sum.tip, currency);
  const count = sum.count;
  const range = view.first === view.last ? dayLabel(view.first) : `${dayLabel(view.first)} – ${dayLabel(view.last)}`;
  // The chart's accessible name (in English "Gross by day: $375.92 in 30 paid sales", as before the languages).
  const summary =
    view.group === 'hour'
      ? plural(count, { one: `Gross by hour: ${gross} in # paid sale`, other: `Gross by hour: ${gross} in # paid sales` })
      : view.group === 'day'
        ? plural(count, { one: `Gross by day: ${gross} in # paid sale`, other: `Gross by day: ${gross} in # paid sales` })
        : plural(count, { one: `Gross by month: ${gross} in # paid sale`, other: `Gross by month: ${gross} in # paid sales` });

  return (
    <section aria-labelledby="totals-heading" className="rounded-3xl bg-panel p-5 shadow-sm print:hidden">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="totals-heading" className="text-2xl font-bold">
          {t`Totals`} <span className="text-lg font-normal text-ink-soft">{range}</span>
        </h2>
        <div role="group" aria-label={t`Group totals`} className="flex flex-wrap gap-2">
          {historyGroups.map((group) => (
            <Button key={group} aria-pressed={view.group === group} variant={view.group === group ? 'primary' : 'secondary'} onClick={() => onGroup(group)}>
              {i18n._(groupLabels[group])}
            </Button>
          ))}
        </div>
      </div>
      <p className="mt-2 text-xl" data-testid="range-total">
        <Trans>
          <strong className="tabular-nums">{gross}</strong> from <Plural value={count} one="# paid sale" other="# paid sales" /> ·{' '}
          <span className="tabular-nums">{sats}</span> · tips {tips}
        </Trans>
      </p>
      {query.isError && (
        <p role="alert" className="mt-2 text-lg text-danger">
          {t`The totals could not be loaded.`} <ErrorText error={query.error} />
        </p>
      )}
      <div className="mt-3 grid gap-4 landscape:grid-cols-[3fr_2fr]">
        <div className="min-w-0">
          {buckets.length > 0 ? (
            <TotalsChart buckets={buckets} group={view.group} currency={currency} summary={summary} />
          ) : (
            <p className="py-10 text-center text-lg text-ink-soft">{query.isPending ? t`Loading…` : t`No paid sales in this range.`}</p>
          )}
        </div>
        <div className="max-h-72 overflow-auto">
          <table className="w-full text-left text-lg whitespace-nowrap">
            <caption className="sr-only">{i18n._(tableCaptions[view.group])}</caption>
            <thead className="sticky top-0 border-b-2 border-line bg-panel text-base text-ink-soft">
              <tr>
                <th scope="col" className="py-1 pr-3 font-semibold">{view.group === 'hour' ? t`Hour` : view.group === 'day' ? t`Day` : t`Month`}</th>
                <th scope="col" className="py-1 pr-3 text-right font-semibold">{t`Sales`}</th>
                <th scope="col" className="py-1 pr-3 text-right font-semibold">{t`Gross`}</th>
                <th scope="col" className="py-1 text-right font-semibold">{t`Sats`}</th>
              </tr>
            </thead>
            <tbody>
              {buckets.map((bucket) => (
                <tr key={bucket.date} className="border-b border-line/60">
                  <th scope="row" className="py-1 pr-3 font-medium tabular-nums">
                    {bucketName(bucket.date, view.group)}
                  </th>
                  <td className="py-1 pr-3 text-right tabular-nums">{bucket.count}</td>
                  <td className="py-1 pr-3 text-right tabular-nums">{formatAmount(bucket.amount + bucket.tip, currency)}</td>
                  <td className="py-1 text-right tabular-nums">{formatSats(bucket.amountSats)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
