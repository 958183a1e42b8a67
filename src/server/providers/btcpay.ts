/**
 * BTCPay Server, Greenfield API, 1.4.0 and later. What this adapter knows about BTCPay and nothing
 * else does (docs/providers.md, "BTCPay Server"):
 * - `Authorization: token …`, store-scoped routes (they work on old and new servers alike). A
 *   store the key cannot see answers 403, like a missing permission.
 * - Invoices are made with the Lightning payment method only (the legacy id `BTC-LightningNetwork`,
 *   which every release takes); the BOLT11 is the `destination` of the method named `BTC-LN` (2.x)
 *   or `BTC-LightningNetwork` (1.x, in `paymentMethod`). On a store with lazy payment methods it is
 *   null until the method is activated; LNURL methods have none until scanned.
 * - `metadata.orderId` carries the sale attempt's reference (indexed: a retry finds its invoice),
 *   `metadata.pos` the sale (sale.ts). A store holds much else (its PoS app, payment requests,
 *   on-chain-only and LNURL invoices): only invoices with `metadata.pos` are the POS's sales, and
 *   nothing is ever activated for the others.
 * - Money that arrived is a sale: a Settled payment in `payments[]` makes the sale paid whatever
 *   the status says (Invalid after a cancel, Expired + PaidLate after the expiry).
 * - Lists leave archived invoices out unless asked (`includeArchived`), filter statuses
 *   case-sensitively before 1.11.2, and inline payment methods only from 2.3.6 (single reads from
 *   2.4.1): the POS filters statuses itself and reads payment methods with a few in flight at most,
 *   each BOLT11 once.
 * - Webhooks carry `BTCPay-Sig: sha256=<hex HMAC of the raw body>`; redeliveries keep the
 *   original delivery id, and the signed `timestamp` says how old a delivery is.
 * - Cancelling is marking the invoice Invalid, which needs `canmodifyinvoices`; a key without it
 *   (least privilege) gets the cancel remembered here.
 */
import type { InvoiceStatus, Rate } from '../../contract/api';
import { btcToSats, parseMajorUnits, SAT, toDecimalString } from '../../contract/money';
import type { Env } from '../config';
import { ApiError, ProviderError } from '../errors';
import { z } from '../zod';
import { parseCredentials } from './credentials';
import { VendorClient, type VendorResponse } from './http';
import { CancelMarks, collectPages, hmacKey, invalidSignature, mapLimited, Pacer, parseWebhookBody, verifyHmacHex } from './mechanics';
import {
  bolt11Facts,
  ProviderVersionError,
  satRate,
  versionAtLeast,
  type AdapterDeps,
  type Call,
  type IncomingWebhook,
  type NewInvoice,
  type Provider,
  type ProviderInvoice,
  type ReadContext,
  type SaleSettings,
  type TimeRange,
  type WebhookHint,
} from './provider';
import { posSaleOf, readPosSale } from './sale';

const BtcpayEnv = z.object({
  BTCPAY_URL: z.url({ protocol: /^https?$/, error: 'must be the http(s) base URL of your BTCPay Server' }),
  BTCPAY_API_KEY: z.string().check(z.minLength(20, 'must be a Greenfield API key')),
  BTCPAY_STORE_ID: z.string().check(z.regex(/^[A-Za-z0-9]{20,64}$/, 'must be the store id from the store’s settings')),
  BTCPAY_WEBHOOK_SECRET: z.optional(z.string().check(z.minLength(8, 'must be at least 8 characters'))),
});

export interface BtcpaySettings extends SaleSettings {
  baseUrl: string;
  apiKey: string;
  storeId: string;
  webhookSecret: string | undefined;
}

/** Paged invoice lists (`skip`/`take`) arrived in 1.4.0; older servers answer every invoice at once. */
export const BTCPAY_MIN_VERSION = '1.4.0';

const LIGHTNING_IDS = ['BTC-LN', 'BTC-LightningNetwork'];

const PaymentMethod = z.object({
  paymentMethodId: z.optional(z.string()),
  /** 1.x names the method here instead. */
  paymentMethod: z.optional(z.string()),
  /** Null until a lazy method is activated, and for a LNURL not yet scanned. */
  destination: z.nullish(z.string()),
  activated: z.optional(z.boolean()),
  /** The BTC price in the invoice's currency that BTCPay applied. */
  rate: z.optional(z.string()),
  /** What the method asks, in BTC. */
  amount: z.optional(z.string()),
  payments: z.nullish(z.array(z.object({ receivedDate: z.optional(z.number()), status: z.optional(z.string()) }))),
});
type PaymentMethod = z.infer<typeof PaymentMethod>;

