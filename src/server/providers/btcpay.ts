/**
 * BTCPay Server, Greenfield API. What this adapter knows about BTCPay and nothing else does:
 * - `Authorization: token …`, store-scoped routes (they work on old and new servers alike).
 * - Invoices are made with the Lightning payment method only; the BOLT11 is the `destination`
 *   of the payment method named `BTC-LN` (v2) or `BTC-LightningNetwork` (v1, which also answers
 *   an older shape that names it in `paymentMethod`). Reads inline the payment methods.
 * - `metadata.orderId` carries the sale attempt's reference (indexed: a retry finds its invoice),
 *   `metadata.itemDesc` the memo, `metadata.pos` the sale (amount, tip, currency, cashier).
 * - Statuses New/Processing → pending, Settled → paid, Expired → expired, Invalid → cancelled.
 * - Validation errors are 422 with `[{path, message}]`; there is no total in lists.
 * - Webhooks carry `BTCPay-Sig: sha256=<hex HMAC of the raw body>`; redeliveries keep the
 *   original delivery id, and the signed `timestamp` says how old a delivery is.
 * - Cancelling is marking the invoice Invalid, which needs `canmodifyinvoices`; a key without it
 *   (least privilege) gets the cancel remembered here until the invoice has expired.
 */
import { hexToBytes } from '@noble/hashes/utils';
import type { Invoice, InvoiceStatus, Rate } from '../../contract/api';
import { btcToSats, parseMajorUnits, SAT, toDecimalString } from '../../contract/money';
import type { Env } from '../config';
import { ApiError, ProviderError } from '../errors';
import { z } from '../zod';
import { parseCredentials } from './credentials';
import { posSaleOf, readPosSale } from './sale';
import { VendorClient, type VendorResponse } from './http';
import {
  bolt11Facts,
  type AdapterDeps,
  pageOf,
  paidWithin,
  withEffectiveStatus,
  type IncomingWebhook,
  type InvoicePage,
  type InvoiceQuery,
  type NewInvoice,
  type Provider,
  type TimeRange,
  type WebhookHint,
} from './provider';

const BtcpayEnv = z.object({
  BTCPAY_URL: z.url({ protocol: /^https?$/, error: 'must be the http(s) base URL of your BTCPay Server' }),
  BTCPAY_API_KEY: z.string().check(z.minLength(20, 'must be a Greenfield API key')),
  BTCPAY_STORE_ID: z.string().check(z.regex(/^[A-Za-z0-9]{20,64}$/, 'must be the store id from the store’s settings')),
  BTCPAY_WEBHOOK_SECRET: z.optional(z.string().check(z.minLength(8, 'must be at least 8 characters'))),
});

const LIGHTNING_IDS = ['BTC-LN', 'BTC-LightningNetwork'];

const PaymentMethod = z.object({
  paymentMethodId: z.optional(z.string()),
  /** Older servers name the method here instead. */
  paymentMethod: z.optional(z.string()),
  destination: z.optional(z.string()),
  activated: z.optional(z.boolean()),
  /** The BTC price in the invoice's currency that BTCPay applied. */
  rate: z.optional(z.string()),
  payments: z.optional(z.array(z.object({ receivedDate: z.optional(z.number()), status: z.optional(z.string()) }))),
});
type PaymentMethod = z.infer<typeof PaymentMethod>;

const InvoiceData = z.object({
  id: z.string(),
  amount: z.string(),
  currency: z.string(),
  status: z.string(),
  createdTime: z.number(),
  expirationTime: z.number(),
  metadata: z.nullish(z.record(z.string(), z.unknown())),
  paymentMethods: z.optional(z.array(PaymentMethod)),
});
type InvoiceData = z.infer<typeof InvoiceData>;

const RateResult = z.array(z.object({ currencyPair: z.string(), rate: z.nullish(z.string()) }));
const Delivery = z.object({
  deliveryId: z.string(),
  originalDeliveryId: z.nullish(z.string()),
  type: z.string(),
  timestamp: z.number(),
  storeId: z.nullish(z.string()),
  invoiceId: z.nullish(z.string()),
});

const PAGE_SIZE = 100;
const MAX_PAGES = 100;

