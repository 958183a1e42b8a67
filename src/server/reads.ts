/**
 * Status reads between the tablets and the provider. However many tablets poll, and however many
 * instances of the proxy serve them, the provider sees at most one read per invoice per
 * `minAgeMs`: the last answer lives in the shared store, concurrent polls share one request (in
 * this instance by a promise, across instances by a short lease), and final invoices are never
 * read again. A webhook makes the next read happen now. Adapters with a read budget (Strike) get
 * the last answer with every read, so that past their budget they can hand it back instead of
 * asking the provider. Nothing here ever decides a status by itself.
 */
import { Invoice, type Invoice as InvoiceType } from '../contract/api';
import type { Provider } from './providers/provider';
import type { KeyValueStore } from './store';
import { z } from './zod';

/** How often a cancelled invoice is looked at again until it has expired. */
export const CANCELLED_RECHECK_MS = 10_000;
/** How long an instance may hold the read of one invoice before another may take over. */
const LEASE_MS = 10_000;
/** How long a last answer is kept (polls come every second; a day covers every recent sale). */
const ENTRY_TTL_MS = 24 * 3600_000;

const Entry = z.object({ invoice: Invoice, readAt: z.number() });
type Entry = z.infer<typeof Entry>;

export class InvoiceReads {
  private readonly inFlight = new Map<string, Promise<InvoiceType | null>>();

  constructor(
    private readonly provider: Provider,
    private readonly store: KeyValueStore,
    private readonly now: () => number,
    /** Told of every answer stored: held reads of the invoice wake (waiters.ts). Never throws. */
    private readonly announce: (invoice: InvoiceType) => Promise<void> = async () => {},
  ) {}

  /** After a create or cancel: the provider's own answer is the freshest read there is. */
  async remember(invoice: InvoiceType): Promise<void> {
    await this.store.set(entryKey(invoice.id), { invoice, readAt: this.now() }, ENTRY_TTL_MS);
    await this.announce(invoice);
  }

  /** What a tablet's poll gets. */
  async poll(id: string): Promise<InvoiceType | null> {
    const entry = await this.load(id);
    if (entry && !this.due(entry)) return entry.invoice;
    return this.read(id, false, entry);
  }

  /** A verified webhook says the invoice may have changed: read it now. */
  async refresh(id: string): Promise<InvoiceType | null> {
    return this.read(id, true, await this.load(id));
  }

  private async load(id: string): Promise<Entry | undefined> {
    const parsed = z.safeParse(Entry, await this.store.get(entryKey(id)));
    return parsed.success ? parsed.data : undefined;
  }

  /** Whether a cached answer should be read again. */
  private due(entry: Entry): boolean {
    const { invoice, readAt } = entry;
    if (invoice.status === 'paid' || invoice.status === 'expired') return false; // final
    const now = this.now();
    const expiresAt = Date.parse(invoice.expiresAt);
    if (invoice.status === 'cancelled') {
      // Where the provider cannot revoke an invoice (LNbits), a cancel is the proxy's own mark and a
      // wallet may still pay the QR: keep looking, slowly, until the invoice could no longer be paid.
      if (readAt >= expiresAt) return false;
      return now >= expiresAt || now - readAt >= CANCELLED_RECHECK_MS;
    }
    // Past expiry, one read after it settles the matter: paid in the last second, or expired.
    if (readAt >= expiresAt) return false;
    if (now >= expiresAt) return true;
    const renewAt = expiresAt - (this.provider.readPolicy.renewBeforeExpiryMs ?? 0);
    if (now >= renewAt && readAt < renewAt) return true;
    return now - readAt >= this.provider.readPolicy.minAgeMs;
  }

  private read(id: string, urgent: boolean, entry: Entry | undefined): Promise<InvoiceType | null> {
    const running = this.inFlight.get(id);
    // A webhook's read must ask after the webhook came: one already running may have asked before.
    if (running && urgent) return running.catch(() => null).then(() => this.read(id, true, entry));
    if (running) return running;
    const read = this.leasedRead(id, urgent, entry).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, read);
    return read;
  }

  /** Reads from the provider unless another instance is doing so this moment. */
  private async leasedRead(id: string, urgent: boolean, entry: Entry | undefined): Promise<InvoiceType | null> {
    const lease = leaseKey(id);
    const holders = await this.store.increment(lease, 1, LEASE_MS);
    if (holders > 1 && entry && !urgent) {
      // Another instance is asking the provider right now: its answer will be in the store.
      await this.store.increment(lease, -1, LEASE_MS);
      return entry.invoice;
    }
    try {
      const invoice = await this.provider.getInvoice(id, { ...(entry ? { previous: entry.invoice, readAt: entry.readAt } : {}), urgent });
      // An adapter over its budget hands back the previous answer: that is not a new read.
      if (invoice && invoice !== entry?.invoice) await this.remember(invoice);
      return invoice;
    } finally {
      await this.store.increment(lease, -1, LEASE_MS);
    }
  }
}

/** Where an invoice's last answer is stored (on Workers, its waiters meet on the same Durable Object). */
export const entryKey = (id: string) => `read:${id}`;
const leaseKey = (id: string) => `read-lease:${id}`;
