import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { InvoiceStatus } from '../../contract/api';
import { Cashup, CashierList, History, PaymentsPage, Shift, type HistoryGroup } from '../../contract/reports';
import { apiRequest } from '../lib/api';

/** Report ranges are local dates of the store; `to` is exclusive. */
export interface ReportRange {
  from: string;
  to: string;
}

export interface PaymentsFilter extends ReportRange {
  status?: InvoiceStatus;
  /** A cashier's id, or `none` for sales made before the POS recorded cashiers. */
  cashier?: string;
  limit: number;
  offset: number;
}

export const reportKeys = {
  all: ['reports'] as const,
  history: (range: ReportRange, group: HistoryGroup) => [...reportKeys.all, 'history', { group, ...range }] as const,
  payments: (filter: PaymentsFilter) => [...reportKeys.all, 'payments', filter] as const,
  cashup: (date: string) => [...reportKeys.all, 'cashup', date] as const,
  cashiers: () => [...reportKeys.all, 'cashiers'] as const,
  shift: (cashierId: string) => [...reportKeys.all, 'shift', cashierId] as const,
};

const search = (params: Record<string, string | number | undefined>) => {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
  return query.toString();
};

export const historyQuery = (range: ReportRange, group: HistoryGroup) =>
  queryOptions({
    queryKey: reportKeys.history(range, group),
    queryFn: ({ signal }) => apiRequest(History, `/history?${search({ group, ...range })}`, { signal }),
    staleTime: 10_000,
    refetchInterval: 30_000,
    placeholderData: keepPreviousData,
  });

export const paymentsQuery = (filter: PaymentsFilter) =>
  queryOptions({
    queryKey: reportKeys.payments(filter),
    queryFn: ({ signal }) => apiRequest(PaymentsPage, `/payments?${search({ ...filter })}`, { signal }),
    staleTime: 10_000,
    refetchInterval: 30_000,
    placeholderData: keepPreviousData,
  });

export const cashupQuery = (date: string) =>
  queryOptions({
    queryKey: reportKeys.cashup(date),
    queryFn: ({ signal }) => apiRequest(Cashup, `/cashup?${search({ date })}`, { signal }),
    staleTime: 10_000,
  });

/** The staff list (manager): the payments list's cashier filter offers these. */
export const cashiersQuery = () =>
  queryOptions({
    queryKey: reportKeys.cashiers(),
    queryFn: ({ signal }) => apiRequest(CashierList, '/cashiers', { signal }),
    staleTime: 5 * 60_000,
  });

/** The signed-in cashier's own day (kept apart per cashier: one tablet, many cashiers). */
export const shiftQuery = (cashierId: string) =>
  queryOptions({
    queryKey: reportKeys.shift(cashierId),
    queryFn: ({ signal }) => apiRequest(Shift, '/shift', { signal }),
    staleTime: 5_000,
    refetchInterval: 30_000,
  });
