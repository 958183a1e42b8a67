/**
 * How a fake LNbits lists payments: `parse_filters` (`lnbits/decorators.py`) and `Filters`
 * (`lnbits/db.py`), as an in-memory query over the payments table. `field[op]=value` filters on
 * `PaymentFilters` fields, `sortby` + `direction`, `limit` + `offset`. Unknown fields and
 * operators are dropped silently, as LNbits does.
 */
import type { FakePayment } from './state';
import { defaultPageLimit, filtersOnStatus, timeFiltersFail, type LnbitsMode } from './versions';

const OPS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in', 'ex'] as const;
type Op = (typeof OPS)[number];

/** `PaymentFilters` (`lnbits/core/models/payments.py`, v1.4.0): the columns one may filter on. */
const COLUMNS = {
  status: (p: FakePayment) => p.status,
  tag: (p: FakePayment) => p.tag,
  checking_id: (p: FakePayment) => p.checkingId,
  amount: (p: FakePayment) => p.amountMsat,
  fee: (p: FakePayment) => p.feeMsat,
  memo: (p: FakePayment) => p.memo,
  time: (p: FakePayment) => p.timeMs,
  payment_hash: (p: FakePayment) => p.paymentHash,
  wallet_id: (p: FakePayment) => p.walletId,
} as const;
type Column = keyof typeof COLUMNS;

/** `__sort_fields__` of PaymentFilters (v1.4.0). */
const SORTABLE = {
  time: (p: FakePayment) => p.timeMs,
  created_at: (p: FakePayment) => p.createdAtMs,
  updated_at: (p: FakePayment) => p.updatedAtMs,
  amount: (p: FakePayment) => p.amountMsat,
  fee: (p: FakePayment) => p.feeMsat,
} as const;

interface Filter {
  column: Column;
  op: Op;
  values: (string | number)[];
}

export type ListOutcome =
  | { ok: true; data: FakePayment[]; total: number }
  /** What LNbits answers instead: its status and body. */
  | { ok: false; status: 400 | 500; detail: string };

/** A datetime filter value as pydantic reads one: unix seconds, or ISO (naive means UTC here). */
function timeValue(text: string): number | null {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) return null;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(zoned.replace(' ', 'T'));
  return Number.isNaN(ms) ? null : ms;
}

function parseFilters(query: Record<string, string[]>, mode: LnbitsMode): Filter[] {
  const filters: Filter[] = [];
  for (const [key, raw] of Object.entries(query)) {
    const match = /^([a-z_]+)\[([a-z]+)\]$/.exec(key) ?? /^([a-z_]+)()$/.exec(key);
    if (!match) continue;
    const [, name = '', opName = ''] = match;
    const op = OPS.find((o) => o === (opName || 'eq'));
    if (!op || !(name in COLUMNS)) continue;
    const column = name as Column;
    if (column === 'status' && !filtersOnStatus(mode)) continue;
    const texts = op === 'in' || op === 'ex' ? raw.flatMap((v) => v.split(',')) : raw;
    const values = texts.map((text) =>
      column === 'time' ? timeValue(text) : column === 'amount' || column === 'fee' ? (/^-?\d+$/.test(text) ? Number(text) : null) : text,
    );
    // LNbits skips a filter whose value does not validate.
    if (values.some((v) => v === null)) continue;
    filters.push({ column, op, values: values.filter((v): v is string | number => v !== null) });
  }
  return filters;
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function matches(p: FakePayment, { column, op, values }: Filter): boolean {
  const value = COLUMNS[column](p);
  if (value === null) return false;
  switch (op) {
    case 'eq':
    case 'in':
      return values.some((v) => compare(value, v) === 0);
    case 'ne':
    case 'ex':
      return values.every((v) => compare(value, v) !== 0);
    case 'gt':
      return values.some((v) => compare(value, v) > 0);
    case 'ge':
      return values.some((v) => compare(value, v) >= 0);
    case 'lt':
      return values.some((v) => compare(value, v) < 0);
    case 'le':
      return values.some((v) => compare(value, v) <= 0);
  }
}

/** `GET /api/v1/payments/paginated`: one page and the count of every match. */
export function listPayments(payments: FakePayment[], query: Record<string, string[]>, mode: LnbitsMode): ListOutcome {
  const last = (name: string) => query[name]?.at(-1);
  const filters = parseFilters(query, mode);
  if (filters.some((f) => f.column === 'time') && timeFiltersFail(mode)) {
    return { ok: false, status: 500, detail: 'Unexpected error! ID: fakeTimeFilter' };
  }
  const sortby = last('sortby');
  if (sortby !== undefined && !(sortby in SORTABLE)) {
    return { ok: false, status: 400, detail: '1 validation error for Filters\n__root__\n  Invalid sort field (type=value_error)' };
  }
  const limitText = last('limit');
  const offsetText = last('offset');
  if ((limitText !== undefined && !/^-?\d+$/.test(limitText)) || (offsetText !== undefined && !/^\d+$/.test(offsetText))) {
    return { ok: false, status: 400, detail: 'value is not a valid integer' };
  }
  let matching = payments.filter((p) => filters.every((f) => matches(p, f)));
  if (sortby !== undefined) {
    const key = SORTABLE[sortby as keyof typeof SORTABLE];
    const sign = last('direction') === 'desc' ? -1 : 1;
    matching = [...matching].sort((a, b) => sign * (key(a) - key(b)));
  }
  const limit = limitText === undefined || Number(limitText) === 0 ? defaultPageLimit(mode) : Number(limitText);
  const offset = Number(offsetText ?? 0);
  const data = limit === null || limit < 0 ? matching.slice(offset) : matching.slice(offset, offset + limit);
  // `lnbits/db.py` fetch_page counts only when the page found rows.
  return { ok: true, data, total: data.length > 0 ? matching.length : 0 };
}
