/**
 * Held status reads (docs/api.md, `GET /api/invoices/:id?wait=N&since=V`): how long a tablet may
 * ask the proxy to hold its read, and the version both sides compare to tell whether an invoice
 * changed. Shared so that the SPA and the proxy compute the same version; the query's schema is
 * the proxy's alone (waiters.ts), so the SPA does not carry it.
 */
import type { Invoice } from './api';

/** The longest hold a tablet may ask for, in seconds. */
export const MAX_WAIT_SECONDS = 25;

/** FNV-1a, 32 bits: a quick, stable spread of a string (not a cryptographic hash). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * What a checkout shows of an invoice, as a short string: its status and which BOLT11 it carries
 * (Strike re-quotes a pending invoice with a new one). Equal versions look the same on screen.
 */
export function invoiceVersion(invoice: Pick<Invoice, 'status' | 'paymentRequest'>): string {
  return `${invoice.status}.${fnv1a32(invoice.paymentRequest).toString(16).padStart(8, '0')}`;
}