const InvoiceData = z.object({
  id: z.string(),
  amount: z.string(),
  currency: z.string(),
  status: z.string(),
  createdTime: z.number(),
  expirationTime: z.number(),
  /** From 2.2.0. */
  paidAmount: z.optional(z.string()),
  metadata: z.nullish(z.record(z.string(), z.unknown())),
  paymentMethods: z.optional(z.array(PaymentMethod)),
});
type InvoiceData = z.infer<typeof InvoiceData>;

const ServerInfo = z.object({ version: z.string() });
const RateResult = z.array(z.object({ currencyPair: z.string(), rate: z.nullish(z.string()) }));
const Delivery = z.object({
  deliveryId: z.string(),
  originalDeliveryId: z.nullish(z.string()),
  type: z.string(),
  timestamp: z.number(),
  storeId: z.nullish(z.string()),
  invoiceId: z.nullish(z.string()),
});

/**
 * What the POS keeps of a sale's Lightning method: the BOLT11 (it never changes), once money has
 * arrived, when, and when the payments were last looked at.
 */
const Remembered = z.object({ bolt11: z.string(), paidAt: z.nullable(z.int()), checkedAt: z.int() });
type Remembered = z.infer<typeof Remembered>;

const PAGE_SIZE = 100;
const MAX_PAGES = 100;
/** Payment-method reads in flight at once, whatever the report. */
const METHOD_READS_IN_FLIGHT = 4;
const MEMORY_MS = 90 * 24 * 3600_000;

export function btcpayFromEnv(env: Env, sale: SaleSettings, deps: AdapterDeps): BtcpayProvider {
  const c = parseCredentials(BtcpayEnv, env);
  return new BtcpayProvider({ ...sale, baseUrl: c.BTCPAY_URL, apiKey: c.BTCPAY_API_KEY, storeId: c.BTCPAY_STORE_ID, webhookSecret: c.BTCPAY_WEBHOOK_SECRET }, deps);
}

export class BtcpayProvider implements Provider {
  readonly id = 'btcpay' as const;
  /** BTCPay sets no limit on authenticated invoice reads; one a second per invoice is plenty. */
  readonly readPolicy = { minAgeMs: 900 };
  readonly webhooks;
  private readonly client: VendorClient;
  private readonly webhookKey: Promise<CryptoKey> | undefined;
  private readonly invoices: string;
  private readonly cancels: CancelMarks;
  /** A reverse proxy in front of BTCPay may limit it: after a 429, polls keep the last answer. */
  private readonly pacer: Pacer<'read'>;

  constructor(
    private readonly settings: BtcpaySettings,
    private readonly deps: AdapterDeps,
  ) {
    this.client = new VendorClient({ name: 'BTCPay Server', baseUrl: settings.baseUrl, headers: { Authorization: `token ${settings.apiKey}` } }, deps.fetch);
    this.invoices = `/api/v1/stores/${encodeURIComponent(settings.storeId)}/invoices`;
    this.cancels = new CancelMarks('btcpay', deps.store, deps.now);
    this.pacer = new Pacer(30_000, deps.now);
    this.webhookKey = settings.webhookSecret ? hmacKey(settings.webhookSecret) : undefined;
    this.webhooks = this.webhookKey ? { verify: (webhook: IncomingWebhook) => this.verifyWebhook(webhook) } : undefined;
  }

  async checkVersion(call: Call): Promise<void> {
    const response = await this.client.send('GET', '/api/v1/server/info', call);
    if (response.status !== 200) throw this.failure(response);
    const { version } = this.client.parse(ServerInfo, response);
    if (!versionAtLeast(version, BTCPAY_MIN_VERSION)) {
      throw new ProviderVersionError(`BTCPay Server ${BTCPAY_MIN_VERSION} or later is required: the server at BTCPAY_URL is ${version}. Upgrade BTCPay Server, or use another provider.`);
    }
  }

