import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../../contract/api';
import { CSV_COLUMNS, paymentsCsv } from './csv';

const invoice = (overrides: Partial<Invoice>): Invoice => ({
  id: 'inv1',
  status: 'paid',
  paymentRequest: 'lnbc1',
  paymentHash: 'a'.repeat(64),
  amount: 1234,
  tip: 100,
  currency: 'USD',
  amountSats: 13_340,
  memo: '2 coffees',
  createdAt: '2026-11-22T22:20:00.000Z',
  expiresAt: '2026-11-22T22:30:00.000Z',
  paidAt: '2026-11-22T22:25:00.000Z',
  ...overrides,
});

describe('paymentsCsv', () => {
  it('writes one row per payment with fiat and sats, in the store’s local time', () => {
    const csv = paymentsCsv(
      [
        invoice({ cashier: { id: '0a1b2c3d', name: 'Alice' } }),
        invoice({ id: 'inv2', currency: 'SAT', amount: 21_000, tip: 0, amountSats: 21_000, status: 'expired', paidAt: null, cashier: null }),
      ],
      'Europe/Berlin',
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true });
    expect(parsed.data[0]).toEqual([...CSV_COLUMNS]);
    expect(parsed.data[1]).toEqual(['2026-11-22', '23:25:00', 'paid', 'USD', '12.34', '1.00', '13.34', '13340', '2 coffees', 'inv1', '2026-11-22T22:20:00.000Z', '2026-11-22T22:25:00.000Z', 'Alice']);
    expect(parsed.data[2]).toEqual(['2026-11-22', '23:20:00', 'expired', 'SAT', '21000', '0', '21000', '21000', '2 coffees', 'inv2', '2026-11-22T22:20:00.000Z', '', 'Not recorded (before cashiers)']);
  });

  it('escapes commas, quotes and new lines, keeps UTF-8, and defuses formulas', () => {
    const memos = ['Tea, milk', 'The "big" one', 'two\nlines', 'Café €', '=HYPERLINK("http://evil")', '+1', '@SUM(A1)'];
    const csv = paymentsCsv(memos.map((memo, i) => invoice({ id: `i${i}`, memo })), 'UTC');
    const rows = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data.slice(1);
    expect(rows.map((row) => row[8])).toEqual(['Tea, milk', 'The "big" one', 'two\nlines', 'Café €', `'=HYPERLINK("http://evil")`, `'+1`, `'@SUM(A1)`]);
    expect(csv).toContain('"The ""big"" one"');
  });
});
