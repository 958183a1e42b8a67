import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HistoryBucket, HistoryGroup } from '../../../contract/reports';
import { formatAmount } from '../../lib/money';

interface TotalsChartProps {
  buckets: readonly HistoryBucket[];
  group: HistoryGroup;
  currency: string;
  /** A sentence for screen readers; the table next to the chart has the numbers. */
  summary: string;
}

export function bucketLabel(date: string, group: HistoryGroup): string {
  if (group === 'hour') return `${date.slice(11, 13)}:00`;
  if (group === 'month') return date;
  return date.slice(5); // MM-DD
}

/** Gross (amount + tip) per bucket as bars. */
export function TotalsChart({ buckets, group, currency, summary }: TotalsChartProps) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const labels = buckets.map((b) => bucketLabel(b.date, group));
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
            values: (_u, splits) => splits.map((v) => formatAmount(Math.round(v), currency).replace(/\.00$/, '')),
            size: 80,
            font: '14px system-ui',
          },
        ],
        series: [
          {},
          { label: 'Gross', stroke: '#b45309', fill: '#f59e0b', width: 1, paths: uPlot.paths.bars?.({ size: [0.7, 60] }) },
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
  }, [buckets, group, currency]);

  return <div ref={box} role="img" aria-label={summary} className="w-full" />;
}
