/**
 * Long-polled status reads (docs/api.md, `GET /api/invoices/:id?wait=N&since=V`): how long a
 * tablet may ask the proxy to hold its read, and the version both sides compare to tell whether
 * an invoice changed. Shared so that the SPA and the proxy compute the same version.
 */
import * as z from 'zod/mini';
import type { Invoice } from './api';

/** The longest hold a tablet may ask for, in seconds. */
export const MAX_WAIT_SECONDS = 25;

const seconds = z.pipe(
  z.string().check(z.regex(/^\d{1,3}$/, `must be a whole number of seconds from 1 to ${MAX_WAIT_SECONDS}`)),
  z.pipe(
    z.transform(Number),
    z.int().check(
      z.gte(1, `must be a whole number of seconds from 1 to ${MAX_WAIT_SECONDS}`),
      z.lte(MAX_WAIT_SECONDS, `must be a whole number of seconds from 1 to ${MAX_WAIT_SECONDS}`),
    ),
  ),
);

/** A version as `invoiceVersion` makes it. */
export const InvoiceVersion = z.string().check(z.regex(/^(?:pending|paid|expired|cancelled)\.[0-9a-f]{8}$/, 'is not an invoice version'));

/** The query of a status read: `wait` (seconds) holds it; `since` says what the tablet shows. */
export const WaitQuery = z.object({
  wait: z.optional(seconds),
  since: z.optional(InvoiceVersion),
});
export type WaitQuery = z.infer<typeof WaitQuery>;

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
