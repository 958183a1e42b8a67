/**
 * The manager's dashboard: today at a glance, totals by hour/day/month in the store's time zone,
 * every payment, and the day's cash-up. Loaded only when opened (it carries the chart and CSV
 * libraries), so the cashier screen does not pay for it.
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, type ReactNode } from 'react';
import { useLocation, useSearch } from 'wouter';
import type { InvoiceStatus } from '../../../contract/api';
import { historyGroups, type HistoryBucket, type HistoryGroup } from '../../../contract/reports';
import { historyQuery } from '../../api/reports';
import { useConfig } from '../../api/config';
import { formatAmount, formatSats } from '../../lib/money';
import { Button } from '../../ui/Button';
import { Cashup } from './Cashup';
import { PaymentsList } from './PaymentsList';
import { RangePicker } from './RangePicker';
import { apiRange, autoGroup, presetDays, readView, writeView, type DashboardView, type Preset } from './range';
import { TodayCard } from './TodayCard';
import { useToday } from './useToday';
import { bucketLabel, TotalsChart } from './TotalsChart';

const groupLabels: Record<HistoryGroup, string> = { hour: 'By hour', day: 'By day', month: 'By month' };

/** `children`: panels the app adds below the reports (the devices panel). */
export default function HistoryScreen({ children }: { children?: ReactNode }) {
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
        <h1 className="text-3xl font-bold print:hidden">History</h1>
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
  const { currency } = useConfig();
  const query = useQuery(historyQuery(apiRange(view), view.group));
  const buckets: HistoryBucket[] = query.data?.data ?? [];
  const sum = buckets.reduce((acc, b) => ({ count: acc.count + b.count, gross: acc.gross + b.amount + b.tip, sats: acc.sats + b.amountSats, tip: acc.tip + b.tip }), {
    count: 0,
    gross: 0,
    sats: 0,
    tip: 0,
  });
  const summary = `Gross ${groupLabels[view.group].toLowerCase()}: ${formatAmount(sum.gross, currency)} in ${sum.count} paid sales`;

  return (
    <section aria-labelledby="totals-heading" className="rounded-3xl bg-panel p-5 shadow-sm print:hidden">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="totals-heading" className="text-2xl font-bold">
          Totals{' '}
          <span className="text-lg font-normal text-ink-soft">
            {view.first === view.last ? view.first : `${view.first} – ${view.last}`}
          </span>
        </h2>
        <div role="group" aria-label="Group totals" className="flex gap-2">
          {historyGroups.map((group) => (
            <Button key={group} aria-pressed={view.group === group} variant={view.group === group ? 'primary' : 'secondary'} onClick={() => onGroup(group)}>
              {groupLabels[group]}
            </Button>
          ))}
        </div>
      </div>
      <p className="mt-2 text-xl" data-testid="range-total">
        <strong className="tabular-nums">{formatAmount(sum.gross, currency)}</strong> from {sum.count} paid {sum.count === 1 ? 'sale' : 'sales'} ·{' '}
        <span className="tabular-nums">{formatSats(sum.sats)}</span> · tips {formatAmount(sum.tip, currency)}
      </p>
      {query.isError && <p role="alert" className="mt-2 text-lg text-danger">The totals could not be loaded. {query.error.message}</p>}
      <div className="mt-3 grid gap-4 landscape:grid-cols-[3fr_2fr]">
        <div className="min-w-0">
          {buckets.length > 0 ? (
            <TotalsChart buckets={buckets} group={view.group} currency={currency} summary={summary} />
          ) : (
            <p className="py-10 text-center text-lg text-ink-soft">{query.isPending ? 'Loading…' : 'No paid sales in this range.'}</p>
          )}
        </div>
        <div className="max-h-72 overflow-auto">
          <table className="w-full text-left text-lg whitespace-nowrap">
            <caption className="sr-only">Totals per {view.group}</caption>
            <thead className="sticky top-0 border-b-2 border-line bg-panel text-base text-ink-soft">
              <tr>
                <th scope="col" className="py-1 pr-3 font-semibold">{view.group === 'hour' ? 'Hour' : view.group === 'day' ? 'Day' : 'Month'}</th>
                <th scope="col" className="py-1 pr-3 text-right font-semibold">Sales</th>
                <th scope="col" className="py-1 pr-3 text-right font-semibold">Gross</th>
                <th scope="col" className="py-1 text-right font-semibold">Sats</th>
              </tr>
            </thead>
            <tbody>
              {buckets.map((bucket) => (
                <tr key={bucket.date} className="border-b border-line/60">
                  <th scope="row" className="py-1 pr-3 font-medium tabular-nums">
                    {view.group === 'hour' ? `${bucket.date.slice(5, 10)} ${bucketLabel(bucket.date, 'hour')}` : bucket.date}
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
