/**
 * Reports in the store's time zone. A day is a local calendar day (23 or 25 hours across a
 * daylight-saving change; a sale at 23:30 local belongs to that local day), built from the
 * providers' own lists of paid invoices and aggregated here, since no provider buckets by the
 * store's zone (LNbits buckets by its server's day).
 *
 * Totals are kept per local hour; a day that is over (and past a margin for late settlements) never
 * changes again, so its hours are cached and a report over a long range asks the provider only for
 * the days it has not seen closed.
 */
import { TZDate } from '@date-fns/tz';
import { MANAGER_AS_CASHIER, type Invoice, type InvoiceStatus, type SaleCashier } from '../contract/api';
import type { CashierTotals, Cashup, HistoryBucket, HistoryGroup, SaleTotals, Shift } from '../contract/reports';
import { addDays, localDateAt } from '../contract/dates';
import type { Config } from './config';
import { withEffectiveStatus, type InvoiceQuery, type Provider, type TimeRange } from './providers/provider';
import type { KeyValueStore } from './store';
import { z } from './zod';

/** A day counts as closed this long after its end: a payment seen a little late still lands. */
export const CLOSED_DAY_MARGIN_MS = 2 * 3600_000;
const CLOSED_DAY_TTL_MS = 35 * 24 * 3600_000;

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

/** Pages a provider's list asks for at a time (Strike takes at most 100). */
const LIST_PAGE = 100;
const MAX_LIST_PAGES = 1_000;

/** Every invoice a provider lists for the query, page by page, newest first. */
export async function listAll(provider: Provider, query: Omit<InvoiceQuery, 'limit' | 'offset'>): Promise<Invoice[]> {
  const all: Invoice[] = [];
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const { data, total } = await provider.listInvoices({ ...query, limit: LIST_PAGE, offset: page * LIST_PAGE });
    all.push(...data);
    if (data.length < LIST_PAGE || all.length >= total) break;
  }
  return all;
}

/** Whether a sale is this cashier's (`none`: made before the POS recorded cashiers). */
export function soldBy(invoice: Invoice, cashierId: string): boolean {
  return cashierId === 'none' ? !invoice.cashier : invoice.cashier?.id === cashierId;
}

/**
 * Paid sales by cashier, each named as on today's staff list or else as their latest sale recorded;
 * by name, then the sales made before the POS recorded cashiers.
 */
export function totalsByCashier(payments: Invoice[], storeCurrency: string, staff: readonly SaleCashier[]): CashierTotals[] {
  const groups = new Map<string, CashierTotals>();
  for (const invoice of payments) {
    if (invoice.status !== 'paid') continue;
    const key = invoice.cashier?.id ?? 'none';
    let group = groups.get(key);
    if (!group) {
      group = { cashier: invoice.cashier ? nameOf(invoice.cashier, staff) : null, ...empty() };
      groups.set(key, group);
    }
    add(group, invoice, storeCurrency);
  }
  return [...groups.values()].sort((a, b) => {
    if (!a.cashier || !b.cashier) return a.cashier ? -1 : b.cashier ? 1 : 0;
    return a.cashier.name.localeCompare(b.cashier.name) || a.cashier.id.localeCompare(b.cashier.id);
  });
}

function nameOf(cashier: SaleCashier, staff: readonly SaleCashier[]): SaleCashier {
  const current = cashier.id === MANAGER_AS_CASHIER.id ? MANAGER_AS_CASHIER : staff.find((member) => member.id === cashier.id);
  return { id: cashier.id, name: current?.name ?? cashier.name };
}

const Cached = z.record(z.string(), z.object({ count: z.int(), amountSats: z.int(), amount: z.int(), tip: z.int() }));

// ------------------------------------------------------------------ the service

export class Reports {
  constructor(
    private readonly provider: Provider,
    private readonly store: KeyValueStore,
    private readonly config: Config,
    private readonly now: () => number,
  ) {}

  /** Paid totals over `range`, bucketed by `group` in the store's zone. */
  async history(range: TimeRange, group: HistoryGroup): Promise<HistoryBucket[]> {
    const { timezone: tz, currency } = this.config;
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
      const paid = (await this.provider.paidInvoices(span)).filter((invoice) => {
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
  private async dayOf(date: string): Promise<{ day: TimeRange; payments: Invoice[] }> {
    const { timezone: tz, invoiceExpirySec } = this.config;
    const day = localDay(date, tz);
    const now = this.now();
    // Sales paid today may have been made before midnight, within one invoice lifetime.
    const lifetimeMs = Math.max(invoiceExpirySec, this.config.demo.invoiceExpirySec) * 1000;
    const listed = await listAll(this.provider, { from: day.from - lifetimeMs, to: day.to });
    const inDay = (iso: string | null) => iso !== null && Date.parse(iso) >= day.from && Date.parse(iso) < day.to;
    const payments = listed
      .map((invoice) => withEffectiveStatus(invoice, now))
      .filter((invoice) => (invoice.status === 'paid' ? inDay(invoice.paidAt) : inDay(invoice.createdAt)));
    return { day, payments };
  }

  /** One cashier's day: their own sales and tips, nobody else's. */
  async shift(date: string, cashier: SaleCashier): Promise<Shift> {
    const { timezone, currency } = this.config;
    const sales = (await this.dayOf(date)).payments.filter((invoice) => soldBy(invoice, cashier.id));
    const totals = empty();
    for (const invoice of sales) if (invoice.status === 'paid') add(totals, invoice, currency);
    return { date, timezone, currency, cashier, totals, sales };
  }

  /** One local day's cash-up: paid by when it was paid, everything else by when it was made. */
  async cashup(date: string): Promise<Cashup> {
    const { timezone: tz, currency, storeName } = this.config;
    const { day, payments } = await this.dayOf(date);
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
      cashiers: totalsByCashier(payments, currency, this.config.cashiers),
      payments,
    };
  }

  private dayKey(date: string): string {
    return `history:${this.provider.id}:${this.config.timezone}:${this.config.currency}:${date}`;
  }
}
