import { describe, expect, it } from 'vitest';
import type { Invoice } from '../contract/api';
import { addDays, localDateAt } from '../contract/dates';
import { bucketOf, hourlyTotals, localDay, regroup, reportInstant, startOfLocalDay } from './history';

function paid(paidAt: string, overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: paidAt,
    status: 'paid',
    paymentRequest: '',
    paymentHash: '',
    amount: 1000,
    tip: 100,
    currency: 'USD',
    amountSats: 11_000,
    memo: '',
    createdAt: paidAt,
    expiresAt: paidAt,
    paidAt,
    ...overrides,
  };
}

describe('local days', () => {
  it('a sale at 23:30 local belongs to that local day, even when it is tomorrow in UTC', () => {
    const at = Date.parse('2026-11-22T22:30:00Z'); // 23:30 in Berlin (UTC+1)
    expect(localDateAt(at, 'Europe/Berlin')).toBe('2026-11-22');
    expect(localDateAt(at, 'UTC')).toBe('2026-11-22');
    expect(localDateAt(Date.parse('2026-11-23T04:30:00Z'), 'America/New_York')).toBe('2026-11-22'); // 23:30 EST
    expect(localDateAt(Date.parse('2026-11-22T15:30:00Z'), 'Pacific/Auckland')).toBe('2026-11-23');
  });

  it('the day daylight saving starts has 23 hours, the day it ends 25', () => {
    const spring = localDay('2026-03-29', 'Europe/Berlin');
    expect(new Date(spring.from).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect((spring.to - spring.from) / 3600_000).toBe(23);
    const autumn = localDay('2026-10-25', 'Europe/Berlin');
    expect((autumn.to - autumn.from) / 3600_000).toBe(25);
    const us = localDay('2026-03-08', 'America/New_York');
    expect((us.to - us.from) / 3600_000).toBe(23);
  });

  it('hours skipped and repeated by DST land in the right local hour', () => {
    // 2026-10-25 in Berlin: 02:00–03:00 happens twice (CEST, then CET).
    expect(bucketOf(Date.parse('2026-10-25T00:30:00Z'), 'Europe/Berlin', 'hour')).toBe('2026-10-25T02');
    expect(bucketOf(Date.parse('2026-10-25T01:30:00Z'), 'Europe/Berlin', 'hour')).toBe('2026-10-25T02');
    // 2026-03-29: 02:00 does not exist; 01:30Z is 03:30 CEST.
    expect(bucketOf(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Berlin', 'hour')).toBe('2026-03-29T03');
  });

  it('zones with half-hour offsets have their own hours and days', () => {
    expect(bucketOf(Date.parse('2026-11-22T18:45:00Z'), 'Asia/Kolkata', 'hour')).toBe('2026-11-23T00'); // 00:15 IST
    expect(bucketOf(Date.parse('2026-11-22T18:15:00Z'), 'Asia/Kolkata', 'hour')).toBe('2026-11-22T23');
  });

  it('groups by month', () => {
    expect(bucketOf(Date.parse('2026-11-30T23:30:00Z'), 'Europe/Berlin', 'month')).toBe('2026-12');
    expect(bucketOf(Date.parse('2026-11-30T23:30:00Z'), 'UTC', 'month')).toBe('2026-11');
  });

  it('adds calendar days across months, years and DST changes', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
  });

  it('the store’s date now agrees with the zone arithmetic', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Pacific/Auckland', 'Asia/Kolkata']) {
      for (const at of [Date.parse('2026-11-22T22:30:00Z'), Date.parse('2026-03-29T01:30:00Z')]) {
        expect(localDateAt(at, zone)).toBe(bucketOf(at, zone, 'day'));
      }
    }
  });

  it('reads report times as instants or as local dates', () => {
    expect(reportInstant('2026-11-22', 'Europe/Berlin')).toBe(Date.parse('2026-11-21T23:00:00Z'));
    expect(reportInstant('2026-11-22T10:00:00.000Z', 'Europe/Berlin')).toBe(Date.parse('2026-11-22T10:00:00Z'));
    expect(startOfLocalDay('2026-11-22', 'UTC')).toBe(Date.parse('2026-11-22T00:00:00Z'));
  });
});

describe('aggregation', () => {
  const sales = [
    paid('2026-11-21T22:30:00.000Z'), // 23:30 Berlin, Nov 21
    paid('2026-11-21T23:30:00.000Z'), // 00:30 Berlin, Nov 22
    paid('2026-11-22T10:05:00.000Z', { amount: 250, tip: 0, amountSats: 2_500 }),
    paid('2026-11-22T10:55:00.000Z', { currency: 'SAT', amount: 5_000, tip: 0, amountSats: 5_000 }),
    paid('2026-11-22T11:00:00.000Z', { status: 'pending', paidAt: null }),
  ];

  it('counts paid invoices by local day, summing fiat of store-currency sales only', () => {
    expect(regroup(hourlyTotals(sales, 'Europe/Berlin', 'USD'), 'day')).toEqual([
      { date: '2026-11-21', count: 1, amountSats: 11_000, amount: 1000, tip: 100 },
      { date: '2026-11-22', count: 3, amountSats: 18_500, amount: 1250, tip: 100 },
    ]);
    expect(regroup(hourlyTotals(sales, 'UTC', 'USD'), 'day')).toEqual([
      { date: '2026-11-21', count: 2, amountSats: 22_000, amount: 2000, tip: 200 },
      { date: '2026-11-22', count: 2, amountSats: 7_500, amount: 250, tip: 0 },
    ]);
  });

  it('by hour and by month, oldest first', () => {
    const hours = hourlyTotals(sales, 'Europe/Berlin', 'USD');
    expect(regroup(hours, 'hour').map((b) => [b.date, b.count])).toEqual([
      ['2026-11-21T23', 1],
      ['2026-11-22T00', 1],
      ['2026-11-22T11', 2],
    ]);
    expect(regroup(hours, 'month')).toEqual([{ date: '2026-11', count: 4, amountSats: 29_500, amount: 2250, tip: 200 }]);
  });
});
