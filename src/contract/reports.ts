/**
 * The manager's reports (docs/api.md `/api/payments`, `/api/history`; extension `/api/cashup`): only
 * the dashboard and the proxy load these schemas, so the cashier's screen does not carry them.
 */
import * as z from 'zod/mini';
import { CurrencyCode, Invoice, InvoiceStatus, IsoDateTime, SaleCashier } from './api';

/** A local calendar date in the store's time zone. */
export const LocalDate = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-22'),
  z.refine((text) => {
    const [y, m, d] = text.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'is not a calendar date'),
);

/**
 * A point in time for report queries: an ISO instant, or (extension) a local date meaning the
 * start of that day in the store's time zone.
 */
export const ReportTime = z.union([IsoDateTime, z.iso.datetime({ offset: true }), LocalDate]);

const whole = (min: number, max: number, fallback: number) =>
  z._default(
    z.pipe(
      z.string().check(z.regex(/^\d{1,9}$/, 'must be a whole number')),
      z.pipe(z.transform(Number), z.int().check(z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`))),
    ),
    fallback,
  );

/** A cashier's id in a report query, or `none` for sales made before the POS recorded cashiers. */
export const CashierFilter = z.string().check(z.regex(/^(?:[0-9a-f]{8}|manager|none)$/, 'must be a cashier id, or none'));

export const PaymentsQuery = z.object({
  from: z.optional(ReportTime),
  /** Extension: only this cashier's sales. */
  cashier: z.optional(CashierFilter),
  to: z.optional(ReportTime),
  status: z.optional(InvoiceStatus),
  limit: whole(1, 100, 20),
  offset: whole(0, 1_000_000, 0),
});
export type PaymentsQuery = z.input<typeof PaymentsQuery>;

export const PaymentsPage = z.object({ data: z.array(Invoice), total: z.int() });
export type PaymentsPage = z.infer<typeof PaymentsPage>;

export const historyGroups = ['hour', 'day', 'month'] as const;
export const HistoryGroup = z.enum(historyGroups);
export type HistoryGroup = z.infer<typeof HistoryGroup>;

export const HistoryQuery = z.object({
  group: z._default(HistoryGroup, 'day'),
  from: z.optional(ReportTime),
  to: z.optional(ReportTime),
});
export type HistoryQuery = z.input<typeof HistoryQuery>;

/** What a group of sales adds up to: a bucket of the history, a status of the cash-up. */
export const SaleTotals = z.object({
  count: z.int(),
  amountSats: z.int(),
  /** Minor units of the store currency, of the sales priced in it, without tips. */
  amount: z.int(),
  tip: z.int(),
});
export type SaleTotals = z.infer<typeof SaleTotals>;

export const HistoryBucket = z.object({
  /** `YYYY-MM-DD` (day), `YYYY-MM-DDTHH` (hour) or `YYYY-MM` (month), local to the store. */
  date: z.string(),
  // Spread rather than z.extend, which would add to the zod code every screen loads.
  ...SaleTotals.shape,
});
export type HistoryBucket = z.infer<typeof HistoryBucket>;

export const History = z.object({
  timezone: z.string(),
  currency: CurrencyCode,
  group: HistoryGroup,
  data: z.array(HistoryBucket),
});
export type History = z.infer<typeof History>;

export const CashupQuery = z.object({ date: LocalDate });


/** Extension: one local day's cash-up. Paid by the time of payment; the rest by creation. */
export const Cashup = z.object({
  date: LocalDate,
  timezone: z.string(),
  currency: CurrencyCode,
  storeName: z.string(),
  from: IsoDateTime,
  to: IsoDateTime,
  totals: z.object({ paid: SaleTotals, pending: SaleTotals, expired: SaleTotals, cancelled: SaleTotals }),
  firstSaleAt: z.nullable(IsoDateTime),
  lastSaleAt: z.nullable(IsoDateTime),
  /**
   * The day's paid sales by cashier, by name; last, with `cashier: null`, the sales made before
   * the POS recorded cashiers (when there are any).
   */
  cashiers: z.array(z.object({ cashier: z.nullable(SaleCashier), ...SaleTotals.shape })),
  /** Every invoice of the day, newest first. */
  payments: z.array(Invoice),
});
export type Cashup = z.infer<typeof Cashup>;
export type CashierTotals = Cashup['cashiers'][number];

/** `GET /api/cashiers` (extension, manager): today's staff list, by name, without PINs. */
export const CashierList = z.object({ data: z.array(SaleCashier) });
export type CashierList = z.infer<typeof CashierList>;

/** `GET /api/shift` (extension): a cashier's own day; the manager names the cashier. */
export const ShiftQuery = z.object({ cashier: z.optional(CashierFilter) });

export const Shift = z.object({
  date: LocalDate,
  timezone: z.string(),
  currency: CurrencyCode,
  cashier: SaleCashier,
  /** The cashier's paid sales of the day: count, amount and tips. */
  totals: SaleTotals,
  /** Every sale the cashier made or was paid for today, newest first. */
  sales: z.array(Invoice),
});
export type Shift = z.infer<typeof Shift>;