  async createInvoice(input: NewInvoice, call: Call): Promise<ProviderInvoice> {
    const total = input.amount + input.tip;
    const response = await this.client.send('POST', this.invoices, call, {
      body: {
        amount: input.currency === SAT ? String(total) : toDecimalString(total, input.currency),
        currency: input.currency === SAT ? 'SATS' : input.currency,
        metadata: { orderId: input.reference, itemDesc: input.memo || this.settings.storeName, pos: posSaleOf(input) },
        checkout: {
          // The legacy name is accepted by 1.x and 2.x servers alike on input.
          paymentMethods: ['BTC-LightningNetwork'],
          expirationMinutes: Math.max(1, Math.ceil(this.settings.invoiceExpirySec / 60)),
        },
      },
    });
    if (response.status !== 200 && response.status !== 201) throw this.failure(response);
    const created = this.client.parse(InvoiceData, response);
    return this.toInvoice(created, await this.lightning(created, call, { activate: true }));
  }

  async findExisting(input: NewInvoice, _since: number, call: Call): Promise<ProviderInvoice | null> {
    const response = await this.client.send('GET', this.invoices, call, { query: { orderId: input.reference, includeArchived: true, includePaymentMethods: true } });
    if (response.status !== 200) throw this.failure(response);
    const found = this.client.parse(z.array(InvoiceData), response)[0];
    return found ? this.toInvoice(found, await this.lightning(found, call, { activate: true })) : null;
  }

  async getInvoice(id: string, context: ReadContext, call: Call): Promise<ProviderInvoice | null> {
    if (!/^[A-Za-z0-9]{1,64}$/.test(id)) return null;
    if (context.previous && this.pacer.paused('read')) return context.previous;
    const response = await this.client.send('GET', `${this.invoices}/${id}`, call, { query: { includePaymentMethods: true } });
    if (this.pacer.observe('read', response) && context.previous) return context.previous;
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.failure(response);
    const invoice = this.client.parse(InvoiceData, response);
    if (!readPosSale(invoice.metadata?.pos)) return this.toInvoice(invoice, null);
    return this.toInvoice(invoice, await this.lightning(invoice, call, { activate: false }));
  }

  async cancelInvoice(id: string, call: Call): Promise<ProviderInvoice | null> {
    const invoice = await this.getInvoice(id, {}, call);
    if (!invoice) return null;
    if (invoice.status === 'paid') throw new ApiError(409, 'conflict', 'This invoice is already paid, so it cannot be cancelled.');
    if (invoice.status !== 'pending') return invoice;
    const response = await this.client.send('POST', `${this.invoices}/${encodeURIComponent(id)}/status`, call, { body: { status: 'Invalid' } });
    if (response.status === 200) return { ...invoice, status: 'cancelled' };
    if (response.status !== 403) throw this.failure(response);
    // A least-privilege key cannot mark invoices: remember the cancel until it could not be paid.
    await this.cancels.mark(id, invoice.expiresAt);
    return { ...invoice, status: 'cancelled' };
  }

  async rate(call: Call): Promise<Rate> {
    const { currency } = this.settings;
    const now = this.deps.now();
    if (currency === SAT) return satRate('btcpay', now);
    const response = await this.client.send('GET', `/api/v1/stores/${encodeURIComponent(this.settings.storeId)}/rates`, call, { query: { currencyPair: `BTC_${currency}` } });
    let btcPrice: number;
    if (response.status === 403) {
      // Store rates need canviewstoresettings, which a least-privilege key lacks: use the rate
      // BTCPay applied to the store's latest invoice in that currency instead.
      btcPrice = await this.latestInvoiceRate(currency, call);
    } else {
      if (response.status !== 200) throw this.failure(response);
      btcPrice = Number(this.client.parse(RateResult, response).find((r) => r.currencyPair === `BTC_${currency}`)?.rate);
    }
    if (!(btcPrice > 0)) throw new ProviderError('error', `BTCPay Server has no BTC price in ${currency} for the POS.`);
    return { currency, satsPerUnit: 100_000_000 / btcPrice, btcPrice, source: 'btcpay', at: new Date(now).toISOString() };
  }

