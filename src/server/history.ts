/**
 * Reports in the store's time zone: the payments list, history and cash-up, made of this POS's
 * sales as the provider lists them (providers/provider.ts `listSales`), with the same effective
 * status as a poll (reads.ts `toApi`). A day is a local calendar day (23 or 25 hours across a
 * daylight-saving change; a sale at 23:30 local belongs to that local day); no provider buckets
 * by the store's zone, so the proxy does.
 *
 * Totals are kept per local hour; a day that is over (and past a margin for late settlements) never
 * changes again, so its hours are cached and a report over a long range asks the provider only for
 * the days it has not seen closed.
 */
import { TZDate } from '@date-fns/tz';
import type { Invoice, InvoiceStatus, SaleCashier } from '../contract/api';
import type { CashierTotals, Cashup, HistoryBucket, HistoryGroup, PaymentsPage, SaleTotals, Shift } from '../contract/reports';
import { addDays, localDateAt } from '../contract/dates';
import type { Call, Provider, TimeRange } from './providers/provider';
import { toApi } from './reads';
import type { KeyValueStore } from './store';
import { z } from './zod';

/** A day counts as closed this long after its end: a payment seen a little late still lands. */
export const CLOSED_DAY_MARGIN_MS = 2 * 3600_000;
const CLOSED_DAY_TTL_MS = 35 * 24 * 3600_000;

/**
 * How far before a range to look for sales paid within it: a sale is paid within one invoice
 * lifetime of being made, and an hour covers a payment seen late (the paid look-back).
 */
export function paidLookbackMs(invoiceExpirySec: number): number {
  return invoiceExpirySec * 1000 + 3600_000;
}

/** What reports need of the shop's configuration. */
export interface ReportSettings {
  timezone: string;
  currency: string;
  storeName: string;
  /** The longest invoice lifetime in use (POS_INVOICE_EXPIRY, or the demo's). */
  invoiceExpirySec: number;
  /** Today's staff list, which names each sale's cashier. */
  staff: readonly SaleCashier[];
}

export interface PaymentsQuery {
  from?: number;
  to?: number;
  status?: InvoiceStatus;
  /** One cashier's sales (their id), or `none`: those made before the POS recorded cashiers. */
  cashier?: string;
  limit: number;
  offset: number;
}

