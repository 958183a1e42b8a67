/**
 * What a fake Strike account holds: invoices that stay UNPAID while their quotes (about 30 s for
 * fiat) come and go, the transactions a payment leaves, webhook subscriptions, and the signed
 * `invoice.updated` events it sends (docs.strike.me: issue-invoice, issue-quote-for-invoice,
 * find-invoice-by-id, webhooks/signature-verification). Where the docs are silent the fake
 * guesses, and says "Guess:".
 */
import { createHmac, randomUUID } from 'node:crypto';
import { issueBolt11, postWebhook } from '../common';

export type StrikeState = 'UNPAID' | 'PENDING' | 'PAID' | 'CANCELLED';

export interface StrikeAmount {
  /** Decimal string in major units, e.g. "12.50" or "0.00012345". */
  amount: string;
  currency: string;
}

export interface StrikeTransaction {
  transactionId: string;
  state: 'PENDING' | 'COMPLETED';
  amountReceived: StrikeAmount;
  created: string;
  completed?: string;
}

export interface FakeStrikeQuote {
  quoteId: string;
  lnInvoice: string;
  expiration: string;
  expirationInSec: number;
  sourceAmount: StrikeAmount;
  targetAmount: StrikeAmount;
  conversionRate: { amount: string; sourceCurrency: string; targetCurrency: string };
  /** Fake-only: for assertions. */
  expiresAtMs: number;
  amountSats: number;
}

export interface FakeStrikeInvoice {
  invoiceId: string;
  amount: StrikeAmount;
  state: StrikeState;
  created: string;
  correlationId?: string;
  description?: string;
  issuerId: string;
  receiverId: string;
  transactions: StrikeTransaction[];
  /** Fake-only: every quote issued, the last one current. */
  quotes: FakeStrikeQuote[];
}

export interface FakeStrikeSubscription {
  id: string;
  webhookUrl: string;
  webhookVersion: 'v1' | 'v2';
  enabled: boolean;
  created: string;
  eventTypes: string[];
  /** Write-only at Strike: never in an answer. */
  secret: string;
}

export interface FakeStrikeDelivery {
  eventId: string;
  url: string;
  /** The exact bytes sent, and the `X-Webhook-Signature` over them. */
  body: string;
  signature: string;
  status: number | null;
}

/** A Strike error answer: `{traceId, data: {status, code, message}}`. */
export class StrikeError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 415 | 422 | 429 | 500 | 501 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const SATS_PER_BTC = 100_000_000n;
const iso = (ms: number) => new Date(ms).toISOString();

function decimal(text: string): { units: bigint; scale: number } | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return { units: BigInt(`${match[1] ?? '0'}${fraction}`), scale: fraction.length };
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

