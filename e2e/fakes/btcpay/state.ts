/**
 * What a fake BTCPay store holds: invoices with their payment methods (Lightning, LNURL,
 * on-chain), the payments each received, and the store's webhooks. Invoices made by others than
 * the POS (the store's own PoS app, payment requests, on-chain-only and LNURL invoices) live here
 * too, as on a real store.
 *
 * Statuses move as BTCPay moves them (`Services/Invoices/InvoiceWatcher.cs`, v2.0.0): New expires
 * when its time is up; a Lightning payment settles a New invoice at once. Marking an invoice
 * Invalid (`InvoiceRepository.MarkInvoiceStatus`) changes only its status: the BOLT11 stays
 * payable, and a payment that arrives is recorded (`Payments/Lightning/LightningListener.cs`
 * AddPaymentCore) while the invoice stays Invalid; after expiry it stays Expired + PaidLate.
 */
import { createHmac } from 'node:crypto';
import { issueBolt11, postWebhook } from '../common';
import { paymentMethodIds, type BtcpayMode } from './versions';

export type InvoiceStatus = 'New' | 'Processing' | 'Settled' | 'Expired' | 'Invalid';
export type AdditionalStatus = 'None' | 'PaidPartial' | 'PaidOver' | 'PaidLate' | 'Marked' | 'Invalid';

export interface FakeBtcpayPayment {
  id: string;
  receivedAtMs: number;
  /** BTC, decimal string. */
  value: string;
  status: 'Settled';
  destination: string;
}

export interface FakePaymentMethod {
  kind: 'lightning' | 'lnurl' | 'onchain';
  activated: boolean;
  /** BOLT11 (Lightning), address (on-chain), or null: not activated, or a LNURL not yet scanned. */
  destination: string | null;
  paymentHash: string | null;
  amountSats: number;
  /** Price of 1 BTC in the invoice currency, decimal string. */
  rate: string;
  payments: FakeBtcpayPayment[];
}

export interface FakeBtcpayInvoice {
  id: string;
  storeId: string;
  /** Decimal string in `currency`, as the client sent it. */
  amount: string;
  currency: string;
  status: InvoiceStatus;
  additionalStatus: AdditionalStatus;
  createdAtMs: number;
  expiresAtMs: number;
  expirySec: number;
  metadata: Record<string, unknown>;
  archived: boolean;
  methods: FakePaymentMethod[];
  sequence: number;
}

export interface FakeBtcpayDelivery {
  deliveryId: string;
  originalDeliveryId: string;
  type: string;
  invoiceId: string;
  url: string;
  body: string;
  signature: string;
  httpCode: number | null;
}

interface Webhook {
  id: string;
  storeId: string;
  url: string;
  secret: string;
}

export class FakeBtcpayError extends Error {
  constructor(
    message: string,
    readonly httpStatus: 404 | 409,
  ) {
    super(message);
  }
}

const SATS_PER_BTC = 100_000_000n;
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** BTCPay's ids (stores, invoices, webhooks, deliveries) are base58 strings. */
export function randomBase58(length: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(length)), (byte) => BASE58[byte % BASE58.length]).join('');
}

/** BTC as BTCPay prints it: a plain decimal without trailing zeros. */
export function formatBtc(sats: bigint): string {
  const fraction = (sats % SATS_PER_BTC).toString().padStart(8, '0').replace(/0+$/, '');
  return `${sats / SATS_PER_BTC}${fraction ? `.${fraction}` : ''}`;
}

function decimal(text: string): { units: bigint; scale: number } | undefined {
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  const [whole = '0', fraction = ''] = text.split('.');
  return { units: BigInt(whole + fraction), scale: fraction.length };
}

export interface NewInvoice {
  amount: string;
  currency: string;
  metadata: Record<string, unknown>;
  /** Payment-method ids asked for; empty means every method the store has. */
  paymentMethods: string[];
  expirationMinutes: number;
  lazy?: boolean | undefined;
  /** For invoices others make: which methods the invoice gets. */
  kinds?: FakePaymentMethod['kind'][];
}