  async listSales(range: Partial<TimeRange>, call: Call): Promise<ProviderInvoice[]> {
    const invoices = await collectPages(
      async (index) => {
        const response = await this.client.send('GET', this.invoices, call, {
          query: {
            ...(range.from !== undefined ? { startDate: Math.floor(range.from / 1000) } : {}),
            // endDate is inclusive, in whole seconds: the last second of the range.
            ...(range.to !== undefined ? { endDate: Math.ceil(range.to / 1000) - 1 } : {}),
            // A sale the manager archived in BTCPay is still a sale.
            includeArchived: true,
            includePaymentMethods: true,
            skip: index * PAGE_SIZE,
            take: PAGE_SIZE,
          },
        });
        if (response.status !== 200) throw this.failure(response);
        return this.client.parse(z.array(InvoiceData), response);
      },
      { pageSize: PAGE_SIZE, maxPages: MAX_PAGES },
    );
    const ours = invoices.filter((invoice) => readPosSale(invoice.metadata?.pos) !== null && inRange(invoice.createdTime * 1000, range));
    return mapLimited(ours, METHOD_READS_IN_FLIGHT, async (invoice) => this.toInvoice(invoice, await this.lightning(invoice, call, { activate: false })));
  }

  // ------------------------------------------------------------------ webhooks

  private async verifyWebhook({ rawBody, headers }: IncomingWebhook): Promise<WebhookHint> {
    const match = /^sha256=(\S+)$/.exec((headers.get('BTCPay-Sig') ?? '').trim());
    if (!(await verifyHmacHex(await this.webhookKey, match?.[1] ?? '', rawBody))) throw invalidSignature();
    const delivery = parseWebhookBody(Delivery, rawBody, 'BTCPay Server');
    const ours = !delivery.storeId || delivery.storeId === this.settings.storeId;
    return {
      invoiceId: ours && delivery.type.startsWith('Invoice') ? (delivery.invoiceId ?? null) : null,
      // A redelivery is the same event again: deduplicate on the first delivery's id.
      deliveryId: delivery.originalDeliveryId ?? delivery.deliveryId,
      sentAt: delivery.timestamp * 1000,
    };
  }

  // ------------------------------------------------------------------ helpers

  /**
   * What the POS needs of a sale's Lightning method: the BOLT11 (remembered: it never changes) and
   * when money arrived. The method is read only when that is not known yet and may have changed
   * (a Settled, Invalid or Expired invoice; a new one just made). Only a create activates.
   */
  private async lightning(invoice: InvoiceData, call: Call, { activate }: { activate: boolean }): Promise<Remembered | null> {
    const key = `btcpay-sale:${invoice.id}`;
    const parsed = z.safeParse(Remembered, await this.deps.store.get(key));
    const known = parsed.success ? parsed.data : null;
    const moneyPossible = invoice.status !== 'New' && invoice.status !== 'Processing' && !(invoice.paidAmount !== undefined && Number(invoice.paidAmount) === 0);
    // An hour past its BOLT11's expiry no payment can arrive any more: what was read then stands.
    const settled = known !== null && known.checkedAt > Date.parse(bolt11Facts(known.bolt11, 'BTCPay Server').expiresAt) + 3600_000;
    if (known && (known.paidAt !== null || !moneyPossible || settled)) return known;

    let method = (invoice.paymentMethods ?? []).find(isLightning);
    if (!method || (!method.destination && activate)) {
      const path = `${this.invoices}/${encodeURIComponent(invoice.id)}/payment-methods`;
      const response = await this.client.send('GET', path, call);
      if (response.status !== 200) throw this.failure(response);
      method = this.client.parse(z.array(PaymentMethod), response).find(isLightning);
      if (method && !method.destination && activate) {
        // A store with lazy payment methods makes the BOLT11 only when asked.
        const id = method.paymentMethodId ?? method.paymentMethod ?? 'BTC-LN';
        const activated = await this.client.send('POST', `${path}/${encodeURIComponent(id)}/activate`, call);
        if (activated.status !== 200) throw this.failure(activated);
        const again = await this.client.send('GET', path, call);
        if (again.status !== 200) throw this.failure(again);
        method = this.client.parse(z.array(PaymentMethod), again).find(isLightning);
      }
    }
    const bolt11 = method?.destination?.replace(/^lightning:/i, '') ?? known?.bolt11;
    if (!bolt11) {
      if (activate) throw new ProviderError('error', 'BTCPay Server made no Lightning invoice. Ask the manager to enable Lightning for the store.');
      return null;
    }
    const received = (method?.payments ?? []).flatMap((p) => (p.status === 'Settled' && p.receivedDate ? [p.receivedDate * 1000] : []));
    // Marked Settled by the merchant without a payment: paid since the POS first saw it so.
    const paidAt = received.length > 0 ? Math.max(...received) : invoice.status === 'Settled' ? this.deps.now() : null;
    const remembered: Remembered = { bolt11, paidAt, checkedAt: this.deps.now() };
    await this.deps.store.set(key, remembered, MEMORY_MS);
    return remembered;
  }

