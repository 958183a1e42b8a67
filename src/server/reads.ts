/**
 * Status reads between the tablets and the provider. However many tablets poll, the provider
 * sees at most one read per invoice per `minAgeMs`: concurrent polls share one request, recent
 * answers are served from here, and final invoices are never read again. A webhook makes the
 * next read happen now. Adapters with a read budget (Strike) get the last answer with every
 * read, so that past their budget they can hand it back instead of asking the provider.
 * Nothing here ever decides a status by itself.
 */
import type { Invoice } from '../contract/api';
import type { Provider } from './providers/provider';

/** How often a cancelled invoice is looked at again until it has expired. */
export const CANCELLED_RECHECK_MS = 10_000;

interface Entry {
  invoice: Invoice;
  readAt: number;
}

export class InvoiceReads {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Invoice | null>>();

  constructor(
    private readonly provider: Provider,
    private readonly now: () => number,
    private readonly maxEntries = 5_000,
  ) {}

  /** After a create or cancel: the provider's own answer is the freshest read there is. */
  remember(invoice: Invoice): void {
    this.entries.delete(invoice.id);
    this.entries.set(invoice.id, { invoice, readAt: this.now() });
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }

  /** What a tablet's poll gets. */
  async poll(id: string): Promise<Invoice | null> {
    const entry = this.entries.get(id);
    if (entry && !this.due(entry)) return entry.invoice;
    return this.read(id, false);
  }

  /** A verified webhook says the invoice may have changed: read it now. */
  refresh(id: string): Promise<Invoice | null> {
    return this.read(id, true);
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

  private read(id: string, urgent: boolean): Promise<Invoice | null> {
    const running = this.inFlight.get(id);
    if (running) return running;
    const entry = this.entries.get(id);
    const previous = entry?.invoice;
    const read = this.provider
      .getInvoice(id, { ...(entry ? { previous: entry.invoice, readAt: entry.readAt } : {}), urgent })
      .then((invoice) => {
        // An adapter over its budget hands back the previous answer: that is not a new read.
        if (invoice && invoice !== previous) this.remember(invoice);
        return invoice;
      })
      .finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, read);
    return read;
  }
}
