/**
 * How long an unpaid invoice could still turn out paid: a wallet may have paid just before the
 * expiry and the provider report it late, and where a cancel does not revoke the BOLT11 a phone
 * may still pay it. The proxy keeps reading such an invoice (slowly) and the SPA keeps watching
 * it for the same time, so the screens and the provider never disagree about when to stop.
 */
import type { Invoice } from './api';

/** Watched past its expiry for at least this long. */
export const LATE_WATCH_MIN_MS = 10 * 60_000;

/** Until when a late payment is watched for: the invoice's own lifetime again, at least 10 minutes. */
export function lateWatchUntil(invoice: Pick<Invoice, 'createdAt' | 'expiresAt'>): number {
  const expiresAt = Date.parse(invoice.expiresAt);
  return expiresAt + Math.max(expiresAt - Date.parse(invoice.createdAt), LATE_WATCH_MIN_MS);
}
