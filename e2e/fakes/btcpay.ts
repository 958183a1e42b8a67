/**
 * A fake BTCPay Server speaking the Greenfield API (v1 routes) as PROVIDERS.md §3.1–3.2 and the
 * OpenAPI fragments in ./btcpay-openapi describe it: one store whose only payment method is
 * Lightning, API-key auth with permissions, invoices with real signed BOLT11s, the list filters,
 * expiry by the clock, manual marking, and signed webhooks with redelivery.
 *
 * Every create request is checked against `CreateInvoiceRequest`, and every answer and webhook
 * body against its documented schema; mismatches are recorded (`schemaViolations()`), never
 * thrown, and a request is still answered the way BTCPay would (which ignores unknown fields and
 * answers 422 only for what its own deserialisation and checks catch).
 *
 * `version: 'v1'` plays an older 1.x server: legacy payment-method names only, the older
 * `payment-methods` shape, and none of the v2.4 store-less route aliases.
 */
import { createHmac } from 'node:crypto';
import { decode as decodeBolt11 } from '@atomiqlabs/bolt11';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from '../../src/server/zod';
import { btcpaySchemas } from './btcpay-schemas';
import { fakeApp, issueBolt11, randomHex, type FakeControl, type FakeEnv, type VendorErrors } from './common';

// ---------------------------------------------------------------- public shape

export interface FakeBtcpayOptions {
  storeId?: string;
  apiKey?: string;
  /**
   * Permissions of apiKey, e.g. ['btcpay.store.cancreateinvoice', 'btcpay.store.canviewinvoices']
   * (default: those two plus webhooks.canmodifywebhooks); store-scoped forms 'perm:storeId' also accepted
   */
  permissions?: string[];
  /** Default 'USD'. */
  storeCurrency?: string;
  /** BTC price per currency, major units (default USD 100 000, EUR 90 000). BTC and SATS are built in. */
  btcPrices?: Record<string, number>;
  /**
   * 'v2' (default): payment-methods use paymentMethodId 'BTC-LN'; 'v1': the older shape with
   * paymentMethod 'BTC-LightningNetwork' + cryptoCode; see PROVIDERS.md
   */
  version?: 'v1' | 'v2';
}

export type InvoiceStatus = 'New' | 'Processing' | 'Settled' | 'Expired' | 'Invalid';
export type InvoiceAdditionalStatus = 'None' | 'PaidPartial' | 'PaidOver' | 'PaidLate' | 'Marked' | 'Invalid';

export interface FakeBtcpayPayment {
  /** BTCPay names a Lightning payment by its payment hash. */
  id: string;
  receivedAtMs: number;
  /** BTC, decimal string. */
  value: string;
  status: 'Settled';
  destination: string;
}

export interface FakeBtcpayInvoice {
  readonly id: string;
  readonly storeId: string;
  /** Decimal string in `currency`, echoed as the client sent it. */
  readonly amount: string;
  readonly currency: string;
  status: InvoiceStatus;
  additionalStatus: InvoiceAdditionalStatus;
  readonly createdAtMs: number;
  expiresAtMs: number;
  readonly checkoutLink: string;
  metadata: Record<string, unknown>;
  readonly checkout: CheckoutOptions;
  readonly receipt: ReceiptOptions;
  readonly additionalSearchTerms: readonly string[];
  archived: boolean;
  readonly lightning: {
    bolt11: string;
    paymentHash: string;
    preimage: string;
    amountSats: number;
    /** Price of 1 BTC in the invoice currency, decimal string. */
    rate: string;
    /** `<node pubkey>@host:port` of the node that signed the BOLT11. */
    nodeInfo: string;
  };
  payments: FakeBtcpayPayment[];
  /** Creation order, to sort invoices created within the same second. */
  readonly sequence: number;
}

export interface FakeBtcpayDelivery {
  deliveryId: string;
  webhookId: string;
  originalDeliveryId: string;
  isRedelivery: boolean;
  type: WebhookEventType;
  invoiceId: string;
  url: string;
  /** The exact bytes sent, and the `BTCPay-Sig` header that signs them. */
  body: string;
  signature: string;
  timestampSec: number;
  deliveredAtSec: number | null;
  httpCode: number | null;
  status: 'Pending' | 'HttpSuccess' | 'HttpError' | 'Failed';
  errorMessage: string | null;
  /** How many automatic redeliveries came before this one. */
  retry: number;
}

export interface FakeBtcpay {
  app: Hono<FakeEnv>;
  control: FakeControl;
  storeId: string;
  apiKey: string;
  /** The customer pays the Lightning invoice: New → Settled, a payment recorded, webhooks sent (awaited). */
  pay(invoiceId: string): Promise<void>;
  /** Forces expiry (it also happens by itself once Date.now() passes expirationTime). */
  expire(invoiceId: string): Promise<void>;
  invoices(): readonly FakeBtcpayInvoice[];
  /** Every request/response/webhook that did not match the OpenAPI fragments. */
  schemaViolations(): readonly string[];
  /** Redelivery of the last delivery: new deliveryId, originalDeliveryId = the first, isRedelivery true. */
  redeliverLast(): Promise<void>;
  /** Every webhook delivery so far, oldest first. */
  deliveries(): readonly FakeBtcpayDelivery[];
  /** Waits until every queued webhook delivery has been answered (BTCPay sends them asynchronously). */
  flush(): Promise<void>;
  /** Cancels pending automatic redeliveries. */
  dispose(): void;
}

// ---------------------------------------------------------------- vendor constants

const PERMISSION = {
  createInvoice: 'btcpay.store.cancreateinvoice',
  viewInvoices: 'btcpay.store.canviewinvoices',
  modifyInvoices: 'btcpay.store.canmodifyinvoices',
  viewStoreSettings: 'btcpay.store.canviewstoresettings',
  modifyStoreSettings: 'btcpay.store.canmodifystoresettings',
  modifyWebhooks: 'btcpay.store.webhooks.canmodifywebhooks',
} as const;

const DEFAULT_PERMISSIONS = [PERMISSION.createInvoice, PERMISSION.viewInvoices, PERMISSION.modifyWebhooks];

/** Permissions that include others ("Some permissions may include other permissions", swagger.template.json). */
const IMPLIED_PERMISSIONS: Record<string, readonly string[]> = {
  [PERMISSION.modifyStoreSettings]: Object.values(PERMISSION),
  [PERMISSION.modifyInvoices]: [PERMISSION.viewInvoices, PERMISSION.createInvoice],
  [PERMISSION.viewStoreSettings]: [PERMISSION.viewInvoices],
};

/** Store defaults (swagger descriptions: expiration 15 min, monitoring 1440 min). */
const DEFAULT_EXPIRATION_MINUTES = 15;
const DEFAULT_MONITORING_MINUTES = 1440;
const MIN_EXPIRATION_SEC = 30;

const SATS_PER_BTC = 100_000_000n;

/** Payment-method ids BTCPay understands on input, per version (PROVIDERS.md "Payment method ids"). */
const LIGHTNING_IDS = { v1: ['BTC-LightningNetwork'], v2: ['BTC-LN', 'BTC-LightningNetwork'] } as const;
const KNOWN_PAYMENT_METHOD_IDS = {
  v1: ['BTC', 'BTC-OnChain', 'BTC-LightningNetwork', 'BTC-LNURLPAY'],
  v2: ['BTC-CHAIN', 'BTC-LN', 'BTC-LNURL', 'BTC', 'BTC-OnChain', 'BTC-LightningNetwork', 'BTC-LNURLPAY'],
} as const;