// ------------------------------------------------------------------ local time

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The bucket an instant falls in: `YYYY-MM-DDTHH`, `YYYY-MM-DD` or `YYYY-MM`, local. */
export function bucketOf(instant: number, timeZone: string, group: HistoryGroup): string {
  const t = new TZDate(instant, timeZone);
  const day = `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
  if (group === 'hour') return `${day}T${pad(t.getHours())}`;
  return group === 'day' ? day : day.slice(0, 7);
}

/** The instant a local date begins in `timeZone` (midnight, or the first hour that exists). */
export function startOfLocalDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, timeZone).getTime();
}

/** The local day `[start, end)` of a date. */
export function localDay(date: string, timeZone: string): TimeRange {
  return { from: startOfLocalDay(date, timeZone), to: startOfLocalDay(addDays(date, 1), timeZone) };
}

/** An instant from a report query: an ISO time, or a local date meaning the start of that day. */
export function reportInstant(value: string, timeZone: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? startOfLocalDay(value, timeZone) : Date.parse(value);
}

// ------------------------------------------------------------------ aggregation


const empty = (): SaleTotals => ({ count: 0, amountSats: 0, amount: 0, tip: 0 });

function add(totals: SaleTotals, invoice: Invoice, storeCurrency: string): void {
  totals.count += 1;
  totals.amountSats += invoice.amountSats;
  // Fiat sums only make sense in one currency: the store's. SAT sales count in sats.
  if (invoice.currency === storeCurrency) {
    totals.amount += invoice.amount;
    totals.tip += invoice.tip;
  }
}

/** Whether a sale is this cashier's (`none`: made before the POS recorded cashiers). */
export function soldBy(invoice: Invoice, cashierId: string): boolean {
  return cashierId === 'none' ? !invoice.cashier : invoice.cashier?.id === cashierId;
}

/** Paid sales by cashier: by name (then id), then the sales made before the POS recorded cashiers. */
export function totalsByCashier(payments: Invoice[], storeCurrency: string): CashierTotals[] {
  const groups = new Map<string, CashierTotals>();
  for (const invoice of payments) {
    if (invoice.status !== 'paid') continue;
    const key = invoice.cashier?.id ?? 'none';
    const group = groups.get(key) ?? { cashier: invoice.cashier ?? null, ...empty() };
    add(group, invoice, storeCurrency);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => {
    if (!a.cashier || !b.cashier) return a.cashier ? -1 : b.cashier ? 1 : 0;
    return a.cashier.name.localeCompare(b.cashier.name) || a.cashier.id.localeCompare(b.cashier.id);
  });
}

/** Paid invoices in local hourly buckets (`YYYY-MM-DDTHH` → totals). */
export function hourlyTotals(paid: Invoice[], timeZone: string, storeCurrency: string): Map<string, SaleTotals> {
  const hours = new Map<string, SaleTotals>();
  for (const invoice of paid) {
    if (invoice.status !== 'paid' || !invoice.paidAt) continue;
    const key = bucketOf(Date.parse(invoice.paidAt), timeZone, 'hour');
    const totals = hours.get(key) ?? empty();
    add(totals, invoice, storeCurrency);
    hours.set(key, totals);
  }
  return hours;
}

/** Hourly totals regrouped by hour, day or month, oldest first, empty buckets left out. */
export function regroup(hours: Map<string, SaleTotals>, group: HistoryGroup): HistoryBucket[] {
  const length = group === 'hour' ? 13 : group === 'day' ? 10 : 7;
  const buckets = new Map<string, SaleTotals>();
  for (const [hour, totals] of hours) {
    const key = hour.slice(0, length);
    const bucket = buckets.get(key) ?? empty();
    bucket.count += totals.count;
    bucket.amountSats += totals.amountSats;
    bucket.amount += totals.amount;
    bucket.tip += totals.tip;
    buckets.set(key, bucket);
  }
  return [...buckets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, totals]) => ({ date, ...totals }));
}

const Cached = z.record(z.string(), z.object({ count: z.int(), amountSats: z.int(), amount: z.int(), tip: z.int() }));

// ------------------------------------------------------------------ the service

export class Reports {
  constructor(
    private readonly provider: Provider,
    private readonly store: KeyValueStore,
    private readonly settings: ReportSettings,
    private readonly now: () => number,
  ) {}

  /** This POS's sales made in the range, as the API shows them: a report is as fresh as its request. */
  private async sales(range: Partial<TimeRange>, call: Call): Promise<Invoice[]> {
    const sales = await this.provider.listSales(range, call);
    const readAt = this.now();
    return sales.map((sale) => toApi(sale, readAt, this.settings.staff));
  }

  /** The payments list: newest first, by creation time and effective status, with the total. */
  async payments(query: PaymentsQuery, call: Call): Promise<PaymentsPage> {
    const range = { ...(query.from !== undefined ? { from: query.from } : {}), ...(query.to !== undefined ? { to: query.to } : {}) };
    // No provider can filter by the POS's own metadata: one cashier's page is cut from the whole list.
    const matching = (await this.sales(range, call)).filter(
      (invoice) => (query.status === undefined || invoice.status === query.status) && (query.cashier === undefined || soldBy(invoice, query.cashier)),
    );
    return { data: matching.slice(query.offset, query.offset + query.limit), total: matching.length };
  }

  /** Paid sales with `paidAt` in the range. */
  private async paidWithin(range: TimeRange, call: Call): Promise<Invoice[]> {
    const sales = await this.sales({ from: range.from - paidLookbackMs(this.settings.invoiceExpirySec), to: range.to }, call);
    return sales.filter((invoice) => {
      const paid = Date.parse(invoice.paidAt ?? '');
      return invoice.status === 'paid' && paid >= range.from && paid < range.to;
    });
  }

  /** Paid totals over `range`, bucketed by `group` in the store's zone. */
  async history(range: TimeRange, group: HistoryGroup, call: Call): Promise<HistoryBucket[]> {
    const { timezone: tz, currency } = this.settings;
    const hours = new Map<string, SaleTotals>();
    // Whole local days inside the range that are over: from the cache when it has them.
    const closedBefore = this.now() - CLOSED_DAY_MARGIN_MS;
    const missing: TimeRange[] = [];
    let cursor = range.from;
    let day = localDateAt(range.from, tz);
    while (cursor < range.to) {
      const { from, to } = localDay(day, tz);
      const whole = from >= range.from && to <= range.to;
      const closed = whole && to <= closedBefore;
      const cached = closed ? z.safeParse(Cached, await this.store.get(this.dayKey(day))) : null;
      if (cached?.success) {
        for (const [hour, totals] of Object.entries(cached.data)) hours.set(hour, totals);
      } else {
        missing.push({ from: Math.max(from, range.from), to: Math.min(to, range.to) });
      }
      cursor = to;
      day = addDays(day, 1);
    }
    if (missing.length > 0) {
      // One provider walk over the span the cache lacks, then keep what became closed.
      const span = { from: missing[0]!.from, to: missing[missing.length - 1]!.to };
      const paid = (await this.paidWithin(span, call)).filter((invoice) => {
        const at = Date.parse(invoice.paidAt ?? '');
        return missing.some((part) => at >= part.from && at < part.to);
      });
      const fetched = hourlyTotals(paid, tz, currency);
      for (const [hour, totals] of fetched) hours.set(hour, totals);
      for (const part of missing) {
        const date = localDateAt(part.from, tz);
        const whole = localDay(date, tz);
        if (part.from === whole.from && part.to === whole.to && whole.to <= closedBefore) {
          const entries = [...fetched].filter(([hour]) => hour.startsWith(date));
          await this.store.set(this.dayKey(date), Object.fromEntries(entries), CLOSED_DAY_TTL_MS);
        }
      }
    }
    return regroup(hours, group);
  }

  /** One local day's sales: paid by when it was paid, everything else by when it was made. */
  private async dayOf(date: string, call: Call): Promise<{ day: TimeRange; payments: Invoice[] }> {
    const day = localDay(date, this.settings.timezone);
    // Sales paid today may have been made before midnight.
    const listed = await this.sales({ from: day.from - paidLookbackMs(this.settings.invoiceExpirySec), to: day.to }, call);
    const inDay = (iso: string | null) => iso !== null && Date.parse(iso) >= day.from && Date.parse(iso) < day.to;
    return { day, payments: listed.filter((invoice) => (invoice.status === 'paid' ? inDay(invoice.paidAt) : inDay(invoice.createdAt))) };
  }

  /** One cashier's day: their own sales and tips, nobody else's. */
  async shift(date: string, cashier: SaleCashier, call: Call): Promise<Shift> {
    const { timezone, currency } = this.settings;
    const sales = (await this.dayOf(date, call)).payments.filter((invoice) => soldBy(invoice, cashier.id));
    const totals = empty();
    for (const invoice of sales) if (invoice.status === 'paid') add(totals, invoice, currency);
    return { date, timezone, currency, cashier, totals, sales };
  }

  /** One local day's cash-up: paid by when it was paid, everything else by when it was made; and by cashier. */
  async cashup(date: string, call: Call): Promise<Cashup> {
    const { timezone: tz, currency, storeName } = this.settings;
    const { day, payments } = await this.dayOf(date, call);
    const totals: Record<InvoiceStatus, SaleTotals> = { paid: empty(), pending: empty(), expired: empty(), cancelled: empty() };
    for (const invoice of payments) add(totals[invoice.status], invoice, currency);
    const paidTimes = payments.flatMap((i) => (i.status === 'paid' && i.paidAt ? [Date.parse(i.paidAt)] : [])).sort((a, b) => a - b);
    return {
      date,
      timezone: tz,
      currency,
      storeName,
      from: new Date(day.from).toISOString(),
      to: new Date(day.to).toISOString(),
      totals,
      firstSaleAt: paidTimes.length > 0 ? new Date(paidTimes[0]!).toISOString() : null,
      lastSaleAt: paidTimes.length > 0 ? new Date(paidTimes[paidTimes.length - 1]!).toISOString() : null,
      cashiers: totalsByCashier(payments, currency),
      payments,
    };
  }

  private dayKey(date: string): string {
    return `history:${this.provider.id}:${this.settings.timezone}:${this.settings.currency}:${date}`;
  }
}
