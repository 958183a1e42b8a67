/**
 * The proxy's HTTP API (docs/api.md) as zod schemas: the proxy validates requests with them and
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

/**
 * The languages the POS speaks, as BCP 47 tags (`POS_LANGUAGE`, a tablet's own choice). English
 * is the source language: every other one is translated from it.
 */
export const languages = ['en', 'es', 'pt-BR', 'de', 'fr'] as const;
export const Language = z.enum(languages);
export type Language = z.infer<typeof Language>;

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
  /** Extension: the largest invoice the proxy accepts, in sats (docs/api.md upper bound). */
  maxInvoiceSats: z.int(),
  /** Extension: PINs are only checked from a paired tablet (every provider but the demo). */
  pairingRequired: z.boolean(),
  /** Extension: the store's address for receipts (`POS_STORE_ADDRESS`), when configured. */
  storeAddress: z.optional(z.string()),
  /** Extension: the tip percentages the customer is offered after Charge; empty when tips are off. */
  tipPercents: z.array(z.number()),
  /**
   * Extension: what the provider does that the screens must follow, as facts rather than vendor
   * names. `renewsQr`: a pending invoice's BOLT11 and expiry change while the sale is open.
   */
  capabilities: z.object({ renewsQr: z.boolean() }),
  /**
   * Extension: the store's language (`POS_LANGUAGE`), when set; without it each tablet speaks its
   * browser's language (English when the POS does not speak that one).
   */
  language: z.optional(Language),
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

export const CASHIER_NAME_MAX_LENGTH = 30;

/** A cashier's stable id: 8 hex digits (made from the name, staff.ts), or `manager`. */
export const CashierId = z.string().check(z.regex(/^(?:[0-9a-f]{8}|manager)$/));

/**
 * Extension: who charged a sale. `id` is what the sale keeps at the provider; `name` is the name
 * today's staff list gives that id: empty for the single cashier PIN of a shop without named
 * cashiers, and for a cashier no longer on the list.
 */
export const SaleCashier = z.object({ id: CashierId, name: z.string() });
export type SaleCashier = z.infer<typeof SaleCashier>;

/** The id of the one cashier of a shop without named cashiers (`POS_CASHIER_PIN`). */
export const UNNAMED_CASHIER_ID = 'ace9db29';
/** A sale the manager rings up is the manager's. */
export const MANAGER_AS_CASHIER: SaleCashier = { id: 'manager', name: 'Manager' };

/** `cashier` (extension): the signed-in cashier; absent for the manager. */
export const Session = z.object({ token: z.string(), role: Role, expiresAt: IsoDateTime, cashier: z.optional(SaleCashier) });
export type Session = z.infer<typeof Session>;

// ---------------------------------------------------------------- devices (pairing)

/** The request header that carries a paired tablet's credential to `POST /api/session`. */
export const DEVICE_HEADER = 'X-POS-Device';

export const DEVICE_NAME_MAX_LENGTH = 40;

export const PairRequest = z.object({
  /** The shop's set-up code (`POS_SETUP_CODE`) or a one-time pairing code a manager made. */
  code: z.string().check(z.minLength(1), z.maxLength(200)),
  /** What the devices list calls this tablet ("Front counter"). */
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(DEVICE_NAME_MAX_LENGTH), printable)),
});
export type PairRequest = z.infer<typeof PairRequest>;

export const PairedDevice = z.object({
  /** The credential: kept by the tablet and sent as `X-POS-Device` when it unlocks. */
  device: z.string(),
  id: z.string(),
  name: z.string(),
  pairedAt: IsoDateTime,
});
export type PairedDevice = z.infer<typeof PairedDevice>;

export const DeviceInfo = z.object({
  id: z.string(),
  name: z.string(),
  pairedAt: IsoDateTime,
  /** The last request of one of its sessions (within a few minutes), or null if never unlocked. */
  lastSeenAt: z.nullable(IsoDateTime),
  /** Until when wrong PINs keep it locked, or null. */
  lockedUntil: z.nullable(IsoDateTime),
  /** The tablet asking. */
  current: z.boolean(),
});
export type DeviceInfo = z.infer<typeof DeviceInfo>;

export const DeviceList = z.object({ data: z.array(DeviceInfo) });
export type DeviceList = z.infer<typeof DeviceList>;

export const DeviceId = z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/, 'is not a device id'));

/** A one-time pairing code: typed on the new tablet, or scanned as `<origin>/pair#<code>`. */
export const PairingCode = z.object({ code: z.string(), expiresAt: IsoDateTime });
export type PairingCode = z.infer<typeof PairingCode>;

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
  /** Extension: who charged it; null (or absent) for a sale made before the POS recorded cashiers. */
  cashier: z.optional(z.nullable(SaleCashier)),
});
export type Invoice = z.infer<typeof Invoice>;

export const finalStatuses: readonly InvoiceStatus[] = ['paid', 'expired', 'cancelled'];

export function isFinal(status: InvoiceStatus): boolean {
  return finalStatuses.includes(status);
}