export class BtcpayStore {
  readonly invoices = new Map<string, FakeBtcpayInvoice>();
  readonly webhooks = new Map<string, Webhook>();
  readonly deliveries: FakeBtcpayDelivery[] = [];
  private sequence = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    readonly mode: BtcpayMode,
    private readonly btcPrices: ReadonlyMap<string, number>,
  ) {}

  /** Price of 1 BTC in `currency`, or undefined when the store has no rate for it. */
  btcPrice(currency: string): { units: bigint; scale: number } | undefined {
    if (currency === 'BTC') return { units: 1n, scale: 0 };
    if (currency === 'SATS') return { units: SATS_PER_BTC, scale: 0 };
    const price = this.btcPrices.get(currency);
    return price && price > 0 ? decimal(String(price)) : undefined;
  }

  /** Builds an invoice, or says why BTCPay would refuse it (a 400 with this message). */
  create(input: NewInvoice): FakeBtcpayInvoice | string {
    const ids = paymentMethodIds(this.mode);
    const lightningIds = ['BTC-LN', 'BTC-LightningNetwork'];
    const kinds = input.kinds ?? (input.paymentMethods.length === 0 || input.paymentMethods.some((id) => lightningIds.includes(id)) ? ['lightning'] : []);
    if (kinds.length === 0 || input.paymentMethods.some((id) => !ids.accepted.includes(id))) return 'No payment method available for this store';
    const amount = decimal(input.amount);
    const price = this.btcPrice(input.currency);
    if (!amount || amount.units === 0n || !price) return 'No payment method available for this store';
    // Rounded up: the node must ask at least the amount.
    const numerator = amount.units * SATS_PER_BTC * 10n ** BigInt(price.scale);
    const denominator = 10n ** BigInt(amount.scale) * price.units;
    const amountSats = Number((numerator + denominator - 1n) / denominator);
    const nowMs = Date.now();
    const expirySec = Math.max(30, Math.round(input.expirationMinutes * 60));
    const lazy = input.lazy ?? this.mode.lazyPaymentMethods;
    const digits = price.units.toString().padStart(price.scale + 1, '0');
    const rate = price.scale === 0 ? digits : `${digits.slice(0, -price.scale)}.${digits.slice(-price.scale)}`;
    const invoice: FakeBtcpayInvoice = {
      id: randomBase58(22),
      storeId: this.id,
      amount: input.amount,
      currency: input.currency,
      status: 'New',
      additionalStatus: 'None',
      createdAtMs: nowMs,
      expiresAtMs: nowMs + expirySec * 1000,
      expirySec,
      metadata: input.metadata,
      archived: false,
      methods: kinds.map((kind) => ({ kind, activated: false, destination: null, paymentHash: null, amountSats, rate, payments: [] })),
      sequence: this.sequence++,
    };
    for (const method of invoice.methods) if (!lazy || method.kind !== 'lightning') this.activateMethod(invoice, method);
    this.invoices.set(invoice.id, invoice);
    this.emit(invoice, 'InvoiceCreated');
    return invoice;
  }

  /** Makes the method's destination: a BOLT11 that expires with the invoice, an address; a LNURL has none until scanned. */
  activateMethod(invoice: FakeBtcpayInvoice, method: FakePaymentMethod): void {
    if (method.activated) return;
    method.activated = true;
    if (method.kind === 'onchain') method.destination = `bcrt1q${randomBase58(38).toLowerCase()}`;
    if (method.kind !== 'lightning') return;
    const description = typeof invoice.metadata.itemDesc === 'string' ? invoice.metadata.itemDesc : '';
    const remainingSec = Math.max(1, Math.round((invoice.expiresAtMs - Date.now()) / 1000));
    const issued = issueBolt11({ amountMsat: BigInt(method.amountSats) * 1000n, description, expirySec: remainingSec });
    method.destination = issued.paymentRequest;
    method.paymentHash = issued.paymentHash;
  }

  find(id: string): FakeBtcpayInvoice {
    this.expireOverdue();
    const invoice = this.invoices.get(id);
    if (!invoice) throw new FakeBtcpayError(`no invoice ${id}`, 404);
    return invoice;
  }

  /** InvoiceWatcher: a New invoice whose time is up expires. */
  expireOverdue(): void {
    const nowMs = Date.now();
    for (const invoice of this.invoices.values()) {
      if (invoice.status === 'New' && nowMs >= invoice.expiresAtMs) this.setExpired(invoice);
    }
  }

  private setExpired(invoice: FakeBtcpayInvoice): void {
    invoice.status = 'Expired';
    this.emit(invoice, 'InvoiceExpired');
  }

  /** Forces expiry now (it also happens by itself once Date.now() passes expirationTime). */
  expire(id: string): void {
    const invoice = this.find(id);
    if (invoice.status !== 'New') throw new FakeBtcpayError(`invoice ${id} is ${invoice.status}: it cannot expire`, 409);
    invoice.expiresAtMs = Math.min(invoice.expiresAtMs, Date.now());
    this.setExpired(invoice);
  }

  /**
   * A wallet pays the Lightning invoice. New → Settled; Invalid stays Invalid and Expired stays
   * Expired (+ PaidLate), with the payment recorded all the same. Paying twice is refused.
   */
  pay(id: string): void {
    const invoice = this.find(id);
    const method = invoice.methods.find((m) => m.kind === 'lightning');
    // Showing the checkout page activates a lazy method (the customer needs its BOLT11).
    if (method && !method.activated) this.activateMethod(invoice, method);
    if (!method?.destination || !method.paymentHash) throw new FakeBtcpayError(`invoice ${id} has no BOLT11 to pay`, 409);
    if (method.payments.length > 0 || invoice.status === 'Settled') throw new FakeBtcpayError(`invoice ${id} is paid already`, 409);
    method.payments.push({
      id: method.paymentHash,
      receivedAtMs: Date.now(),
      value: formatBtc(BigInt(method.amountSats)),
      status: 'Settled',
      destination: method.destination,
    });
    this.emit(invoice, 'InvoiceReceivedPayment');
    if (invoice.status === 'New') {
      invoice.status = 'Settled';
      this.emit(invoice, 'InvoiceSettled');
    } else if (invoice.status === 'Expired') {
      invoice.additionalStatus = 'PaidLate';
    }
  }

  mark(invoice: FakeBtcpayInvoice, status: 'Settled' | 'Invalid'): void {
    invoice.status = status;
    invoice.additionalStatus = 'Marked';
    this.emit(invoice, status === 'Settled' ? 'InvoiceSettled' : 'InvoiceInvalid');
  }

  /** What `POST …/status` accepts from the current status (InvoiceState.CanMarkComplete/CanMarkInvalid). */
  markable(invoice: FakeBtcpayInvoice): ('Settled' | 'Invalid')[] {
    if (invoice.status === 'Settled') return ['Invalid'];
    if (invoice.status === 'Invalid') return ['Settled'];
    return ['Settled', 'Invalid'];
  }

  addWebhook(url: string, secret: string): Webhook {
    const webhook = { id: randomBase58(22), storeId: this.id, url, secret };
    this.webhooks.set(webhook.id, webhook);
    return webhook;
  }

  /**
   * One signed delivery per webhook (`HostedServices/Webhooks/WebhookSender.cs`, v2.0.0): `BTCPay-Sig: sha256=<hex>`
   * of the raw body, which BTCPay indents. Deliveries go out after the API answer, in order.
   */
  emit(invoice: FakeBtcpayInvoice, type: string, originalDeliveryId?: string): void {
    for (const webhook of this.webhooks.values()) {
      const deliveryId = randomBase58(22);
      const payload = {
        deliveryId,
        webhookId: webhook.id,
        originalDeliveryId: originalDeliveryId ?? deliveryId,
        isRedelivery: originalDeliveryId !== undefined,
        type,
        timestamp: Math.floor(Date.now() / 1000),
        storeId: invoice.storeId,
        invoiceId: invoice.id,
        metadata: invoice.metadata,
      };
      const body = JSON.stringify(payload, null, 2);
      const delivery: FakeBtcpayDelivery = {
        deliveryId,
        originalDeliveryId: payload.originalDeliveryId,
        type,
        invoiceId: invoice.id,
        url: webhook.url,
        body,
        signature: `sha256=${createHmac('sha256', webhook.secret).update(body, 'utf8').digest('hex')}`,
        httpCode: null,
      };
      this.deliveries.push(delivery);
      this.chain = this.chain.then(() => this.post(delivery));
    }
  }

  private async post(delivery: FakeBtcpayDelivery): Promise<void> {
    delivery.httpCode = await postWebhook(delivery.url, delivery.body, { 'BTCPay-Sig': delivery.signature }, 10_000);
  }

  /** Waits until every queued delivery has been answered. */
  async flush(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.chain;
      await current;
    } while (current !== this.chain);
  }
}
