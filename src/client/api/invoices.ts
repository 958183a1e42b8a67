import { queryOptions, type Query } from '@tanstack/react-query';
import { Invoice, isFinal, type CreateInvoiceRequest } from '../../contract/api';
import { ApiError, apiRequest } from '../lib/api';

export const POLL_INTERVAL_MS = 1_000;
export const MAX_RETRY_DELAY_MS = 10_000;

/** Re-read a pending invoice every second; stop once it is final. */
export function pollIntervalMs(query: Query<Invoice, Error>): number | false {
  const invoice = query.state.data;
  return invoice && isFinal(invoice.status) ? false : POLL_INTERVAL_MS;
}

/** Network and provider faults are retried (and paused while offline); a 404 or 401 is not. */
export function shouldRetry(_failureCount: number, error: Error): boolean {
  return error instanceof ApiError && error.isTransient;
}

/** Back off while reads fail: 2 s, 4 s, 8 s, then every 10 s until the proxy answers again. */
export function retryDelayMs(failureCount: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, POLL_INTERVAL_MS * 2 ** (failureCount + 1));
}

export const invoicePath = (id: string) => `/invoices/${encodeURIComponent(id)}`;

/** An invoice read at once (the checkout holds its reads: checkoutInvoice.ts). */
export const invoiceQuery = (id: string) =>
  queryOptions({
    queryKey: ['invoices', id],
    queryFn: ({ signal }) => apiRequest(Invoice, invoicePath(id), { signal }),
    refetchInterval: pollIntervalMs,
    refetchIntervalInBackground: true,
    retry: shouldRetry,
    retryDelay: retryDelayMs,
    staleTime: 0,
  });

export const createInvoice = (request: CreateInvoiceRequest, idempotencyKey: string) =>
  apiRequest(Invoice, '/invoices', { method: 'POST', body: request, headers: { 'Idempotency-Key': idempotencyKey } });

export const cancelInvoice = (id: string) =>
  apiRequest(Invoice, `/invoices/${encodeURIComponent(id)}/cancel`, { method: 'POST' });

export const payDemoInvoice = (id: string) =>
  apiRequest(Invoice, `/demo/invoices/${encodeURIComponent(id)}/pay`, { method: 'POST' });
