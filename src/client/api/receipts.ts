/** Receipts: the signed link of a paid sale (cashier) and the receipt it opens (anyone holding it). */
import { queryOptions } from '@tanstack/react-query';
import { Receipt, ReceiptLink } from '../../contract/receipts';
import { ApiError, apiRequest } from '../lib/api';

export const receiptKeys = {
  all: ['receipts'] as const,
  link: (invoiceId: string) => [...receiptKeys.all, 'link', invoiceId] as const,
  page: (token: string) => [...receiptKeys.all, 'page', token] as const,
};

/** The same sale always gets the same link, so it is read once and kept. */
export const receiptLinkQuery = (invoiceId: string) =>
  queryOptions({
    queryKey: receiptKeys.link(invoiceId),
    queryFn: ({ signal }) => apiRequest(ReceiptLink, '/receipts', { method: 'POST', body: { invoiceId }, signal }),
    staleTime: Infinity,
  });

/** On the customer's phone: no session, only the token. */
export const receiptQuery = (token: string) =>
  queryOptions({
    queryKey: receiptKeys.page(token),
    queryFn: ({ signal }) => apiRequest(Receipt, `/receipts/${encodeURIComponent(token)}`, { signal, auth: false }),
    staleTime: Infinity,
    retry: (failureCount, error) => failureCount < 3 && error instanceof ApiError && error.isTransient,
  });
