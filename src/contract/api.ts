/**
 * The proxy's HTTP API (API.md) as zod schemas: the proxy validates requests with them and
 * the SPA parses responses with them, so both sides agree by construction.
 *
 * `zod/mini` keeps the SPA's bundle small; the proxy loads zod's English messages itself.
 */
import * as z from 'zod/mini';

export const providerIds = ['demo', 'lnbits', 'strike', 'btcpay'] as const;
export const ProviderId = z.enum(providerIds);
export type ProviderId = z.infer<typeof ProviderId>;

export const invoiceStatuses = ['pending', 'paid', 'expired', 'cancelled'] as const;
export const InvoiceStatus = z.enum(invoiceStatuses);
export type InvoiceStatus = z.infer<typeof InvoiceStatus>;

export const roles = ['cashier', 'manager'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

/** `SAT` or an ISO 4217 code. Whether the store accepts it is checked by the proxy. */
export const CurrencyCode = z.string().check(z.regex(/^[A-Z]{3}$/, 'must be SAT or a 3-letter ISO 4217 code'));

export const IsoDateTime = z.iso.datetime({ offset: false });

/** No control characters: a memo ends up on screens, receipts, CSV files and BOLT11s. */
const printable = z.regex(/^\P{Cc}*$/u, 'must not contain control characters');

export const MEMO_MAX_LENGTH = 140;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 64;

// ---------------------------------------------------------------- errors

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.record(z.string(), z.unknown())),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---------------------------------------------------------------- meta

export const Health = z.object({ ok: z.literal(true), provider: ProviderId });
export type Health = z.infer<typeof Health>;

export const AppConfig = z.object({
  provider: ProviderId,
  currency: CurrencyCode,
  timezone: z.string(),
  storeName: z.string(),
  demo: z.boolean(),
  /** Extension: the PINs to show as a hint, only in demo mode with the default PINs. */
  demoPins: z.optional(z.object({ cashier: z.string(), manager: z.string() })),
  /** Extension: the largest invoice the proxy accepts, in sats (API.md upper bound). */
  maxInvoiceSats: z.int(),
});
export type AppConfig = z.infer<typeof AppConfig>;

export const Rate = z.object({
  currency: CurrencyCode,
  /** Sats per one major unit of `currency`; a price, not an amount, so it may be fractional. */
  satsPerUnit: z.number().check(z.positive()),
  btcPrice: z.number().check(z.positive()),
  source: ProviderId,
  at: IsoDateTime,
});
export type Rate = z.infer<typeof Rate>;

// ---------------------------------------------------------------- session

export const Pin = z.string().check(z.regex(/^\d{4,12}$/, 'must be 4 to 12 digits'));

export const SessionRequest = z.object({ pin: Pin });
export type SessionRequest = z.infer<typeof SessionRequest>;

export const Session = z.object({ token: z.string(), role: Role, expiresAt: IsoDateTime });
export type Session = z.infer<typeof Session>;

// ---------------------------------------------------------------- invoices

export const InvoiceId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,128}$/, 'is not an invoice id'));

export const IdempotencyKey = z.string().check(
  z.minLength(1),
  z.maxLength(IDEMPOTENCY_KEY_MAX_LENGTH),
  z.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
);

export const CreateInvoiceRequest = z.object({
  amount: z.int().check(z.gte(1)),
  currency: CurrencyCode,
  memo: z.optional(z.string().check(z.maxLength(MEMO_MAX_LENGTH), printable)),
  tip: z.optional(z.int().check(z.gte(0))),
});
export type CreateInvoiceRequest = z.infer<typeof CreateInvoiceRequest>;

export const Invoice = z.object({
  id: z.string(),
  status: InvoiceStatus,
  paymentRequest: z.string(),
  /** Empty only in lists of old Strike invoices, whose quote the proxy no longer knows. */
  paymentHash: z.string().check(z.regex(/^(?:[0-9a-f]{64})?$/)),
  /** Minor units of `currency`, without the tip. The customer pays `amount + tip`. */
  amount: z.int(),
  tip: z.int(),
  currency: CurrencyCode,
  /** What the BOLT11 asks for, in whole sats. */
  amountSats: z.int(),
  memo: z.string(),
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
  paidAt: z.nullable(IsoDateTime),
});
export type Invoice = z.infer<typeof Invoice>;

export const finalStatuses: readonly InvoiceStatus[] = ['paid', 'expired', 'cancelled'];

export function isFinal(status: InvoiceStatus): boolean {
  return finalStatuses.includes(status);
}

// ---------------------------------------------------------------- reports (manager)

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

export const PaymentsQuery = z.object({
  from: z.optional(ReportTime),
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

export const HistoryBucket = z.object({
  /** `YYYY-MM-DD` (day), `YYYY-MM-DDTHH` (hour) or `YYYY-MM` (month), local to the store. */
  date: z.string(),
  count: z.int(),
  amountSats: z.int(),
  /** Minor units of the store currency, of the sales priced in it, without tips. */
  amount: z.int(),
  tip: z.int(),
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

export const CashupTotals = z.object({
  count: z.int(),
  /** Store-currency minor units of the sales priced in it, without tips. */
  amount: z.int(),
  tip: z.int(),
  amountSats: z.int(),
});
export type CashupTotals = z.infer<typeof CashupTotals>;

/** Extension: one local day's cash-up. Paid by the time of payment; the rest by creation. */
export const Cashup = z.object({
  date: LocalDate,
  timezone: z.string(),
  currency: CurrencyCode,
  storeName: z.string(),
  from: IsoDateTime,
  to: IsoDateTime,
  totals: z.object({ paid: CashupTotals, pending: CashupTotals, expired: CashupTotals, cancelled: CashupTotals }),
  firstSaleAt: z.nullable(IsoDateTime),
  lastSaleAt: z.nullable(IsoDateTime),
  /** Every invoice of the day, newest first. */
  payments: z.array(Invoice),
});
export type Cashup = z.infer<typeof Cashup>;
