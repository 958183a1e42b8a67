/**
 * How a fake BTCPay lists a store's invoices (`GreenfieldInvoiceController.cs` GetInvoices →
 * `Services/Invoices/InvoiceRepository.cs` GetInvoiceQuery, v2.0.0): by `orderId`, `status`,
 * `textSearch`, `startDate`/`endDate` (unix seconds, both inclusive), newest first, `skip`/`take`,
 * archived invoices left out unless `includeArchived=true`. There is no total.
 */
import type { FakeBtcpayInvoice, InvoiceStatus } from './state';
import { pagesLists, statusFilterMatches, type BtcpayMode } from './versions';

/** The lower-case legacy status BTCPay stores (`InvoiceState.ToString`). */
const LEGACY: Record<InvoiceStatus, string> = { New: 'new', Processing: 'paid', Settled: 'complete', Expired: 'expired', Invalid: 'invalid' };

export type ListQuery = { ok: true; matches: (invoice: FakeBtcpayInvoice) => boolean; skip: number; take: number | undefined } | { ok: false; problems: { path: string; message: string }[] };

export function readListQuery(query: (name: string) => string | undefined, queries: (name: string) => string[] | undefined, mode: BtcpayMode): ListQuery {
  const problems: { path: string; message: string }[] = [];
  const integer = (name: string): number | undefined => {
    const raw = query(name);
    if (raw === undefined || raw === '') return undefined;
    if (/^-?\d+$/.test(raw)) return Number(raw);
    problems.push({ path: name, message: `The value '${raw}' is not valid.` });
    return undefined;
  };
  const [startSec, endSec, skip, take] = [integer('startDate'), integer('endDate'), integer('skip'), integer('take')];
  if (startSec !== undefined && endSec !== undefined && startSec > endSec) problems.push({ path: 'startDate', message: 'startDate should not be above endDate' });
  if (problems.length > 0) return { ok: false, problems };
  const orderIds = queries('orderId') ?? [];
  const statuses = queries('status') ?? [];
  const text = query('textSearch')?.toLowerCase();
  const includeArchived = query('includeArchived')?.toLowerCase() === 'true';
  const matches = (invoice: FakeBtcpayInvoice) => {
    const createdSec = Math.floor(invoice.createdAtMs / 1000);
    const orderId = invoice.metadata.orderId;
    return (
      (includeArchived || !invoice.archived) &&
      (orderIds.length === 0 || (typeof orderId === 'string' && orderIds.includes(orderId))) &&
      (statuses.length === 0 || statusFilterMatches(mode, statuses, LEGACY[invoice.status])) &&
      (text === undefined || [invoice.id, orderId, invoice.metadata.itemDesc].some((f) => typeof f === 'string' && f.toLowerCase().includes(text))) &&
      (startSec === undefined || createdSec >= startSec) &&
      (endSec === undefined || createdSec <= endSec)
    );
  };
  const paged = pagesLists(mode);
  return { ok: true, matches, skip: paged ? Math.max(0, skip ?? 0) : 0, take: paged && take !== undefined ? Math.max(0, take) : undefined };
}

export function listInvoices(all: Iterable<FakeBtcpayInvoice>, storeId: string, query: Extract<ListQuery, { ok: true }>): FakeBtcpayInvoice[] {
  const newestFirst = [...all].filter((i) => i.storeId === storeId && query.matches(i)).sort((a, b) => b.createdAtMs - a.createdAtMs || b.sequence - a.sequence);
  return newestFirst.slice(query.skip, query.take === undefined ? undefined : query.skip + query.take);
}