export const WEBHOOK_EVENT_TYPES = [
  'InvoiceCreated',
  'InvoiceReceivedPayment',
  'InvoiceProcessing',
  'InvoiceExpired',
  'InvoiceSettled',
  'InvoiceInvalid',
  'InvoicePaymentSettled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Automatic redelivery after 5xx, 429 or no answer: 10 s, 1 min, then 10 min six times (webhooks fragment). */
const REDELIVERY_DELAYS_MS = [10_000, 60_000, ...Array<number>(6).fill(600_000)];
const DELIVERY_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------- request bodies (as BTCPay reads them)

/*
 * These mirror BTCPay's deserialisation, not the OpenAPI schema: unknown fields are ignored, and
 * a decimal may come as a JSON number too. A wrong type on a known field is what becomes a 422.
 */
const nullableString = z.nullish(z.string());
const nullableNumber = z.nullish(z.number());
const nullableBoolean = z.nullish(z.boolean());

const CheckoutBody = z.object({
  speedPolicy: z.nullish(z.enum(['HighSpeed', 'MediumSpeed', 'LowSpeed', 'LowMediumSpeed'])),
  paymentMethods: z.nullish(z.array(z.string())),
  defaultPaymentMethod: nullableString,
  lazyPaymentMethods: nullableBoolean,
  expirationMinutes: nullableNumber,
  monitoringMinutes: nullableNumber,
  paymentTolerance: nullableNumber,
  redirectURL: nullableString,
  redirectAutomatically: nullableBoolean,
  defaultLanguage: nullableString,
});

const ReceiptBody = z.object({ enabled: nullableBoolean, showQR: nullableBoolean, showPayments: nullableBoolean });

const Metadata = z.record(z.string(), z.unknown());

const CreateInvoiceBody = z.object({
  amount: z.nullish(z.union([z.string(), z.number()])),
  currency: nullableString,
  metadata: z.nullish(Metadata),
  checkout: z.nullish(CheckoutBody),
  receipt: z.nullish(ReceiptBody),
  additionalSearchTerms: z.nullish(z.array(z.string())),
});

const UpdateInvoiceBody = z.object({ metadata: z.nullish(Metadata) });

const MarkStatusBody = z.object({ status: z.enum(['Invalid', 'Settled']) });

const WebhookBody = z.object({
  url: nullableString,
  enabled: nullableBoolean,
  automaticRedelivery: nullableBoolean,
  authorizedEvents: z.nullish(z.object({ everything: nullableBoolean, specificEvents: z.nullish(z.array(z.string())) })),
  secret: nullableString,
});

// ---------------------------------------------------------------- response shapes

/** The `checkout` BTCPay echoes, with the store's defaults filled in. */
export interface CheckoutOptions {
  speedPolicy: string;
  paymentMethods: string[];
  defaultPaymentMethod: string | null;
  lazyPaymentMethods: boolean;
  expirationMinutes: number;
  monitoringMinutes: number;
  paymentTolerance: number;
  redirectURL: string | null;
  redirectAutomatically: boolean;
  defaultLanguage: string | null;
}

export interface ReceiptOptions {
  enabled: boolean | null;
  showQR: boolean | null;
  showPayments: boolean | null;
}

interface ValidationError {
  path: string;
  message: string;
}

interface Webhook {
  id: string;
  storeId: string;
  url: string;
  enabled: boolean;
  automaticRedelivery: boolean;
  authorizedEvents: { everything: boolean; specificEvents: string[] };
  secret: string;
}

interface WebhookPayload {
  deliveryId: string;
  webhookId: string;
  originalDeliveryId: string;
  isRedelivery: boolean;
  type: WebhookEventType;
  timestamp: number;
  storeId: string;
  invoiceId: string;
  metadata: Record<string, unknown>;
  [extra: string]: unknown;
}

// ---------------------------------------------------------------- small helpers

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** BTCPay's ids (stores, invoices, webhooks, deliveries) are base58 strings; the modulo bias is harmless here. */
function randomBase58(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => BASE58[byte % BASE58.length]).join('');
}

const unixSeconds = (ms: number) => Math.floor(ms / 1000);

/** A non-negative decimal as an integer and a power of ten: value = units / 10^scale. */
interface Decimal {
  units: bigint;
  scale: number;
}

/** A decimal as BTCPay reads one from a string (a sign allowed, no exponent). */
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

function parseDecimal(text: string): Decimal | undefined {
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  const [whole = '0', fraction = ''] = text.split('.');
  return { units: BigInt(whole + fraction), scale: fraction.length };
}

/** A JSON number as the decimal text it stands for (no exponent). */
function numberText(value: number): string {
  const text = String(value);
  return /e/i.test(text) ? value.toFixed(20).replace(/\.?0+$/, '') : text;
}

/** Sats for `amount` at `price` (invoice currency per BTC), rounded up: the node must ask at least that. */
function satsFor(amount: Decimal, price: Decimal): bigint {
  const numerator = amount.units * SATS_PER_BTC * 10n ** BigInt(price.scale);
  const denominator = 10n ** BigInt(amount.scale) * price.units;
  return (numerator + denominator - 1n) / denominator;
}

function decimalText(value: Decimal): string {
  const digits = value.units.toString().padStart(value.scale + 1, '0');
  return value.scale === 0 ? digits : `${digits.slice(0, -value.scale)}.${digits.slice(-value.scale)}`;
}

/** BTC as BTCPay prints it: a plain decimal without trailing zeros ("0.0001", "0"). */
function formatBtc(sats: bigint): string {
  const sign = sats < 0n ? '-' : '';
  const magnitude = sats < 0n ? -sats : sats;
  const fraction = (magnitude % SATS_PER_BTC).toString().padStart(8, '0').replace(/0+$/, '');
  return `${sign}${magnitude / SATS_PER_BTC}${fraction ? `.${fraction}` : ''}`;
}

/** `checkout.paymentMethods[0]` from zod's path segments. */
function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((joined, segment) => {
    if (typeof segment === 'number') return `${joined}[${segment}]`;
    return joined === '' ? String(segment) : `${joined}.${String(segment)}`;
  }, '');
}

interface ZodErrorLike {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}

function zodErrors(error: ZodErrorLike): ValidationError[] {
  return error.issues.map((issue) => ({ path: jsonPath(issue.path), message: issue.message }));
}

function hmacHex(secret: string, body: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(body, 'utf8')).digest('hex');
}