export function btcpayFromEnv(env: Env, deps: AdapterDeps): BtcpayProvider {
  const c = parseCredentials(BtcpayEnv, env);
  return new BtcpayProvider(c.BTCPAY_URL, c.BTCPAY_API_KEY, c.BTCPAY_STORE_ID, c.BTCPAY_WEBHOOK_SECRET, deps);
}

export class BtcpayProvider implements Provider {
  readonly id = 'btcpay' as const;
  /** BTCPay sets no limit on authenticated invoice reads; one a second per invoice is plenty. */
  readonly readPolicy = { minAgeMs: 900 };
  readonly webhooks;
  private readonly client: VendorClient;
  private readonly webhookKey: Promise<CryptoKey> | undefined;
  private readonly invoices: string;

  constructor(
    baseUrl: string,
    apiKey: string,
    private readonly storeId: string,
    webhookSecret: string | undefined,
    private readonly deps: AdapterDeps,
  ) {
    this.client = new VendorClient({ name: 'BTCPay Server', baseUrl, headers: { Authorization: `token ${apiKey}` } }, deps);
    this.invoices = `/api/v1/stores/${encodeURIComponent(storeId)}/invoices`;
    this.webhookKey = webhookSecret
      ? crypto.subtle.importKey('raw', new TextEncoder().encode(webhookSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
      : undefined;
    this.webhooks = this.webhookKey ? { verify: (webhook: IncomingWebhook) => this.verifyWebhook(webhook) } : undefined;
  }

  async createInvoice(input: NewInvoice): Promise<Invoice> {
    const total = input.amount + input.tip;
    const { config } = this.deps;
    const response = await this.client.send('POST', this.invoices, {
      body: {
        amount: input.currency === SAT ? String(total) : toDecimalString(total, input.currency),
        currency: input.currency === SAT ? 'SATS' : input.currency,
        metadata: {
          orderId: input.reference,
          itemDesc: input.memo || config.storeName,
          pos: posSaleOf(input),
        },
        checkout: {
          // The legacy name is accepted by 1.x and 2.x servers alike on input.
          paymentMethods: ['BTC-LightningNetwork'],
          expirationMinutes: Math.max(1, Math.ceil(config.invoiceExpirySec / 60)),
        },
      },
    });
    if (response.status !== 200 && response.status !== 201) throw this.failure(response);
    const created = this.client.parse(InvoiceData, response);
    return this.toInvoice(created, await this.lightning(created));
  }

  async findExisting(input: NewInvoice): Promise<Invoice | null> {
    const response = await this.client.send('GET', this.invoices, {
      query: { orderId: input.reference, includePaymentMethods: true },
    });
    if (response.status !== 200) throw this.failure(response);
    const found = this.client.parse(z.array(InvoiceData), response)[0];
    return found ? this.toInvoice(found, await this.lightning(found)) : null;
  }

  async getInvoice(id: string): Promise<Invoice | null> {
    const invoice = await this.read(id);
    return invoice ? this.toInvoice(invoice, await this.lightning(invoice)) : null;
  }

  async cancelInvoice(id: string): Promise<Invoice | null> {
    const invoice = await this.getInvoice(id);
    if (!invoice) return null;
    if (invoice.status === 'paid') throw new ApiError(409, 'conflict', 'This invoice is already paid, so it cannot be cancelled.');
    if (invoice.status !== 'pending') return invoice;
    const response = await this.client.send('POST', `${this.invoices}/${encodeURIComponent(id)}/status`, { body: { status: 'Invalid' } });
    if (response.status === 200) return this.getInvoice(id);
    if (response.status !== 403) throw this.failure(response);
    // A least-privilege key cannot mark invoices: remember the cancel until it could not be paid.
    const ttl = Math.max(60_000, Date.parse(invoice.expiresAt) - this.deps.now() + 3600_000);
    await this.deps.store.set(cancelKey(id), true, ttl);
    return { ...invoice, status: 'cancelled' };
  }

  async rate(): Promise<Rate> {
    const { currency } = this.deps.config;
    const at = new Date(this.deps.now()).toISOString();
    if (currency === SAT) return { currency, satsPerUnit: 1, btcPrice: 100_000_000, source: 'btcpay', at };
    const response = await this.client.send('GET', `/api/v1/stores/${encodeURIComponent(this.storeId)}/rates`, {
      query: { currencyPair: `BTC_${currency}` },
    });
    let btcPrice: number;
    if (response.status === 403) {
      // Store rates need canviewstoresettings, which a least-privilege key lacks: use the rate
      // BTCPay applied to the store's latest invoice instead (canviewinvoices suffices).
      btcPrice = await this.latestInvoiceRate(currency);
    } else {
      if (response.status !== 200) throw this.failure(response);
      const result = this.client.parse(RateResult, response).find((r) => r.currencyPair === `BTC_${currency}`);
      btcPrice = Number(result?.rate);
    }
    if (!(btcPrice > 0)) throw new ProviderError('error', `BTCPay Server has no BTC price in ${currency} for the POS.`);
    return { currency, satsPerUnit: 100_000_000 / btcPrice, btcPrice, source: 'btcpay', at };
  }

  private async latestInvoiceRate(currency: string): Promise<number> {
    const response = await this.client.send('GET', this.invoices, { query: { take: 20, includePaymentMethods: true } });
    if (response.status !== 200) throw this.failure(response);
    const latest = this.client.parse(z.array(InvoiceData), response).find((i) => i.currency === currency);
    return Number(latest?.paymentMethods?.find(isLightning)?.rate);
  }

  async listInvoices(query: InvoiceQuery): Promise<InvoicePage> {
    const statuses: Record<InvoiceStatus, string[]> = {
      pending: ['New', 'Processing'],
      paid: ['Settled'],
      expired: ['Expired', 'New'],
      cancelled: ['Invalid', 'New', 'Processing'],
    };
    // BTCPay lists have no total: read the range and page here.
    const all = await this.all({
      ...(query.from !== undefined ? { startDate: Math.floor(query.from / 1000) } : {}),
      ...(query.to !== undefined ? { endDate: Math.ceil(query.to / 1000) } : {}),
      ...(query.status ? { status: statuses[query.status] } : {}),
    });
    const now = this.deps.now();
    const invoices = await Promise.all(all.map(async (i) => this.toInvoice(i, await this.lightning(i))));
    const matching = invoices.filter((invoice) => {
      const created = Date.parse(invoice.createdAt);
      if (query.from !== undefined && created < query.from) return false;
      if (query.to !== undefined && created >= query.to) return false;
      return !query.status || withEffectiveStatus(invoice, now).status === query.status;
    });
    return pageOf(matching, query);
  }

  async paidInvoices(range: TimeRange): Promise<Invoice[]> {
    const lifetimeMs = this.deps.config.invoiceExpirySec * 1000;
    const settled = await this.all({
      status: ['Settled'],
      startDate: Math.floor((range.from - lifetimeMs - 3600_000) / 1000),
      endDate: Math.ceil(range.to / 1000),
    });
    const invoices = await Promise.all(settled.map(async (i) => this.toInvoice(i, await this.lightning(i))));
    return invoices.filter((invoice) => paidWithin(invoice, range));
  }

  // ------------------------------------------------------------------ webhooks

  private async verifyWebhook({ rawBody, headers }: IncomingWebhook): Promise<WebhookHint> {
    const header = headers.get('BTCPay-Sig') ?? '';
    const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
    const key = this.webhookKey;
    // crypto.subtle.verify compares in constant time, over the raw bytes as they arrived.
    if (!key || !match?.[1] || !(await crypto.subtle.verify('HMAC', await key, Uint8Array.from(hexToBytes(match[1].toLowerCase())), Uint8Array.from(rawBody)))) {
      throw new ApiError(401, 'invalid_signature', 'This webhook’s signature is not valid.');
    }
    let delivery: z.infer<typeof Delivery>;
    try {
      const parsed = z.safeParse(Delivery, JSON.parse(new TextDecoder().decode(rawBody)));
      if (!parsed.success) throw new Error('shape');
      delivery = parsed.data;
    } catch {
      throw new ApiError(400, 'invalid_request', 'This webhook is not a BTCPay Server delivery.');
    }
    const ours = !delivery.storeId || delivery.storeId === this.storeId;
    return {
      invoiceId: ours && delivery.type.startsWith('Invoice') ? (delivery.invoiceId ?? null) : null,
      // A redelivery is the same event again: deduplicate on the first delivery's id.
      deliveryId: delivery.originalDeliveryId ?? delivery.deliveryId,
      sentAt: delivery.timestamp * 1000,
    };
  }

  // ------------------------------------------------------------------ helpers

  private async read(id: string): Promise<InvoiceData | null> {
    if (!/^[A-Za-z0-9]{1,64}$/.test(id)) return null;
    const response = await this.client.send('GET', `${this.invoices}/${id}`, { query: { includePaymentMethods: true } });
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.failure(response);
    return this.client.parse(InvoiceData, response);
  }

  /** The invoice's Lightning payment method, activating it if the store makes them lazily. */
  private async lightning(invoice: InvoiceData): Promise<PaymentMethod> {
    let method = (invoice.paymentMethods ?? []).find(isLightning);
    if (!method?.destination) {
      const path = `${this.invoices}/${encodeURIComponent(invoice.id)}/payment-methods`;
      const response = await this.client.send('GET', path);
      if (response.status !== 200) throw this.failure(response);
      method = this.client.parse(z.array(PaymentMethod), response).find(isLightning);
      if (method && method.activated === false) {
        const id = method.paymentMethodId ?? method.paymentMethod ?? 'BTC-LN';
        const activated = await this.client.send('POST', `${path}/${encodeURIComponent(id)}/activate`);
        if (activated.status !== 200) throw this.failure(activated);
        const again = await this.client.send('GET', path);
        if (again.status !== 200) throw this.failure(again);
        method = this.client.parse(z.array(PaymentMethod), again).find(isLightning);
      }
    }
    if (!method?.destination) {
      throw new ProviderError('error', 'BTCPay Server made no Lightning invoice. Ask the manager to enable Lightning for the store.');
    }
    return method;
  }

  private async toInvoice(invoice: InvoiceData, lightning: PaymentMethod): Promise<Invoice> {
    const paymentRequest = (lightning.destination ?? '').replace(/^lightning:/i, '');
    const facts = bolt11Facts(paymentRequest, 'BTCPay Server');
    const pos = readPosSale(invoice.metadata?.pos);
    const sale = pos ?? saleFromAmount(invoice);
    let status = statusOf(invoice.status);
    if (status === 'pending' && (await this.deps.store.get(cancelKey(invoice.id))) === true) status = 'cancelled';
    const received = (lightning.payments ?? []).map((p) => p.receivedDate ?? 0).filter((t) => t > 0);
    const paidAt = status === 'paid' ? (received.length > 0 ? Math.max(...received) * 1000 : this.deps.now()) : null;
    const itemDesc = pos?.memo !== undefined ? pos.memo : invoice.metadata?.itemDesc;
    return {
      id: invoice.id,
      status,
      paymentRequest,
      ...facts,
      createdAt: new Date(invoice.createdTime * 1000).toISOString(),
      amount: sale.amount,
      tip: sale.tip,
      currency: sale.currency,
      memo: typeof itemDesc === 'string' ? itemDesc : '',
      paidAt: paidAt === null ? null : new Date(paidAt).toISOString(),
      cashier: pos?.cashier ?? null,
    };
  }

  private async all(query: Record<string, string | number | string[]>): Promise<InvoiceData[]> {
    const all: InvoiceData[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await this.client.send('GET', this.invoices, {
        query: { ...query, skip: page * PAGE_SIZE, take: PAGE_SIZE, includePaymentMethods: true },
      });
      if (response.status !== 200) throw this.failure(response);
      const items = this.client.parse(z.array(InvoiceData), response);
      all.push(...items);
      if (items.length < PAGE_SIZE) break;
    }
    return all;
  }

  private failure(response: VendorResponse): ProviderError {
    if (response.status === 422 || response.status === 400) {
      return new ProviderError('error', 'BTCPay Server refused the invoice details.');
    }
    if (response.status === 404) {
      return new ProviderError('error', 'BTCPay Server does not know the POS’s store. Ask the manager to check BTCPAY_STORE_ID.');
    }
    return this.client.failure(response);
  }
}

const cancelKey = (invoiceId: string) => `btcpay-cancelled:${invoiceId}`;

function isLightning(method: PaymentMethod): boolean {
  return LIGHTNING_IDS.includes(method.paymentMethodId ?? method.paymentMethod ?? '');
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
      return 'pending'; // New, Processing (paid, not yet confirmed: not paid until BTCPay says Settled)
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
