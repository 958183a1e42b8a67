import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { InvoiceStatus } from '../../contract/api';
import { Cashup, History, PaymentsPage, type HistoryGroup } from '../../contract/reports';
import { apiRequest } from '../lib/api';

/** Report ranges are local dates of the store; `to` is exclusive. */
export interface ReportRange {
  from: string;
  to: string;
}

const search = (params: Record<string, string | number | undefined>) => {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
  return query.toString();
};

export const historyQuery = (range: ReportRange, group: HistoryGroup) =>
  queryOptions({
    queryKey: ['history', group, range.from, range.to],
    queryFn: ({ signal }) => apiRequest(History, `/history?${search({ group, ...range })}`, { signal }),
    staleTime: 10_000,
    refetchInterval: 30_000,
    placeholderData: keepPreviousData,
  });

export interface PaymentsFilter extends ReportRange {
  status?: InvoiceStatus;
  limit: number;
  offset: number;
}

export const paymentsQuery = (filter: PaymentsFilter) =>
  queryOptions({
    queryKey: ['payments', filter.from, filter.to, filter.status ?? 'all', filter.limit, filter.offset],
    queryFn: ({ signal }) => apiRequest(PaymentsPage, `/payments?${search({ ...filter })}`, { signal }),
    staleTime: 10_000,
    refetchInterval: 30_000,
    placeholderData: keepPreviousData,
  });

export const cashupQuery = (date: string) =>
  queryOptions({
    queryKey: ['cashup', date],
    queryFn: ({ signal }) => apiRequest(Cashup, `/cashup?${search({ date })}`, { signal }),
    staleTime: 10_000,
  });
