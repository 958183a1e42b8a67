/**
 * A day's payments as CSV, one row per payment, fiat and sats, with the cashier who charged it: papaparse does the quoting and
 * escaping (commas, quotes, new lines in memos) and defuses cells a spreadsheet would run as a
 * formula. A UTF-8 byte order mark makes spreadsheet programs read "€" and "é" right.
 *
 * The header row is in the POS's language; the cells stay machine-readable whatever the language
 * (ISO dates and times, the status as the API names it, decimal points, whole sats).
 */
import { i18n, type MessageDescriptor } from '@lingui/core';
import { msg } from '@lingui/core/macro';
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

/** Each column's header (English: the column's own name, as spreadsheets and scripts know it). */
const headers: Record<(typeof CSV_COLUMNS)[number], MessageDescriptor> = {
  date: msg({ message: 'date', context: 'CSV column' }),
  time: msg({ message: 'time', context: 'CSV column' }),
  status: msg({ message: 'status', context: 'CSV column' }),
  currency: msg({ message: 'currency', context: 'CSV column' }),
  amount: msg({ message: 'amount', context: 'CSV column' }),
  tip: msg({ message: 'tip', context: 'CSV column' }),
  total: msg({ message: 'total', context: 'CSV column' }),
  sats: msg({ message: 'sats', context: 'CSV column' }),
  memo: msg({ message: 'memo', context: 'CSV column' }),
  invoice: msg({ message: 'invoice', context: 'CSV column' }),
  created_at_utc: msg({ message: 'created_at_utc', context: 'CSV column' }),
  paid_at_utc: msg({ message: 'paid_at_utc', context: 'CSV column' }),
  cashier: msg({ message: 'cashier', context: 'CSV column' }),
};

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
  const fields = CSV_COLUMNS.map((column) => i18n._(headers[column]));
  return BOM + Papa.unparse({ fields, data: rows }, { escapeFormulae: true, newline: '\r\n' });
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