  private async toInvoice(invoice: InvoiceData, lightning: Remembered | null): Promise<ProviderInvoice> {
    const pos = readPosSale(invoice.metadata?.pos);
    const facts = lightning ? bolt11Facts(lightning.bolt11, 'BTCPay Server') : null;
    const sale = pos ?? saleFromAmount(invoice);
    // Money that arrived is a sale, whatever the status says (Invalid after a cancel, Expired + PaidLate).
    let status: InvoiceStatus = lightning?.paidAt ? 'paid' : statusOf(invoice.status);
    if (status === 'pending' && (await this.cancels.has(invoice.id))) status = 'cancelled';
    const paidAt = status === 'paid' ? (lightning?.paidAt ?? this.deps.now()) : null;
    return {
      id: invoice.id,
      status,
      paymentRequest: lightning?.bolt11 ?? '',
      paymentHash: facts?.paymentHash ?? '',
      amountSats: facts?.amountSats ?? 0,
      createdAt: new Date(invoice.createdTime * 1000).toISOString(),
      expiresAt: facts?.expiresAt ?? new Date(invoice.expirationTime * 1000).toISOString(),
      amount: sale.amount,
      tip: sale.tip,
      currency: sale.currency,
      memo: pos ? (pos.memo ?? '') : typeof invoice.metadata?.itemDesc === 'string' ? invoice.metadata.itemDesc : '',
      paidAt: paidAt === null ? null : new Date(paidAt).toISOString(),
      reference: pos?.reference ?? null,
      cashier: pos?.cashier ?? null,
    };
  }

  private async latestInvoiceRate(currency: string, call: Call): Promise<number> {
    const response = await this.client.send('GET', this.invoices, call, { query: { take: 20 } });
    if (response.status !== 200) throw this.failure(response);
    const latest = this.client.parse(z.array(InvoiceData), response).find((i) => i.currency === currency);
    if (!latest) return NaN;
    const methods = await this.client.send('GET', `${this.invoices}/${encodeURIComponent(latest.id)}/payment-methods`, call);
    if (methods.status !== 200) throw this.failure(methods);
    return Number(this.client.parse(z.array(PaymentMethod), methods).find(isLightning)?.rate);
  }

  private failure(response: VendorResponse): ProviderError {
    if (response.status === 422 || response.status === 400) return new ProviderError('error', 'BTCPay Server refused the invoice details.');
    if (response.status === 403 || response.status === 401) {
      return new ProviderError(
        'error',
        'BTCPay Server refused the POS. Ask the manager to check BTCPAY_STORE_ID (a store the key cannot see is refused like this) and the API key’s permissions.',
      );
    }
    if (response.status === 404) return new ProviderError('error', 'BTCPay Server does not know that invoice route. Ask the manager to check BTCPAY_URL.');
    return this.client.failure(response);
  }
}

function isLightning(method: PaymentMethod): boolean {
  return LIGHTNING_IDS.includes(method.paymentMethodId ?? method.paymentMethod ?? '');
}

function inRange(time: number, range: Partial<TimeRange>): boolean {
  return (range.from === undefined || time >= range.from) && (range.to === undefined || time < range.to);
}

function statusOf(status: string): InvoiceStatus {
  switch (status) {
    case 'Settled':
      return 'paid';
    case 'Expired':
      return 'expired';
    case 'Invalid':
      return 'cancelled';
    default:
      return 'pending'; // New, Processing (paid on-chain, not yet confirmed: not paid until Settled)
  }
}

/** An invoice not made by the POS: its own amount, no tip. */
function saleFromAmount(invoice: InvoiceData): { amount: number; tip: number; currency: string } {
  if (invoice.currency === 'SATS' || invoice.currency === 'BTC') {
    const sats = invoice.currency === 'SATS' ? Number(parseMajorUnits(invoice.amount, SAT) ?? 0n) : btcToSats(invoice.amount);
    return { amount: sats ?? 0, tip: 0, currency: SAT };
  }
  return { amount: Number(parseMajorUnits(invoice.amount, invoice.currency) ?? 0n), tip: 0, currency: invoice.currency };
}
