/**
 * Invoices: the query every checkout and recent sale reads, how often it is read again, and the
 * mutations that change one (create, cancel, the demo's pay, check again), each writing the
 * answer into the same cache entry so every screen showing the invoice follows.
 */
import { queryOptions, useMutation, useQueryClient, type Query } from '@tanstack/react-query';
import { Invoice, type CreateInvoiceRequest } from '../../contract/api';
import { lateWatchUntil } from '../../contract/late-payments';
import { ApiError, apiRequest } from '../lib/api';

/** Shared with the proxy, which reads such an invoice again for as long. */
export { lateWatchUntil };

export const invoiceKeys = {
  all: ['invoices'] as const,
  details: () => [...invoiceKeys.all, 'detail'] as const,
  detail: (id: string) => [...invoiceKeys.details(), id] as const,
  create: () => [...invoiceKeys.all, 'create'] as const,
};

export const POLL_INTERVAL_MS = 1_000;
/** Recent sales are checked every few seconds, not every second: the checkout does that. */
export const RECENT_POLL_MS = 5_000;
/** An invoice read `expired` (or cancelled where the provider cannot revoke it) is still watched, slowly. */
export const LATE_POLL_MS = 10_000;
export const MAX_RETRY_DELAY_MS = 10_000;

/** Whether an expired or cancelled invoice is still watched for a late payment at `now`. */
export function isWatchingLate(invoice: Invoice, now: number): boolean {
  return (invoice.status === 'expired' || invoice.status === 'cancelled') && now < lateWatchUntil(invoice);
}

/**
 * How soon to read an invoice again: `pendingMs` while it is pending, every LATE_POLL_MS while a
 * late payment could still arrive, never once it is paid or past watching.
 */
export function nextReadMs(invoice: Invoice | undefined, now: number, pendingMs: number): number | false {
  if (!invoice || invoice.status === 'pending') return pendingMs;
  return isWatchingLate(invoice, now) ? LATE_POLL_MS : false;
}

const checkoutPollMs = (query: Query<Invoice, Error>) => nextReadMs(query.state.data, Date.now(), POLL_INTERVAL_MS);
const recentPollMs = (query: Query<Invoice, Error>) => nextReadMs(query.state.data, Date.now(), RECENT_POLL_MS);

/** Network and provider faults are retried (and paused while offline); a 404 or 401 is not. */
export function shouldRetry(_failureCount: number, error: Error): boolean {
  return error instanceof ApiError && error.isTransient;
}

/** Back off while reads fail: 2 s, 4 s, 8 s, then every 10 s until the proxy answers again. */
export function retryDelayMs(failureCount: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, POLL_INTERVAL_MS * 2 ** (failureCount + 1));
}

export const invoicePath = (id: string) => `/invoices/${encodeURIComponent(id)}`;

const readInvoice = (id: string, signal?: AbortSignal) => apiRequest(Invoice, invoicePath(id), signal ? { signal } : {});

/**
 * The invoice read at once: every second while pending, slowly while a late payment may come.
 * The checkout holds its reads instead (checkoutInvoice.ts), with this query's key and cache.
 */
export const invoiceQuery = (id: string) =>
  queryOptions({
    queryKey: invoiceKeys.detail(id),
    queryFn: ({ signal }) => readInvoice(id, signal),
    refetchInterval: checkoutPollMs,
    refetchIntervalInBackground: true,
    retry: shouldRetry,
    retryDelay: retryDelayMs,
    staleTime: 0,
  });

/** The same invoice as a recent sale on the keypad: the same cache entry, read less often. */
export const recentInvoiceQuery = (id: string) => queryOptions({ ...invoiceQuery(id), refetchInterval: recentPollMs });

export interface CreateAttempt {
  request: CreateInvoiceRequest;
  idempotencyKey: string;
}

interface CreateEvents {
  onSuccess: (invoice: Invoice, attempt: CreateAttempt) => void;
  onError: (error: Error, attempt: CreateAttempt) => void;
}

/** Creates an invoice; the new invoice seeds its query, so the checkout needs no second request. */
export function useCreateInvoice(events: CreateEvents) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: invoiceKeys.create(),
    mutationFn: ({ request, idempotencyKey }: CreateAttempt) =>
      apiRequest(Invoice, '/invoices', { method: 'POST', body: request, headers: { 'Idempotency-Key': idempotencyKey } }),
    onSuccess: (invoice, attempt) => {
      queryClient.setQueryData(invoiceKeys.detail(invoice.id), invoice);
      events.onSuccess(invoice, attempt);
    },
    onError: events.onError,
  });
}

function useInvoiceMutation(mutationFn: (id: string) => Promise<Invoice>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (invoice) => queryClient.setQueryData(invoiceKeys.detail(invoice.id), invoice),
    // Already paid (409) or gone: read again, and every screen follows what the provider says.
    onError: (_error, id) => queryClient.invalidateQueries({ queryKey: invoiceKeys.detail(id) }),
  });
}

export const useCancelInvoice = () =>
  useInvoiceMutation((id) => apiRequest(Invoice, `/invoices/${encodeURIComponent(id)}/cancel`, { method: 'POST' }));

/** The demo wallet's "customer pays". */
export const usePayDemoInvoice = () =>
  useInvoiceMutation((id) => apiRequest(Invoice, `/demo/invoices/${encodeURIComponent(id)}/pay`, { method: 'POST' }));

/** "Check again" for the customer who says "I paid!": the provider's answer, read now. */
export const useCheckInvoice = () => useInvoiceMutation((id) => readInvoice(id));
