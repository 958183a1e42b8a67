/**
 * A day's payments as CSV, one row per payment, fiat and sats, with the cashier who charged it: papaparse does the quoting and
 * escaping (commas, quotes, new lines in memos) and defuses cells a spreadsheet would run as a
 * formula. A UTF-8 byte order mark makes spreadsheet programs read "€" and "é" right.
 */
import Papa from 'papaparse';
import type { Invoice } from '../../../contract/api';
import { SAT, toDecimalString } from '../../../contract/money';
import { cashierLabel } from '../../lib/cashier';

export const CSV_COLUMNS = [
  'date',
  'time',
  'status',
  'currency',
  'amount',
  'tip',
  'total',
  'sats',
  'memo',
  'invoice',
  'created_at_utc',
  'paid_at_utc',
  'cashier',
] as const;

const BOM = '\uFEFF';

export function paymentsCsv(payments: readonly Invoice[], timeZone: string): string {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const money = (amount: number, currency: string) => (currency === SAT ? String(amount) : toDecimalString(amount, currency));
  const rows = payments.map((invoice) => {
    const at = Date.parse(invoice.paidAt ?? invoice.createdAt);
    return [
      date.format(at),
      time.format(at),
      invoice.status,
      invoice.currency,
      money(invoice.amount, invoice.currency),
      money(invoice.tip, invoice.currency),
      money(invoice.amount + invoice.tip, invoice.currency),
      String(invoice.amountSats),
      invoice.memo,
      invoice.id,
      invoice.createdAt,
      invoice.paidAt ?? '',
      cashierLabel(invoice.cashier),
    ];
  });
  return BOM + Papa.unparse({ fields: [...CSV_COLUMNS], data: rows }, { escapeFormulae: true, newline: '\r\n' });
}

/** Hands the file to the browser as a download. */
export function download(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