const NGINX_PAGE = (status: string) =>
  `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

/**
 * Fault answers. BTCPay's own unhandled errors are ProblemDetails; 503 and 429 come from the
 * reverse proxy in front of it (BTCPay has no limit on these endpoints, PROVIDERS.md §3.1), so they
 * are nginx pages, not JSON.
 */
const vendorErrors: VendorErrors = {
  error: (c) => c.json({ code: 'server-error', message: 'An unexpected error happened on the server' }, 500),
  unavailable: (c) => c.html(NGINX_PAGE('503 Service Temporarily Unavailable'), 503),
  rateLimited: (c) => c.html(NGINX_PAGE('429 Too Many Requests'), 429, { 'Retry-After': '1' }),
};

class FakeBtcpayError extends Error {
  constructor(
    message: string,
    readonly httpStatus: 404 | 409,
  ) {
    super(message);
    this.name = 'FakeBtcpayError';
  }
}

// ---------------------------------------------------------------- the store's settings

interface StoreSettings {
  id: string;
  currency: string;
  version: 'v1' | 'v2';
  /** BTC price per currency (upper-case codes), major units. */
  btcPrices: ReadonlyMap<string, number>;
}

// ---------------------------------------------------------------- invoices as BTCPay shows them

/** Which statuses `POST …/status` accepts from the current one. */
function markableStatuses(invoice: FakeBtcpayInvoice): InvoiceStatus[] {
  if (invoice.status === 'Settled') return ['Invalid'];
  if (invoice.status === 'Invalid') return ['Settled'];
  return ['Settled', 'Invalid'];
}

/** `InvoiceData`. */
function invoiceData(invoice: FakeBtcpayInvoice) {
  const expirationTime = unixSeconds(invoice.expiresAtMs);
  return {
    id: invoice.id,
    storeId: invoice.storeId,
    amount: invoice.amount,
    paidAmount: invoice.payments.length > 0 ? invoice.amount : '0',
    currency: invoice.currency,
    type: 'Standard',
    checkoutLink: invoice.checkoutLink,
    createdTime: unixSeconds(invoice.createdAtMs),
    expirationTime,
    monitoringExpiration: expirationTime + invoice.checkout.monitoringMinutes * 60,
    status: invoice.status,
    additionalStatus: invoice.additionalStatus,
    availableStatusesForManualMarking: markableStatuses(invoice),
    archived: invoice.archived,
    metadata: invoice.metadata,
    checkout: invoice.checkout,
    receipt: invoice.receipt,
  };
}

/** `Payment`. */
function paymentData(payment: FakeBtcpayPayment) {
  return {
    id: payment.id,
    receivedDate: unixSeconds(payment.receivedAtMs),
    value: payment.value,
    fee: '0',
    status: payment.status,
    destination: payment.destination,
  };
}

/** What both shapes of the Lightning payment method share; amounts in BTC. */
function lightningAmounts(invoice: FakeBtcpayInvoice) {
  const amountSats = BigInt(invoice.lightning.amountSats);
  const paidSats = invoice.payments.length > 0 ? amountSats : 0n;
  return {
    destination: invoice.lightning.bolt11,
    paymentLink: `lightning:${invoice.lightning.bolt11}`,
    rate: invoice.lightning.rate,
    paymentMethodPaid: formatBtc(paidSats),
    totalPaid: formatBtc(paidSats),
    due: formatBtc(amountSats - paidSats),
    amount: formatBtc(amountSats),
    payments: invoice.payments.map(paymentData),
    activated: true,
  };
}

/** v2 `InvoicePaymentMethodDataModel`; the preimage counts as sensitive (`includeSensitive`). */
function paymentMethodV2(invoice: FakeBtcpayInvoice, includeSensitive: boolean) {
  const { paymentHash, preimage, nodeInfo } = invoice.lightning;
  return {
    paymentMethodId: 'BTC-LN',
    currency: 'BTC',
    ...lightningAmounts(invoice),
    paymentMethodFee: '0',
    additionalData: { paymentHash, ...(includeSensitive ? { preimage } : {}), invoiceId: paymentHash, nodeInfo },
  };
}

/** The 1.x shape: `paymentMethod` + `cryptoCode`, `networkFee`, no Lightning details. */
function paymentMethodV1(invoice: FakeBtcpayInvoice) {
  return {
    paymentMethod: 'BTC-LightningNetwork',
    cryptoCode: 'BTC',
    ...lightningAmounts(invoice),
    networkFee: '0',
    additionalData: {},
  };
}

// ---------------------------------------------------------------- creating invoices

type CreateInvoiceInput = z.infer<typeof CreateInvoiceBody>;

const amountTextOf = (input: CreateInvoiceInput) => (typeof input.amount === 'number' ? numberText(input.amount) : input.amount);

/** BTCPay's own checks on a create request that deserialised (all of them, one 422). */
function createProblems(input: CreateInvoiceInput, version: StoreSettings['version']): ValidationError[] {
  const problems: ValidationError[] = [];
  const amountText = amountTextOf(input);
  if (typeof amountText === 'string' && !DECIMAL_TEXT.test(amountText)) {
    problems.push({ path: 'amount', message: 'The amount should be a decimal number' });
  } else if (amountText?.startsWith('-')) {
    problems.push({ path: 'amount', message: 'The amount should be 0 or more.' });
  }
  const known: readonly string[] = KNOWN_PAYMENT_METHOD_IDS[version];
  (input.checkout?.paymentMethods ?? []).forEach((id, index) => {
    if (!known.includes(id)) problems.push({ path: `checkout.paymentMethods[${index}]`, message: 'Invalid payment method' });
  });
  const expirationMinutes = input.checkout?.expirationMinutes;
  if (expirationMinutes !== null && expirationMinutes !== undefined && expirationMinutes * 60 < MIN_EXPIRATION_SEC) {
    problems.push({ path: 'checkout.expirationMinutes', message: 'Expiration time must be at least 30 seconds' });
  }
  const tolerance = input.checkout?.paymentTolerance;
  if (tolerance !== null && tolerance !== undefined && (tolerance < 0 || tolerance > 100)) {
    problems.push({ path: 'checkout.paymentTolerance', message: 'PaymentTolerance can only be between 0 and 100 percent' });
  }
  return problems;
}

/** Price of 1 BTC in `currency`, or undefined when the store has no rate for it. */
function btcPrice(store: StoreSettings, currency: string): Decimal | undefined {
  if (currency === 'BTC') return { units: 1n, scale: 0 };
  if (currency === 'SATS') return { units: SATS_PER_BTC, scale: 0 };
  const price = store.btcPrices.get(currency);
  return price === undefined || price <= 0 ? undefined : parseDecimal(numberText(price));
}

const NO_PAYMENT_METHOD = 'No payment method available for this store';

/**
 * Builds the invoice, or says why BTCPay would refuse it. Only Lightning exists in this store, so
 * an invoice it cannot price in whole sats (top-up, zero, unknown currency) has no payment method.
 */
function buildInvoice(store: StoreSettings, input: CreateInvoiceInput, origin: string, sequence: number): FakeBtcpayInvoice | string {
  const requested = input.checkout?.paymentMethods ?? [];
  const lightningIds: readonly string[] = LIGHTNING_IDS[store.version];
  if (requested.length > 0 && !requested.some((id) => lightningIds.includes(id))) return NO_PAYMENT_METHOD;
  // "if null, empty or unspecified, the currency will be the store's settings default"
  const currency = (input.currency || store.currency).toUpperCase();
  const amountText = amountTextOf(input);
  const amount = amountText === null || amountText === undefined ? undefined : parseDecimal(amountText);
  const price = btcPrice(store, currency);
  if (!amountText || !amount || amount.units === 0n || !price) return NO_PAYMENT_METHOD;

  const nowMs = Date.now();
  const expirationMinutes = input.checkout?.expirationMinutes ?? DEFAULT_EXPIRATION_MINUTES;
  const expirySec = Math.max(1, Math.round(expirationMinutes * 60));
  const amountSats = satsFor(amount, price);
  const metadata = input.metadata ?? {};
  const description = typeof metadata.itemDesc === 'string' ? metadata.itemDesc : '';
  const issued = issueBolt11({ amountMsat: amountSats * 1000n, description, expirySec });
  const id = randomBase58(22);
  return {
    id,
    storeId: store.id,
    amount: amountText,
    currency,
    status: 'New',
    additionalStatus: 'None',
    createdAtMs: nowMs,
    expiresAtMs: nowMs + expirySec * 1000,
    checkoutLink: `${origin}/i/${id}`,
    metadata,
    checkout: checkoutOptions(store, input, expirationMinutes),
    receipt: {
      enabled: input.receipt?.enabled ?? null,
      showQR: input.receipt?.showQR ?? null,
      showPayments: input.receipt?.showPayments ?? null,
    },
    additionalSearchTerms: input.additionalSearchTerms ?? [],
    archived: false,
    lightning: {
      bolt11: issued.paymentRequest,
      paymentHash: issued.paymentHash,
      preimage: issued.preimage,
      amountSats: Number(amountSats),
      rate: decimalText(price),
      nodeInfo: `${decodeBolt11(issued.paymentRequest).payeeNodeKey ?? ''}@127.0.0.1:9735`,
    },
    payments: [],
    sequence,
  };
}

/** The checkout options BTCPay echoes: what was asked, with the store's defaults filled in. */
function checkoutOptions(store: StoreSettings, input: CreateInvoiceInput, expirationMinutes: number): CheckoutOptions {
  const checkout = input.checkout;
  return {
    speedPolicy: checkout?.speedPolicy ?? 'MediumSpeed',
    paymentMethods: [store.version === 'v2' ? 'BTC-LN' : 'BTC-LightningNetwork'],
    defaultPaymentMethod: checkout?.defaultPaymentMethod ?? null,
    lazyPaymentMethods: checkout?.lazyPaymentMethods ?? false,
    expirationMinutes,
    monitoringMinutes: checkout?.monitoringMinutes ?? DEFAULT_MONITORING_MINUTES,
    paymentTolerance: checkout?.paymentTolerance ?? 0,
    redirectURL: checkout?.redirectURL ?? null,
    redirectAutomatically: checkout?.redirectAutomatically ?? false,
    defaultLanguage: checkout?.defaultLanguage ?? null,
  };
}

/** `StoreRateResult`; only BTC_<currency> pairs have a rate in the fake store. */
function rateResult(store: StoreSettings, pair: string) {
  const currencyPair = pair.toUpperCase();
  const [base = '', quote = ''] = currencyPair.split('_');
  const price = base === 'BTC' ? btcPrice(store, quote) : undefined;
  if (!price) return { currencyPair, errors: [`No rate available for ${currencyPair}`] };
  return { currencyPair, errors: [], rate: decimalText(price) };
}

// ---------------------------------------------------------------- listing

interface ListQuery {
  orderIds: string[];
  statuses: string[];
  textSearch: string | undefined;
  startSec: number | undefined;
  endSec: number | undefined;
  skip: number;
  take: number | undefined;
  includeArchived: boolean;
}

/** Reads the list query as ASP.NET binds it: unreadable numbers and booleans are 422s. */
function readListQuery(c: Context): ListQuery | ValidationError[] {
  const problems: ValidationError[] = [];
  const integer = (name: string): number | undefined => {
    const raw = c.req.query(name);
    if (raw === undefined || raw === '') return undefined;
    if (/^-?\d+$/.test(raw)) return Number(raw);
    problems.push({ path: name, message: `The value '${raw}' is not valid.` });
    return undefined;
  };
  const startSec = integer('startDate');
  const endSec = integer('endDate');
  const skip = integer('skip') ?? 0;
  const take = integer('take');
  const archived = c.req.query('includeArchived');
  if (archived !== undefined && !/^(true|false)$/i.test(archived)) {
    problems.push({ path: 'includeArchived', message: `The value '${archived}' is not valid.` });
  }
  if (startSec !== undefined && endSec !== undefined && startSec > endSec) {
    problems.push({ path: 'startDate', message: 'startDate should not be above endDate' });
    problems.push({ path: 'endDate', message: 'endDate should not be below startDate' });
  }
  if (problems.length > 0) return problems;
  return {
    orderIds: c.req.queries('orderId') ?? [],
    statuses: c.req.queries('status') ?? [],
    textSearch: c.req.query('textSearch') || undefined,
    startSec,
    endSec,
    skip: Math.max(0, skip),
    take: take === undefined ? undefined : Math.max(0, take),
    includeArchived: archived?.toLowerCase() === 'true',
  };
}

/** What `textSearch` looks through: the id, order id, item, buyer and the additional search terms. */
function searchableText(invoice: FakeBtcpayInvoice): string {
  const { orderId, itemDesc, itemCode, buyerEmail, buyerName } = invoice.metadata;
  const fields = [invoice.id, orderId, itemDesc, itemCode, buyerEmail, buyerName, ...invoice.additionalSearchTerms];
  return fields
    .filter((field): field is string => typeof field === 'string')
    .join('\n')
    .toLowerCase();
}

function matchesQuery(invoice: FakeBtcpayInvoice, query: ListQuery): boolean {
  const createdSec = unixSeconds(invoice.createdAtMs);
  const orderId = invoice.metadata.orderId;
  return (
    (query.includeArchived || !invoice.archived) &&
    (query.orderIds.length === 0 || (typeof orderId === 'string' && query.orderIds.includes(orderId))) &&
    (query.statuses.length === 0 || query.statuses.includes(invoice.status)) &&
    (query.textSearch === undefined || searchableText(invoice).includes(query.textSearch.toLowerCase())) &&
    (query.startSec === undefined || createdSec >= query.startSec) &&
    (query.endSec === undefined || createdSec <= query.endSec)
  );
}

/** Newest first, then skip/take; BTCPay gives no total count. */
function listInvoices(invoices: Iterable<FakeBtcpayInvoice>, storeId: string, query: ListQuery): FakeBtcpayInvoice[] {
  const newestFirst = [...invoices]
    .filter((invoice) => invoice.storeId === storeId && matchesQuery(invoice, query))
    .sort((a, b) => b.createdAtMs - a.createdAtMs || b.sequence - a.sequence);
  return newestFirst.slice(query.skip, query.take === undefined ? undefined : query.skip + query.take);
}

// ---------------------------------------------------------------- webhooks

/** `WebhookData`: everything but the secret. */
function webhookData(webhook: Webhook) {
  const { id, enabled, automaticRedelivery, url, authorizedEvents } = webhook;
  return { id, enabled, automaticRedelivery, url, authorizedEvents };
}

/** `WebhookDeliveryData`. */
function deliveryData(delivery: FakeBtcpayDelivery) {
  return {
    id: delivery.deliveryId,
    timestamp: delivery.timestampSec,
    ...(delivery.deliveredAtSec === null ? {} : { deliveryTime: delivery.deliveredAtSec }),
    httpCode: delivery.httpCode,
    ...(delivery.errorMessage === null ? {} : { errorMessage: delivery.errorMessage }),
    status: delivery.status,
  };
}

/**
 * The store's webhooks and their deliveries. Deliveries go out asynchronously (BTCPay answers the
 * API call first), one at a time in the order events happened; `flush()` waits for them.
 */
class WebhookSender {
  readonly webhooks = new Map<string, Webhook>();
  readonly deliveries: FakeBtcpayDelivery[] = [];
  private readonly payloads = new Map<string, WebhookPayload>();
  private readonly redeliveryTimers = new Set<NodeJS.Timeout>();
  private chain: Promise<void> = Promise.resolve();

  /** `recordProblems` checks each body against the webhook schemas before it is sent. */
  constructor(private readonly recordProblems: (type: WebhookEventType, deliveryId: string, payload: WebhookPayload) => void) {}

  /** Sends `type` about `invoice` to every webhook of its store that wants it. */
  emit(invoice: FakeBtcpayInvoice, type: WebhookEventType, extras: Record<string, unknown> = {}): void {
    for (const webhook of this.webhooks.values()) {
      if (webhook.storeId !== invoice.storeId || !subscribes(webhook, type)) continue;
      const deliveryId = randomBase58(22);
      this.send(webhook, {
        deliveryId,
        webhookId: webhook.id,
        originalDeliveryId: deliveryId,
        isRedelivery: false,
        type,
        timestamp: unixSeconds(Date.now()),
        storeId: invoice.storeId,
        invoiceId: invoice.id,
        metadata: invoice.metadata,
        ...extras,
      });
    }
  }

  /** The same event again under a new delivery id, pointing back at the first one. */
  redeliver(original: FakeBtcpayDelivery, retry = 0): FakeBtcpayDelivery {
    const webhook = this.webhooks.get(original.webhookId);
    const payload = this.payloads.get(original.deliveryId);
    if (!webhook || !payload) throw new FakeBtcpayError(`delivery ${original.deliveryId} cannot be redelivered`, 409);
    const again = {
      ...payload,
      deliveryId: randomBase58(22),
      originalDeliveryId: original.originalDeliveryId,
      isRedelivery: true,
      timestamp: unixSeconds(Date.now()),
    };
    return this.send(webhook, again, retry);
  }

  payloadOf(delivery: FakeBtcpayDelivery): WebhookPayload | undefined {
    return this.payloads.get(delivery.deliveryId);
  }

  async flush(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.chain;
      await current;
    } while (current !== this.chain);
  }

  dispose(): void {
    for (const timer of this.redeliveryTimers) clearTimeout(timer);
    this.redeliveryTimers.clear();
  }

  /**
   * Queues one delivery. The body is indented JSON, signed as bytes: a receiver that checks the
   * signature of a re-serialisation instead of the raw body fails here, as it should.
   */
  private send(webhook: Webhook, payload: WebhookPayload, retry = 0): FakeBtcpayDelivery {
    this.recordProblems(payload.type, payload.deliveryId, payload);
    const body = JSON.stringify(payload, null, 2);
    const delivery: FakeBtcpayDelivery = {
      deliveryId: payload.deliveryId,
      webhookId: webhook.id,
      originalDeliveryId: payload.originalDeliveryId,
      isRedelivery: payload.isRedelivery,
      type: payload.type,
      invoiceId: payload.invoiceId,
      url: webhook.url,
      body,
      signature: `sha256=${hmacHex(webhook.secret, body)}`,
      timestampSec: payload.timestamp,
      deliveredAtSec: null,
      httpCode: null,
      status: 'Pending',
      errorMessage: null,
      retry,
    };
    this.deliveries.push(delivery);
    this.payloads.set(delivery.deliveryId, payload);
    this.chain = this.chain.then(() => this.post(delivery, webhook));
    return delivery;
  }

  private async post(delivery: FakeBtcpayDelivery, webhook: Webhook): Promise<void> {
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'BTCPay-Sig': delivery.signature },
        body: delivery.body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      delivery.httpCode = response.status;
      delivery.status = response.ok ? 'HttpSuccess' : 'HttpError';
      if (!response.ok) delivery.errorMessage = `HTTP ${response.status}`;
    } catch (error) {
      delivery.status = 'Failed';
      delivery.errorMessage = error instanceof Error ? error.message : 'the delivery failed';
    }
    delivery.deliveredAtSec = unixSeconds(Date.now());
    const code = delivery.httpCode;
    const worthRetrying = delivery.status === 'Failed' || (code !== null && (code >= 500 || code === 429));
    if (worthRetrying && webhook.automaticRedelivery) this.scheduleRedelivery(delivery);
  }

  private scheduleRedelivery(delivery: FakeBtcpayDelivery): void {
    const delayMs = REDELIVERY_DELAYS_MS[delivery.retry];
    if (delayMs === undefined) return;
    const timer = setTimeout(() => {
      this.redeliveryTimers.delete(timer);
      if (this.webhooks.has(delivery.webhookId)) this.redeliver(delivery, delivery.retry + 1);
    }, delayMs);
    // A pending retry must not keep a test run (or Playwright's web server) alive.
    timer.unref();
    this.redeliveryTimers.add(timer);
  }
}

function subscribes(webhook: Webhook, type: WebhookEventType): boolean {
  if (!webhook.enabled) return false;
  return webhook.authorizedEvents.everything || webhook.authorizedEvents.specificEvents.includes(type);
}

type WebhookInput = z.infer<typeof WebhookBody>;

/** The webhook settings of a create or update body, with BTCPay's defaults; or the 422. */
function webhookSettings(input: WebhookInput): Omit<Webhook, 'id' | 'storeId' | 'secret'> | ValidationError[] {
  const url = input.url ?? '';
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return [{ path: 'url', message: 'Invalid Url' }];
  return {
    url,
    enabled: input.enabled ?? true,
    automaticRedelivery: input.automaticRedelivery ?? true,
    authorizedEvents: {
      everything: input.authorizedEvents?.everything ?? true,
      specificEvents: input.authorizedEvents?.specificEvents ?? [],
    },
  };
}

// ---------------------------------------------------------------- the fake

export function createFakeBtcpay(options: FakeBtcpayOptions = {}): FakeBtcpay {
  const store: StoreSettings = {
    id: options.storeId ?? randomBase58(44),
    currency: (options.storeCurrency ?? 'USD').toUpperCase(),
    version: options.version ?? 'v2',
    btcPrices: new Map(
      Object.entries(options.btcPrices ?? { USD: 100_000, EUR: 90_000 }).map(([code, price]) => [code.toUpperCase(), price]),
    ),
  };
  const apiKey = options.apiKey ?? randomHex(20);
  const permissions = options.permissions ?? DEFAULT_PERMISSIONS;
  const schemas = btcpaySchemas();
  const invoicesById = new Map<string, FakeBtcpayInvoice>();
  const violations: string[] = [];
  const webhooks = new WebhookSender((type, deliveryId, payload) =>
    recordViolations('webhook', `${type} ${deliveryId}`, schemas.checkWebhookEvent(type, payload)),
  );
  let sequence = 0;

  // ------------------------------------------------------------ schema checks and answers

  function recordViolations(kind: 'request' | 'response' | 'webhook', what: string, problems: readonly string[]): void {
    if (problems.length > 0) violations.push(`${kind} ${what}: ${problems.join('; ')}`);
  }

  const where = (c: Context, operationId: string) => `${c.req.method} ${c.req.path} (${operationId})`;

  /** Answers with `body` after checking it against the operation's response (or a named schema). */
  function reply(c: Context, operationId: string, status: ContentfulStatusCode, body: unknown, schemaName?: string) {
    const problems = schemaName ? schemas.checkSchema(schemaName, body) : schemas.checkResponse(operationId, status, body);
    recordViolations('response', `${where(c, operationId)} ${status}`, problems);
    return c.json(body, status);
  }

  function replyEmpty(c: Context, operationId: string) {
    recordViolations('response', `${where(c, operationId)} 200`, schemas.checkResponse(operationId, 200, undefined));
    return c.body(null, 200);
  }

  const problem = (c: Context, operationId: string, status: ContentfulStatusCode, code: string, message: string) =>
    reply(c, operationId, status, { code, message });

  const invalid = (c: Context, operationId: string, errors: ValidationError[]) => reply(c, operationId, 422, errors);

  function checkQuery(c: Context, operationId: string): void {
    recordViolations('request', where(c, operationId), schemas.checkQuery(operationId, c.req.queries()));
  }

  /**
   * Parses a JSON body with `parser` (BTCPay's reading of it), after recording how it differs from
   * the documented one. Returns the parsed input, or the 422 BTCPay answers.
   */
  async function readBody<T>(
    c: Context,
    operationId: string,
    parser: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: ZodErrorLike } },
  ): Promise<T | Response> {
    let json: unknown;
    try {
      json = JSON.parse(await c.req.text());
    } catch {
      recordViolations('request', where(c, operationId), ['(root) the body is not JSON']);
      return invalid(c, operationId, [{ path: '', message: 'The request body is not valid JSON' }]);
    }
    recordViolations('request', where(c, operationId), schemas.checkRequestBody(operationId, json));
    const parsed = parser.safeParse(json);
    return parsed.success ? parsed.data : invalid(c, operationId, zodErrors(parsed.error));
  }

  // ------------------------------------------------------------ auth

  function grants(needed: string, targetStoreId: string): boolean {
    if (targetStoreId !== store.id) return false;
    return permissions.some((entry) => {
      const [permission = '', scope] = entry.split(':');
      if (permission === 'unrestricted') return true;
      if (scope !== undefined && scope !== targetStoreId) return false;
      return permission === needed || (IMPLIED_PERMISSIONS[permission] ?? []).includes(needed);
    });
  }

  /** 401 unless `Authorization: token <apiKey>` (Basic auth is not modelled). */
  function authenticate(c: Context, operationId: string): Response | undefined {
    const match = /^token\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '');
    if (match?.[1] === apiKey) return undefined;
    return problem(c, operationId, 401, 'unauthenticated', 'Authentication is required for accessing this endpoint');
  }

  /** 403 when the key lacks `permission` on `targetStoreId` (any other store than the fake's own). */
  function authorize(c: Context, operationId: string, permission: string, targetStoreId: string): Response | undefined {
    if (grants(permission, targetStoreId)) return undefined;
    const message = `Insufficient API Permissions. Please use an API key with permission "${permission}". You can create an API key in your account's settings / Api Keys.`;
    return problem(c, operationId, 403, 'missing-permission', message);
  }

  /** 401, then 403 for the path's store. */
  function guardStore(c: Context, operationId: string, permission: string): Response | undefined {
    return authenticate(c, operationId) ?? authorize(c, operationId, permission, c.req.param('storeId') ?? '');
  }

  /**
   * The thing a `…/stores/{storeId}/<kind>/{id}…` route or its store-less alias names, after
   * 401, 403 for the path's store, 404, then 403 for the thing's own store.
   */
  function guardOwned<T extends { storeId: string }>(
    c: Context,
    operationId: string,
    permission: string,
    found: T | undefined,
    notFound: { code: string; message: string },
  ): T | Response {
    const pathStoreId = c.req.param('storeId');
    const denied =
      authenticate(c, operationId) ??
      (pathStoreId === undefined ? undefined : authorize(c, operationId, permission, pathStoreId));
    if (denied) return denied;
    if (!found || (pathStoreId !== undefined && found.storeId !== pathStoreId)) {
      return problem(c, operationId, 404, notFound.code, notFound.message);
    }
    return authorize(c, operationId, permission, found.storeId) ?? found;
  }

  const guardInvoice = (c: Context, operationId: string, permission: string) =>
    guardOwned(c, operationId, permission, invoicesById.get(c.req.param('invoiceId') ?? ''), {
      code: 'invoice-not-found',
      message: 'The invoice was not found',
    });

  const guardWebhook = (c: Context, operationId: string) =>
    guardOwned(c, operationId, PERMISSION.modifyWebhooks, webhooks.webhooks.get(c.req.param('webhookId') ?? ''), {
      code: 'webhook-not-found',
      message: 'The webhook was not found',
    });

  // ------------------------------------------------------------ state changes

  /** Unpaid invoices expire by the clock; BTCPay notices on its own, the fake whenever it is asked. */
  function expireOverdue(): void {
    const nowMs = Date.now();
    for (const invoice of invoicesById.values()) {
      if (invoice.status === 'New' && nowMs >= invoice.expiresAtMs) markExpired(invoice);
    }
  }

  function markExpired(invoice: FakeBtcpayInvoice): void {
    invoice.status = 'Expired';
    invoice.additionalStatus = 'None';
    webhooks.emit(invoice, 'InvoiceExpired', { partiallyPaid: false });
  }

  function markManually(invoice: FakeBtcpayInvoice, status: 'Settled' | 'Invalid'): void {
    invoice.status = status;
    invoice.additionalStatus = 'Marked';
    if (status === 'Settled') webhooks.emit(invoice, 'InvoiceSettled', { manuallyMarked: true, overPaid: false });
    else webhooks.emit(invoice, 'InvoiceInvalid', { manuallyMarked: true });
  }

  function invoiceOrThrow(invoiceId: string): FakeBtcpayInvoice {
    expireOverdue();
    const invoice = invoicesById.get(invoiceId);
    if (!invoice) throw new FakeBtcpayError(`no invoice ${invoiceId}`, 404);
    return invoice;
  }

  async function pay(invoiceId: string): Promise<void> {
    const invoice = invoiceOrThrow(invoiceId);
    // A BOLT11 cannot be paid once it has expired, nor twice.
    if (invoice.status !== 'New') throw new FakeBtcpayError(`invoice ${invoiceId} is ${invoice.status}: it cannot be paid`, 409);
    const payment: FakeBtcpayPayment = {
      id: invoice.lightning.paymentHash,
      receivedAtMs: Date.now(),
      value: formatBtc(BigInt(invoice.lightning.amountSats)),
      status: 'Settled',
      destination: invoice.lightning.bolt11,
    };
    invoice.payments.push(payment);
    // Lightning settles at once: no Processing step (PROVIDERS.md §3.1 statuses).
    invoice.status = 'Settled';
    invoice.additionalStatus = 'None';
    const paymentEvent = { afterExpiration: false, paymentMethodId: 'BTC-LN', payment: paymentData(payment) };
    webhooks.emit(invoice, 'InvoiceReceivedPayment', paymentEvent);
    webhooks.emit(invoice, 'InvoicePaymentSettled', paymentEvent);
    webhooks.emit(invoice, 'InvoiceSettled', { manuallyMarked: false, overPaid: false });
    await webhooks.flush();
  }

  async function expire(invoiceId: string): Promise<void> {
    const invoice = invoiceOrThrow(invoiceId);
    if (invoice.status === 'New') {
      invoice.expiresAtMs = Math.min(invoice.expiresAtMs, Date.now());
      markExpired(invoice);
    } else if (invoice.status !== 'Expired') {
      throw new FakeBtcpayError(`invoice ${invoiceId} is ${invoice.status}: it cannot expire`, 409);
    }
    await webhooks.flush();
  }

  async function redeliverLast(): Promise<void> {
    await webhooks.flush();
    const last = webhooks.deliveries.at(-1);
    if (!last) throw new FakeBtcpayError('no delivery to redeliver yet', 409);
    webhooks.redeliver(last);
    await webhooks.flush();
  }

  function invoices(): readonly FakeBtcpayInvoice[] {
    expireOverdue();
    return [...invoicesById.values()];
  }

  // ------------------------------------------------------------ invoice routes

  const vendor = new Hono<FakeEnv>();
  vendor.use('*', async (_c, next) => {
    expireOverdue();
    await next();
  });

  /** Store-scoped routes, plus the v2.4 store-less aliases on a v2 server. */
  const aliased = (storeScoped: string, storeless: string) => [storeScoped, ...(store.version === 'v2' ? [storeless] : [])];
  const invoicePaths = (suffix = '') =>
    aliased(`/api/v1/stores/:storeId/invoices/:invoiceId${suffix}`, `/api/v1/invoices/:invoiceId${suffix}`);
  const webhookPaths = (suffix = '') =>
    aliased(`/api/v1/stores/:storeId/webhooks/:webhookId${suffix}`, `/api/v1/webhooks/:webhookId${suffix}`);
  const wantsPaymentMethods = (c: Context) => store.version === 'v2' && c.req.query('includePaymentMethods') === 'true';

  vendor.post('/api/v1/stores/:storeId/invoices', async (c) => {
    const op = 'Invoices_CreateInvoice';
    const denied = guardStore(c, op, PERMISSION.createInvoice);
    if (denied) return denied;
    const input = await readBody(c, op, CreateInvoiceBody);
    if (input instanceof Response) return input;
    const problems = createProblems(input, store.version);
    if (problems.length > 0) return invalid(c, op, problems);
    const invoice = buildInvoice(store, input, new URL(c.req.url).origin, sequence++);
    if (typeof invoice === 'string') return problem(c, op, 400, 'generic-error', invoice);
    invoicesById.set(invoice.id, invoice);
    webhooks.emit(invoice, 'InvoiceCreated');
    return reply(c, op, 200, invoiceData(invoice));
  });

  vendor.get('/api/v1/stores/:storeId/invoices', (c) => {
    const op = 'Invoices_GetInvoices';
    const denied = guardStore(c, op, PERMISSION.viewInvoices);
    if (denied) return denied;
    checkQuery(c, op);
    const query = readListQuery(c);
    if (Array.isArray(query)) return invalid(c, op, query);
    const withMethods = wantsPaymentMethods(c);
    const list = listInvoices(invoicesById.values(), c.req.param('storeId'), query).map((invoice) =>
      withMethods ? { ...invoiceData(invoice), paymentMethods: [paymentMethodV2(invoice, false)] } : invoiceData(invoice),
    );
    return reply(c, op, 200, list);
  });

  vendor.on('GET', invoicePaths(), (c) => {
    const op = 'Invoices_GetInvoice';
    const invoice = guardInvoice(c, op, PERMISSION.viewInvoices);
    if (invoice instanceof Response) return invoice;
    checkQuery(c, op);
    if (!wantsPaymentMethods(c)) return reply(c, op, 200, invoiceData(invoice));
    const body = { ...invoiceData(invoice), paymentMethods: [paymentMethodV2(invoice, false)] };
    return reply(c, op, 200, body, 'InvoiceDataWithPaymentMethods');
  });

  vendor.on('PUT', invoicePaths(), async (c) => {
    const op = 'Invoices_UpdateInvoice';
    const invoice = guardInvoice(c, op, PERMISSION.modifyInvoices);
    if (invoice instanceof Response) return invoice;
    const input = await readBody(c, op, UpdateInvoiceBody);
    if (input instanceof Response) return input;
    invoice.metadata = input.metadata ?? {};
    return reply(c, op, 200, invoiceData(invoice));
  });

  vendor.on('DELETE', invoicePaths(), (c) => {
    const op = 'Invoices_ArchiveInvoice';
    const invoice = guardInvoice(c, op, PERMISSION.modifyInvoices);
    if (invoice instanceof Response) return invoice;
    invoice.archived = true;
    return replyEmpty(c, op);
  });

  vendor.on('POST', invoicePaths('/unarchive'), (c) => {
    const op = 'Invoices_UnarchiveInvoice';
    const invoice = guardInvoice(c, op, PERMISSION.modifyInvoices);
    if (invoice instanceof Response) return invoice;
    invoice.archived = false;
    return reply(c, op, 200, invoiceData(invoice));
  });

  vendor.on('GET', invoicePaths('/payment-methods'), (c) => {
    const op = 'Invoices_GetInvoicePaymentMethods';
    const invoice = guardInvoice(c, op, PERMISSION.viewInvoices);
    if (invoice instanceof Response) return invoice;
    checkQuery(c, op);
    if (store.version === 'v1') return reply(c, op, 200, [paymentMethodV1(invoice)], 'InvoicePaymentMethodDataModelV1List');
    // "includeSensitive … Requires the permission btcpay.store.canmodifystoresettings" (invoices fragment).
    const includeSensitive = c.req.query('includeSensitive') === 'true';
    const denied = includeSensitive ? authorize(c, op, PERMISSION.modifyStoreSettings, invoice.storeId) : undefined;
    return denied ?? reply(c, op, 200, [paymentMethodV2(invoice, includeSensitive)]);
  });

  vendor.on('POST', invoicePaths('/payment-methods/:paymentMethodId/activate'), (c) => {
    const op = 'Invoices_ActivatePaymentMethod';
    const invoice = guardInvoice(c, op, PERMISSION.viewInvoices);
    if (invoice instanceof Response) return invoice;
    // Lightning is always activated here: lazy payment methods are not modelled.
    const lightningIds: readonly string[] = LIGHTNING_IDS[store.version];
    if (!lightningIds.includes(c.req.param('paymentMethodId') ?? '')) {
      return invalid(c, op, [{ path: 'paymentMethodId', message: 'Invalid payment method' }]);
    }
    return replyEmpty(c, op);
  });

  vendor.on('POST', invoicePaths('/status'), async (c) => {
    const op = 'Invoices_MarkInvoiceStatus';
    const invoice = guardInvoice(c, op, PERMISSION.modifyInvoices);
    if (invoice instanceof Response) return invoice;
    const input = await readBody(c, op, MarkStatusBody);
    if (input instanceof Response) return input;
    if (!markableStatuses(invoice).includes(input.status)) {
      const message = 'Status can only be marked to invalid or settled within certain conditions.';
      return invalid(c, op, [{ path: 'status', message }]);
    }
    markManually(invoice, input.status);
    return reply(c, op, 200, invoiceData(invoice));
  });

  vendor.get('/api/v1/stores/:storeId/rates', (c) => {
    const op = 'Stores_GetStoreRates';
    const denied = guardStore(c, op, PERMISSION.viewStoreSettings);
    if (denied) return denied;
    checkQuery(c, op);
    const pairs = c.req.queries('currencyPair') ?? [`BTC_${store.currency}`];
    const malformed = pairs.filter((pair) => !/^[A-Za-z0-9]+_[A-Za-z0-9]+$/.test(pair));
    if (malformed.length > 0) {
      return invalid(c, op, malformed.map((pair) => ({ path: 'currencyPair', message: `Invalid currency pair '${pair}'` })));
    }
    return reply(c, op, 200, pairs.map((pair) => rateResult(store, pair)));
  });

  // ------------------------------------------------------------ webhook routes

  vendor.post('/api/v1/stores/:storeId/webhooks', async (c) => {
    const op = 'Webhooks_CreateWebhook';
    const denied = guardStore(c, op, PERMISSION.modifyWebhooks);
    if (denied) return denied;
    const input = await readBody(c, op, WebhookBody);
    if (input instanceof Response) return input;
    const settings = webhookSettings(input);
    if (Array.isArray(settings)) return invalid(c, op, settings);
    const webhook: Webhook = {
      id: randomBase58(22),
      storeId: c.req.param('storeId'),
      ...settings,
      secret: input.secret || randomBase58(28),
    };
    webhooks.webhooks.set(webhook.id, webhook);
    // The only answer that ever shows the secret.
    return reply(c, op, 200, { ...webhookData(webhook), secret: webhook.secret });
  });

  vendor.get('/api/v1/stores/:storeId/webhooks', (c) => {
    const op = 'Webhooks_GetWebhooks';
    const denied = guardStore(c, op, PERMISSION.modifyWebhooks);
    if (denied) return denied;
    const list = [...webhooks.webhooks.values()].filter((webhook) => webhook.storeId === c.req.param('storeId'));
    return reply(c, op, 200, list.map(webhookData));
  });

  vendor.on('GET', webhookPaths(), (c) => {
    const op = 'Webhooks_GetWebhook';
    const webhook = guardWebhook(c, op);
    return webhook instanceof Response ? webhook : reply(c, op, 200, webhookData(webhook));
  });

  vendor.on('PUT', webhookPaths(), async (c) => {
    const op = 'Webhooks_UpdateWebhook';
    const webhook = guardWebhook(c, op);
    if (webhook instanceof Response) return webhook;
    const input = await readBody(c, op, WebhookBody);
    if (input instanceof Response) return input;
    const settings = webhookSettings(input);
    if (Array.isArray(settings)) return invalid(c, op, settings);
    Object.assign(webhook, settings, input.secret ? { secret: input.secret } : {});
    return reply(c, op, 200, webhookData(webhook));
  });

  vendor.on('DELETE', webhookPaths(), (c) => {
    const op = 'Webhooks_DeleteWebhook';
    const webhook = guardWebhook(c, op);
    if (webhook instanceof Response) return webhook;
    webhooks.webhooks.delete(webhook.id);
    return replyEmpty(c, op);
  });

  vendor.on('GET', webhookPaths('/deliveries'), (c) => {
    const op = 'Webhooks_GetWebhookDeliveries';
    const webhook = guardWebhook(c, op);
    if (webhook instanceof Response) return webhook;
    checkQuery(c, op);
    const count = Number(c.req.query('count') ?? '50');
    const answered = webhooks.deliveries.filter((d) => d.webhookId === webhook.id && d.status !== 'Pending');
    return reply(c, op, 200, answered.reverse().slice(0, count).map(deliveryData));
  });

  /** A delivery of the guarded webhook, or the 404 BTCPay gives. */
  function guardDelivery(c: Context, op: string): FakeBtcpayDelivery | Response {
    const webhook = guardWebhook(c, op);
    if (webhook instanceof Response) return webhook;
    const delivery = webhooks.deliveries.find((d) => d.deliveryId === c.req.param('deliveryId') && d.webhookId === webhook.id);
    return delivery ?? problem(c, op, 404, 'webhookdelivery-not-found', 'The webhook delivery was not found');
  }

  vendor.on('GET', webhookPaths('/deliveries/:deliveryId'), (c) => {
    const op = 'Webhooks_GetWebhookDelivery';
    const delivery = guardDelivery(c, op);
    return delivery instanceof Response ? delivery : reply(c, op, 200, deliveryData(delivery));
  });

  vendor.on('GET', webhookPaths('/deliveries/:deliveryId/request'), (c) => {
    const op = 'Webhooks_GetWebhookDeliveryRequests';
    const delivery = guardDelivery(c, op);
    return delivery instanceof Response ? delivery : reply(c, op, 200, webhooks.payloadOf(delivery));
  });

  vendor.on('POST', webhookPaths('/deliveries/:deliveryId/redeliver'), (c) => {
    const op = 'Webhooks_RedeliverWebhookDelivery';
    const delivery = guardDelivery(c, op);
    if (delivery instanceof Response) return delivery;
    // "Broadcast happens asynchronously with this call" (webhooks fragment): the id comes first.
    return reply(c, op, 200, webhooks.redeliver(delivery).deliveryId);
  });

  // ------------------------------------------------------------ control routes

  const control = new Hono<FakeEnv>();
  /** Runs a test action; a misuse (unknown invoice, paying twice) is a 404/409, not a crash. */
  const controlled = async (c: Context, action: () => Promise<unknown>) => {
    try {
      return c.json((await action()) ?? { ok: true });
    } catch (error) {
      if (error instanceof FakeBtcpayError) return c.json({ error: error.message }, error.httpStatus);
      throw error;
    }
  };
  control.post('/pay/:invoiceId', (c) =>
    controlled(c, async () => {
      await pay(c.req.param('invoiceId'));
      return invoiceData(invoiceOrThrow(c.req.param('invoiceId')));
    }),
  );
  control.post('/expire/:invoiceId', (c) =>
    controlled(c, async () => {
      await expire(c.req.param('invoiceId'));
      return invoiceData(invoiceOrThrow(c.req.param('invoiceId')));
    }),
  );
  control.get('/invoices', (c) => c.json(invoices()));
  control.get('/schema-violations', (c) => c.json(violations));
  control.get('/deliveries', (c) => c.json(webhooks.deliveries));
  control.post('/redeliver-last', (c) =>
    controlled(c, async () => {
      await redeliverLast();
      return webhooks.deliveries.at(-1);
    }),
  );
  control.post('/flush', (c) => controlled(c, () => webhooks.flush()));

  const { app, control: fakeControl } = fakeApp(vendor, vendorErrors, control);
  return {
    app,
    control: fakeControl,
    storeId: store.id,
    apiKey,
    pay,
    expire,
    invoices,
    schemaViolations: () => [...violations],
    redeliverLast,
    deliveries: () => [...webhooks.deliveries],
    flush: () => webhooks.flush(),
    dispose: () => webhooks.dispose(),
  };
}
