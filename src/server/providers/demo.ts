/**
 * The built-in demo wallet: issues real BOLT11 invoices, signed with a key the demo keeps (the
 * same idea as LNbits' FakeWallet), so that the whole product runs with no account anywhere.
 * Nobody outside can pay them: "paying" is `pay()`, which the demo-only API route exposes.
 */
import { secp256k1 } from '@noble/curves/secp256k1';
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { Rate } from '../../contract/api';
import { currencyDecimals, satsFor } from '../../contract/money';
import { signPaymentRequest } from '../bolt11';
import { demoNetworks, type DemoNetwork } from '../config';
import { ApiError } from '../errors';
import type { NewInvoice, Provider, ProviderInvoice, TimeRange } from './provider';

export interface DemoWalletOptions {
  currency: string;
  /** Price of one BTC in the store currency's minor units. */
  btcPriceMinor: bigint;
  invoiceExpirySec: number;
  network: DemoNetwork;
  storeName: string;
  /** How many invoices the demo remembers; the oldest are forgotten first. */
  capacity?: number;
}

interface DemoRecord {
  invoice: Omit<ProviderInvoice, 'reference'>;
  reference: string;
  preimageHex: string;
  cancelled: boolean;
}

/** A fixed key, so the demo node's public key is the same on every start. */
const DEMO_NODE_KEY = sha256(utf8ToBytes('lightning-pos demo wallet node key'));

const randomHex = (bytes: number) => bytesToHex(crypto.getRandomValues(new Uint8Array(bytes)));

export class DemoWallet implements Provider {
  readonly id = 'demo' as const;
  /** In-process and free to ask: every poll reads the wallet itself. A cancel revokes. */
  readonly readPolicy = { minAgeMs: 0, cancelRevokes: true, readsPerMinute: Infinity };
  /** The payee node id every demo invoice is signed by (compressed secp256k1, hex). */
  readonly nodePubkeyHex = bytesToHex(secp256k1.getPublicKey(DEMO_NODE_KEY, true));
  private readonly records = new Map<string, DemoRecord>();
  private readonly capacity: number;

  constructor(
    private readonly options: DemoWalletOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.capacity = options.capacity ?? 10_000;
  }

  async createInvoice(input: NewInvoice): Promise<ProviderInvoice> {
    const amountSats = satsFor(input.amount + input.tip, input.currency, this.options.btcPriceMinor);
    const preimage = crypto.getRandomValues(new Uint8Array(32));
    const paymentHash = bytesToHex(sha256(preimage));
    const timestamp = Math.floor(this.now() / 1000);
    const expirySec = this.options.invoiceExpirySec;
    const paymentRequest = this.sign(amountSats, timestamp, paymentHash, input.memo || this.options.storeName);
    const invoice: DemoRecord['invoice'] = {
      id: randomHex(16),
      status: 'pending',
      paymentRequest,
      paymentHash,
      amount: input.amount,
      tip: input.tip,
      currency: input.currency,
      amountSats,
      memo: input.memo,
      createdAt: new Date(timestamp * 1000).toISOString(),
      expiresAt: new Date((timestamp + expirySec) * 1000).toISOString(),
      paidAt: null,
      cashier: input.cashier ?? null,
    };
    const record = { invoice, reference: input.reference, preimageHex: bytesToHex(preimage), cancelled: false };
    this.remember(record);
    return this.view(record);
  }

  /**
   * Signs one throwaway request, so that the first sale does not pay for cold code paths (about
   * 100 ms the first time in a process, about 1 ms after). Called once at start.
   */
  warmUp(): void {
    this.sign(1, Math.floor(this.now() / 1000), randomHex(32), this.options.storeName);
  }

  private sign(amountSats: number, timestamp: number, paymentHashHex: string, description: string): string {
    return signPaymentRequest(
      {
        network: demoNetworks[this.options.network],
        amountMsat: BigInt(amountSats) * 1000n,
        timestamp,
        paymentHashHex,
        paymentSecretHex: randomHex(32),
        description,
        expirySec: this.options.invoiceExpirySec,
      },
      bytesToHex(DEMO_NODE_KEY),
    );
  }

  async findExisting(input: NewInvoice): Promise<ProviderInvoice | null> {
    for (const record of this.records.values()) if (record.reference === input.reference) return this.view(record);
    return null;
  }

  async getInvoice(id: string): Promise<ProviderInvoice | null> {
    const record = this.records.get(id);
    return record ? this.view(record) : null;
  }

  async cancelInvoice(id: string): Promise<ProviderInvoice | null> {
    const record = this.records.get(id);
    if (!record) return null;
    if (record.invoice.paidAt) {
      throw new ApiError(409, 'conflict', 'This invoice is already paid, so it cannot be cancelled.');
    }
    record.cancelled = true;
    return this.view(record);
  }

  async rate(): Promise<Rate> {
    const { currency, btcPriceMinor } = this.options;
    const unit = 10 ** currencyDecimals(currency);
    const btcPrice = Number(btcPriceMinor) / unit;
    return {
      currency,
      satsPerUnit: 100_000_000 / btcPrice,
      btcPrice,
      source: 'demo',
      at: new Date(this.now()).toISOString(),
    };
  }

  /**
   * Settles an invoice as a customer's wallet would. Paying twice is harmless; paying an expired
   * or cancelled invoice is refused, as a real node would refuse the HTLC.
   */
  pay(id: string): ProviderInvoice | null {
    const record = this.records.get(id);
    if (!record) return null;
    const current = this.view(record);
    if (current.status === 'paid') return current;
    if (current.status !== 'pending') {
      throw new ApiError(409, 'conflict', `This invoice is ${current.status}, so it cannot be paid.`);
    }
    record.invoice = { ...record.invoice, paidAt: new Date(this.now()).toISOString() };
    return this.view(record);
  }

  /** The preimage a paying wallet would learn: its sha256 is the invoice's payment hash. */
  preimageOf(id: string): string | undefined {
    return this.records.get(id)?.preimageHex;
  }

  /** Every invoice the demo remembers, newest first (the demo's own "list" endpoint). */
  all(): ProviderInvoice[] {
    // Latest made first; within one second (the BOLT11's resolution), latest recorded first.
    return Array.from(this.records.values(), (record) => this.view(record))
      .reverse()
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }

  async listSales(range: Partial<TimeRange>): Promise<ProviderInvoice[]> {
    return this.all().filter((invoice) => {
      const created = Date.parse(invoice.createdAt);
      return (range.from === undefined || created >= range.from) && (range.to === undefined || created < range.to);
    });
  }

  /** The demo knows its own state: paid, cancelled, or (past the expiry) expired. */
  private view(record: DemoRecord): ProviderInvoice {
    const { invoice, reference } = record;
    if (invoice.paidAt) return { ...invoice, status: 'paid', reference };
    if (record.cancelled) return { ...invoice, status: 'cancelled', reference };
    return { ...invoice, status: Date.parse(invoice.expiresAt) <= this.now() ? 'expired' : 'pending', reference };
  }

  private remember(record: DemoRecord): void {
    this.records.set(record.invoice.id, record);
    for (const id of this.records.keys()) {
      if (this.records.size <= this.capacity) break;
      this.records.delete(id);
    }
  }
}
