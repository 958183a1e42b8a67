import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../contract/api';
import { invoiceKeys, LATE_POLL_MS, lateWatchUntil, nextReadMs, POLL_INTERVAL_MS } from './invoices';
import { reportKeys } from './reports';

const T = Date.parse('2026-11-22T10:00:00.000Z');
const invoice = (status: Invoice['status'], lifetimeMin = 10): Invoice => ({
  id: 'i',
  status,
  paymentRequest: '',
  paymentHash: '',
  amount: 1,
  tip: 0,
  currency: 'USD',
  amountSats: 1,
  memo: '',
  createdAt: new Date(T).toISOString(),
  expiresAt: new Date(T + lifetimeMin * 60_000).toISOString(),
  paidAt: null,
});

describe('how often an invoice is read', () => {
  it.each([
    ['pending: every second', invoice('pending'), T + 1000, POLL_INTERVAL_MS],
    ['not read yet: every second', undefined, T, POLL_INTERVAL_MS],
    ['paid: never again', invoice('paid'), T + 1000, false],
    ['expired: watched slowly for a late payment', invoice('expired'), T + 11 * 60_000, LATE_POLL_MS],
    ['expired, 10 minutes on: still (the lifetime again, at least 10 minutes)', invoice('expired'), T + 19 * 60_000, LATE_POLL_MS],
    ['expired, past the watch: no more', invoice('expired'), T + 20 * 60_000, false],
    ['a 1-minute invoice is still watched 10 minutes', invoice('expired', 1), T + 10 * 60_000, LATE_POLL_MS],
    ['a 1-hour invoice is watched another hour', invoice('expired', 60), T + 119 * 60_000, LATE_POLL_MS],
    ['cancelled (maybe not revocable): watched the same way', invoice('cancelled'), T + 5 * 60_000, LATE_POLL_MS],
  ] as const)('%s', (_name, current, now, expected) => {
    expect(nextReadMs(current, now, POLL_INTERVAL_MS)).toBe(expected);
  });

  it('the watch ends at expiry + max(lifetime, 10 min)', () => {
    expect(lateWatchUntil(invoice('expired', 30))).toBe(T + 60 * 60_000);
    expect(lateWatchUntil(invoice('expired', 2))).toBe(T + 12 * 60_000);
  });
});

describe('query keys', () => {
  it('go from the resource to the one item, so one invalidation reaches them all', () => {
    expect(invoiceKeys.detail('x').slice(0, invoiceKeys.all.length)).toEqual([...invoiceKeys.all]);
    const history = reportKeys.history({ from: '2026-11-01', to: '2026-11-02' }, 'day');
    expect(history.slice(0, reportKeys.all.length)).toEqual([...reportKeys.all]);
    expect(history).toContainEqual({ group: 'day', from: '2026-11-01', to: '2026-11-02' });
  });
});
