/**
 * The dashboard's date range: a preset or custom local dates of the store, kept in the URL so a
 * reload or a shared link shows the same report. Ranges are inclusive for people (1–7 Nov) and
 * exclusive for the API (`to` = the day after).
 */
import { msg } from '@lingui/core/macro';
import type { MessageDescriptor } from '@lingui/core';
import type { InvoiceStatus } from '../../../contract/api';
import type { HistoryGroup } from '../../../contract/reports';
import { InvoiceStatus as InvoiceStatusSchema } from '../../../contract/api';
import { addDays, daysBetween, startOfMonth } from '../../../contract/dates';

export const presets = ['today', 'yesterday', '7d', 'month', 'custom'] as const;
export type Preset = (typeof presets)[number];

export const presetLabels: Record<Preset, MessageDescriptor> = {
  today: msg`Today`,
  yesterday: msg`Yesterday`,
  '7d': msg`Last 7 days`,
  month: msg`This month`,
  custom: msg`Custom`,
};

export interface DashboardView {
  preset: Preset;
  /** First day shown, inclusive. */
  first: string;
  /** Last day shown, inclusive. */
  last: string;
  /** Chosen by hand, or by the length of the range. */
  group: HistoryGroup;
  status: InvoiceStatus | undefined;
  /** The payments of one cashier (their id), or of sales made before cashiers were recorded (`none`). */
  cashier: string | undefined;
  page: number;
}

const isDate = (value: string | null): value is string => value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value);

/** The first and last day a preset covers, seen from `today`. */
export function presetDays(preset: Exclude<Preset, 'custom'>, today: string): { first: string; last: string } {
  switch (preset) {
    case 'today':
      return { first: today, last: today };
    case 'yesterday':
      return { first: addDays(today, -1), last: addDays(today, -1) };
    case '7d':
      return { first: addDays(today, -6), last: today };
    case 'month':
      return { first: startOfMonth(today), last: today };
  }
}

/** Hours for a day or two, days up to about three months, months beyond. */
export function autoGroup(first: string, last: string): HistoryGroup {
  const days = daysBetween(first, last) + 1;
  if (days <= 2) return 'hour';
  return days <= 92 ? 'day' : 'month';
}

/** The view a URL's query asks for; anything unreadable falls back to today. */
export function readView(search: string, today: string): DashboardView {
  const params = new URLSearchParams(search);
  const asked = params.get('range');
  const preset: Preset = presets.find((p) => p === asked) ?? 'today';
  let { first, last } = preset === 'custom' ? { first: today, last: today } : presetDays(preset, today);
  if (preset === 'custom') {
    const from = params.get('from');
    const to = params.get('to');
    if (isDate(from) && isDate(to) && from <= to) ({ first, last } = { first: from, last: to });
  }
  const group = params.get('group');
  const status = InvoiceStatusSchema.options.find((s) => s === params.get('status'));
  const cashierParam = params.get('cashier');
  const cashier = cashierParam !== null && /^(?:[0-9a-f]{8}|manager|none)$/.test(cashierParam) ? cashierParam : undefined;
  const page = Math.max(1, Math.floor(Number(params.get('page')) || 1));
  return {
    preset,
    first,
    last,
    group: group === 'hour' || group === 'day' || group === 'month' ? group : autoGroup(first, last),
    status,
    cashier,
    page,
  };
}

/** The URL query for a view (only what differs from the defaults). */
export function writeView(view: DashboardView): string {
  const params = new URLSearchParams();
  if (view.preset !== 'today') params.set('range', view.preset);
  if (view.preset === 'custom') {
    params.set('from', view.first);
    params.set('to', view.last);
  }
  if (view.group !== autoGroup(view.first, view.last)) params.set('group', view.group);
  if (view.status) params.set('status', view.status);
  if (view.cashier) params.set('cashier', view.cashier);
  if (view.page > 1) params.set('page', String(view.page));
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The API's range for a view: local dates, `to` exclusive. */
export function apiRange(view: Pick<DashboardView, 'first' | 'last'>): { from: string; to: string } {
  return { from: view.first, to: addDays(view.last, 1) };
}
