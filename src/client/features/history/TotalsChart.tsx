import { useLingui } from '@lingui/react/macro';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { SAT, toDecimalString } from '../../../contract/money';
import type { HistoryBucket, HistoryGroup } from '../../../contract/reports';
import { intlLocale } from '../../i18n/format';
import { formatAmount } from '../../lib/money';

interface TotalsChartProps {
  buckets: readonly HistoryBucket[];
  group: HistoryGroup;
  currency: string;
  /** A sentence for screen readers; the table next to the chart has the numbers. */
  summary: string;
}

/**
 * A bucket's local date (`2026-11-22`, `2026-11-22T10`, `2026-11`) read as UTC, so that `Intl`
 * names it without moving it to another zone.
 */
const bucketTime = (date: string) => Date.parse(date.length === 7 ? `${date}-01T00:00:00Z` : date.length === 10 ? `${date}T00:00:00Z` : `${date}:00:00Z`);

const format = (date: string, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(intlLocale(), { ...options, timeZone: 'UTC' }).format(bucketTime(date));

/** A store's local day, in the POS's language (`Nov 22, 2026`, `22.11.2026`). */
export const dayLabel = (date: string) => format(date, { dateStyle: 'medium' });

/** Under a bar of the chart: `10:00`, `11/22`, `Nov`. */
export function bucketLabel(date: string, group: HistoryGroup): string {
  if (group === 'hour') return format(date, { hour: '2-digit', minute: '2-digit' });
  if (group === 'month') return format(date, { month: 'short' });
  return format(date, { month: 'numeric', day: 'numeric' });
}

/** A row of the totals table: `11/22, 10:00`, `11/22/2026`, `Nov 2026`. */
export function bucketName(date: string, group: HistoryGroup): string {
  if (group === 'hour') return format(date, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  if (group === 'month') return format(date, { month: 'short', year: 'numeric' });
  return format(date, { dateStyle: 'short' });
}

/** Gross (amount + tip) per bucket as bars. */
export function TotalsChart({ buckets, group, currency, summary }: TotalsChartProps) {
  const { t } = useLingui();
  const box = useRef<HTMLDivElement>(null);
  const grossLabel = t`Gross`;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const labels = buckets.map((b) => bucketLabel(b.date, group));
    // Whole amounts without their decimals (`$20`, `20 €`), as an axis shows them.
    const whole = currency === SAT ? null : new Intl.NumberFormat(intlLocale(), { style: 'currency', currency, trailingZeroDisplay: 'stripIfInteger' });
    const axisAmount = (amount: number) => (whole ? whole.format(toDecimalString(amount, currency)) : formatAmount(amount, currency));
    const data: uPlot.AlignedData = [buckets.map((_, i) => i), buckets.map((b) => b.amount + b.tip)];
    const chart = new uPlot(
      {
        width: element.clientWidth,
        height: 240,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.6, Math.max(buckets.length - 0.4, 0.6)] }, y: { range: (_u, _min, max) => [0, Math.max(max, 1) * 1.1] } },
        axes: [
          {
            stroke: '#374151',
            grid: { show: false },
            splits: () => buckets.map((_, i) => i),
            values: (_u, splits) => splits.map((i) => labels[i] ?? ''),
            font: '14px system-ui',
          },
          {
            stroke: '#374151',
            grid: { stroke: '#e5e7eb' },
            values: (_u, splits) => splits.map((v) => axisAmount(Math.round(v))),
            size: 80,
            font: '14px system-ui',
          },
        ],
        series: [
          {},
          { label: grossLabel, stroke: '#b45309', fill: '#f59e0b', width: 1, paths: uPlot.paths.bars?.({ size: [0.7, 60] }) },
        ],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: 240 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [buckets, group, currency, grossLabel]);

  return <div ref={box} role="img" aria-label={summary} className="w-full" />;
}
