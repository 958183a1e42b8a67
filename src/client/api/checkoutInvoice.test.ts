import type { Query } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../contract/api';
import { CUT_SHORT_LIMIT, heldPollIntervalMs, heldReadEnded, holdingReads, PLAIN_POLLING_MS } from './checkoutInvoice';
import { LATE_POLL_MS, POLL_INTERVAL_MS } from './invoices';

const pending = { status: 'pending' } as Invoice;
const paid = { status: 'paid' } as Invoice;
const justExpired = { status: 'expired', createdAt: new Date(Date.now() - 600_000).toISOString(), expiresAt: new Date().toISOString() } as Invoice;

/** The parts of a query the interval looks at. */
function query(data: Invoice | undefined, status: 'pending' | 'success' | 'error', fetchStatus: 'idle' | 'fetching' | 'paused') {
  return { state: { data, status, fetchStatus } } as unknown as Query<Invoice, Error>;
}

describe('the checkout’s held reads', () => {
  it('re-issue at once after each answer while pending, schedule nothing while one is out, stop when final', () => {
    expect(holdingReads()).toBe(true);
    expect(heldPollIntervalMs(query(pending, 'success', 'idle'))).toBe(1);
    expect(heldPollIntervalMs(query(pending, 'success', 'fetching'))).toBe(false);
    expect(heldPollIntervalMs(query(paid, 'success', 'idle'))).toBe(false);
    // Expired, it is read plainly and slowly a while for a late payment, as the checkout always did.
    expect(heldPollIntervalMs(query(justExpired, 'success', 'idle'))).toBe(LATE_POLL_MS);
    // The first read, and reads after a failure, go at the plain pace (retries back off on their own).
    expect(heldPollIntervalMs(query(undefined, 'pending', 'fetching'))).toBe(POLL_INTERVAL_MS);
    expect(heldPollIntervalMs(query(pending, 'error', 'idle'))).toBe(POLL_INTERVAL_MS);
  });

  it(`fall back to polling each second after ${CUT_SHORT_LIMIT} held reads in a row are cut short, and hold again later`, () => {
    const t0 = Date.now();
    heldReadEnded(true, t0);
    heldReadEnded(false, t0); // one that held as asked resets the count
    for (let i = 1; i < CUT_SHORT_LIMIT; i++) heldReadEnded(true, t0);
    expect(holdingReads(t0)).toBe(true);
    heldReadEnded(true, t0);
    expect(holdingReads(t0)).toBe(false);
    expect(heldPollIntervalMs(query(pending, 'success', 'idle'))).toBe(POLL_INTERVAL_MS);
    expect(heldPollIntervalMs(query(pending, 'success', 'fetching'))).toBe(POLL_INTERVAL_MS);
    expect(holdingReads(t0 + PLAIN_POLLING_MS - 1)).toBe(false);
    expect(holdingReads(t0 + PLAIN_POLLING_MS)).toBe(true);
  });
});