export class StrikeAccount {
  readonly invoices: FakeStrikeInvoice[] = [];
  readonly subscriptions: FakeStrikeSubscription[] = [];
  readonly deliveries: FakeStrikeDelivery[] = [];
  private readonly accountId = randomUUID();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    readonly btcPrices: Map<string, number>,
    private readonly quoteSeconds: { fiat: number; btc: number },
  ) {}

  find(invoiceId: string): FakeStrikeInvoice {
    const invoice = this.invoices.find((candidate) => candidate.invoiceId === invoiceId);
    if (!invoice) throw new StrikeError(404, 'NOT_FOUND', 'Invoice not found.');
    return invoice;
  }

  create(body: { correlationId?: string | undefined; description?: string | undefined; amount: StrikeAmount }): FakeStrikeInvoice {
    const { amount } = body;
    const invalid = (message: string) => new StrikeError(422, 'INVALID_AMOUNT', message);
    if (amount.currency !== 'BTC' && !this.btcPrices.has(amount.currency)) throw invalid(`${amount.currency} is not invoiceable here.`);
    const parsed = decimal(amount.amount);
    if (!parsed || parsed.units <= 0n) throw invalid('The amount must be a positive decimal string.');
    if (parsed.scale > (amount.currency === 'BTC' ? 8 : 2)) throw invalid('Too many decimals.');
    if (body.correlationId !== undefined && this.invoices.some((i) => i.correlationId === body.correlationId)) {
      // Unverified in Strike's docs: DUPLICATE_INVOICE 409 is in its error-code table.
      throw new StrikeError(409, 'DUPLICATE_INVOICE', 'An invoice with this correlationId already exists.');
    }
    const invoice: FakeStrikeInvoice = {
      invoiceId: randomUUID(),
      amount: { ...amount },
      state: 'UNPAID',
      created: iso(Date.now()),
      ...(body.correlationId !== undefined && { correlationId: body.correlationId }),
      ...(body.description !== undefined && { description: body.description }),
      issuerId: this.accountId,
      receiverId: this.accountId,
      transactions: [],
      quotes: [],
    };
    this.invoices.push(invoice);
    return invoice;
  }

  /**
   * Guess: only an UNPAID invoice takes quotes and cancels; otherwise 422 with a code naming the
   * state (Strike's docs name no code).
   */
  private requireUnpaid(invoice: FakeStrikeInvoice, action: string): void {
    if (invoice.state !== 'UNPAID') {
      throw new StrikeError(422, `INVALID_STATE_FOR_INVOICE_${invoice.state}`, `The invoice is ${invoice.state} and cannot be ${action}.`);
    }
  }

  /** A new quote: the BOLT11 for the amount at today's price, good for 30 s in fiat. */
  quote(invoice: FakeStrikeInvoice): FakeStrikeQuote {
    this.requireUnpaid(invoice, 'quoted');
    const btc = invoice.amount.currency === 'BTC';
    const amount = decimal(invoice.amount.amount)!;
    const price = btc ? 1 : (this.btcPrices.get(invoice.amount.currency) ?? 0);
    const priceDecimal = decimal(String(price))!;
    // Rounded up: the account gets at least the amount.
    const sats = btc
      ? ceilDiv(amount.units * SATS_PER_BTC, 10n ** BigInt(amount.scale))
      : ceilDiv(amount.units * SATS_PER_BTC * 10n ** BigInt(priceDecimal.scale), priceDecimal.units * 10n ** BigInt(amount.scale));
    const expirySec = btc ? this.quoteSeconds.btc : this.quoteSeconds.fiat;
    const bolt11 = issueBolt11({ amountMsat: sats * 1000n, description: invoice.description ?? '', expirySec });
    const expiresAtMs = (bolt11.timestamp + expirySec) * 1000;
    const quote: FakeStrikeQuote = {
      quoteId: randomUUID(),
      lnInvoice: bolt11.paymentRequest,
      expiration: iso(expiresAtMs),
      expirationInSec: expirySec,
      sourceAmount: { amount: `${sats / SATS_PER_BTC}.${(sats % SATS_PER_BTC).toString().padStart(8, '0')}`, currency: 'BTC' },
      targetAmount: { ...invoice.amount },
      conversionRate: { amount: String(price), sourceCurrency: 'BTC', targetCurrency: invoice.amount.currency },
      expiresAtMs,
      amountSats: Number(sats),
    };
    invoice.quotes.push(quote);
    return quote;
  }

  cancel(invoice: FakeStrikeInvoice): void {
    // A PENDING invoice has money on its way: it cannot be cancelled either.
    this.requireUnpaid(invoice, 'cancelled');
    invoice.state = 'CANCELLED';
    this.later(this.emit(invoice));
  }

  /**
   * The customer pays the current quote: UNPAID → PENDING → PAID, a COMPLETED transaction whose
   * `completed` is the paid time, and an `invoice.updated` webhook at each step.
   */
  async pay(invoiceId: string): Promise<void> {
    const invoice = this.find(invoiceId);
    if (invoice.state !== 'UNPAID') throw new Error(`fake Strike: invoice ${invoiceId} is ${invoice.state}`);
    const quote = invoice.quotes.at(-1);
    if (!quote || Date.now() >= quote.expiresAtMs) throw new Error(`fake Strike: invoice ${invoiceId} has no live quote to pay`);
    const transaction: StrikeTransaction = { transactionId: randomUUID(), state: 'PENDING', amountReceived: { ...invoice.amount }, created: iso(Date.now()) };
    invoice.transactions.push(transaction);
    invoice.state = 'PENDING';
    await this.emit(invoice);
    transaction.state = 'COMPLETED';
    transaction.completed = iso(Date.now());
    invoice.state = 'PAID';
    await this.emit(invoice);
  }

  /**
   * v1 event body `{id, eventType, webhookVersion, data: {entityId, changes}, created}`, signed
   * with HMAC-SHA256 of the raw bytes (docs.strike.me/webhooks/signature-verification). Guess:
   * failed deliveries are recorded, not retried.
   */
  private async emit(invoice: FakeStrikeInvoice): Promise<void> {
    const event = {
      id: randomUUID(),
      eventType: 'invoice.updated',
      webhookVersion: 'v1',
      data: { entityId: invoice.invoiceId, changes: ['state'] },
      created: iso(Date.now()),
      deliverySuccess: false,
    };
    const targets = this.subscriptions.filter((s) => s.enabled && s.eventTypes.includes(event.eventType));
    await Promise.all(
      targets.map((subscription) => {
        const body = JSON.stringify(event);
        return this.send({
          eventId: event.id,
          url: subscription.webhookUrl,
          body,
          signature: createHmac('sha256', subscription.secret).update(body, 'utf8').digest('hex'),
          status: null,
        });
      }),
    );
  }

  /** A receiver must answer within 5 s (docs.strike.me/webhooks/setting-up-webhooks). */
  async send(delivery: FakeStrikeDelivery): Promise<void> {
    this.deliveries.push(delivery);
    delivery.status = await postWebhook(delivery.url, delivery.body, { 'X-Webhook-Signature': delivery.signature }, 5_000);
  }

  /** Webhooks an HTTP request causes go out after its answer, as at Strike. */
  private later(delivery: Promise<unknown>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}
