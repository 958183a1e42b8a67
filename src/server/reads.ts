/**
 * The provider boundary for status reads (docs/architecture.md). However many tablets poll, and
 * however many instances of the proxy serve them, the provider sees at most one read per invoice
 * per `minAgeMs`: the last answer lives in the shared store with the time it was read, concurrent
 * polls share one request (in this instance by a promise, across instances by a short lease), and
 * a webhook makes the next read happen now.
 *
 * What the API shows is decided here, once for every provider:
 * - `expired` comes only from the provider, or from a *fresh* read made after the expiry. A held
 *   answer (the adapter was over its budget, or the provider asked it to slow down) keeps the
 *   status it had when it was read, so that a sale paid meanwhile is never shown expired.
 * - An invoice that is expired, or cancelled where the provider cannot revoke it, is looked at
 *   again, slowly, for a while: a late payment is still a sale.
 * - Ids the proxy never made or saw cost the provider at most a few lookups per session, reads
 *   are limited per session, and the provider's other invoices are not found.
 */
import { CashierId, Invoice, type InvoiceStatus, type SaleCashier } from '../contract/api';
import { lateWatchUntil } from '../contract/late-payments';
import { ApiError } from './errors';
import type { Call, Provider, ProviderInvoice } from './providers/provider';
import { saleCashierOf } from './staff';
import type { KeyValueStore } from './store';
import { z } from './zod';

/** How often an expired or cancelled invoice is looked at while a late payment may come (lateWatchUntil). */
export const RECHECK_MS = 10_000;
/** Lookups of ids the proxy does not know, per session and window: enough for a restarted proxy's tablets. */
export const UNKNOWN_LOOKUPS = 5;
const UNKNOWN_WINDOW_MS = 10 * 60_000;
/**
 * Provider reads one session may cause per minute: a checkout polled every second and a few recent
 * sales; more where the provider allows far more (a quarter of its allowance), none for free reads.
 */
export const SESSION_READS_PER_MINUTE = 120;
/** How long an instance may hold the read of one invoice before another may take over. */
const LEASE_MS = 10_000;
/** How long a last answer is kept (polls come every second; a day covers every recent sale). */
const ENTRY_TTL_MS = 24 * 3600_000;
/** How long the proxy remembers the ids it made or saw, and the ones the provider did not know. */
const KNOWN_TTL_MS = 90 * 24 * 3600_000;
const MISSING_TTL_MS = 10 * 60_000;

// An answer stored before the POS recorded cashiers has none: nobody's.
const Stored = z.pipe(
  z.extend(Invoice, { reference: z.nullable(z.string()), cashier: z.optional(z.nullable(CashierId)) }),
  z.transform((invoice) => ({ ...invoice, cashier: invoice.cashier ?? null })),
);
const Entry = z.object({ invoice: Stored, readAt: z.number() });
type Entry = z.infer<typeof Entry>;

/** Who is reading: the request's call to the provider and its session (session-key.ts). */
export interface Reader extends Call {
  session: string;
}

/** A pending invoice past its expiry at the time it was read is expired; nothing else changes. */
export function effectiveStatus(invoice: Pick<Invoice, 'status' | 'expiresAt'>, readAt: number): InvoiceStatus {
  return invoice.status === 'pending' && Date.parse(invoice.expiresAt) <= readAt ? 'expired' : invoice.status;
}

/** The invoice as the API shows it, from an answer read at `readAt`, its cashier named from `staff`. */
export function toApi(invoice: ProviderInvoice, readAt: number, staff: readonly SaleCashier[]): Invoice {
  const { reference: _reference, cashier, ...shown } = invoice;
  return { ...shown, status: effectiveStatus(invoice, readAt), cashier: saleCashierOf(cashier, staff) };
}

interface ReadResult {
  invoice: ProviderInvoice | null;
  readAt: number;
  /** Whether the provider was asked now, rather than the last answer held. */
  fresh: boolean;
}

export class InvoiceReads {
  private readonly inFlight = new Map<string, Promise<ReadResult>>();

  constructor(
    private readonly provider: Provider,
    private readonly store: KeyValueStore,
    private readonly now: () => number,
    /** Told of every answer stored, as the API shows it: held reads of the invoice wake (waiters.ts). Never throws. */
    private readonly announce: (invoice: Invoice) => Promise<void> = async () => {},
    /** Today's staff list, which names each sale's cashier. */
    private readonly staff: readonly SaleCashier[] = [],
  ) {}

  /** The invoice as the API shows it (`toApi`, with this proxy's staff list). */
  shown(invoice: ProviderInvoice, readAt: number): Invoice {
    return toApi(invoice, readAt, this.staff);
  }

  /** After a create or cancel: the provider's own answer is the freshest read there is. */
  async remember(invoice: ProviderInvoice): Promise<void> {
    await this.store.set(entryKey(invoice.id), { invoice, readAt: this.now() }, ENTRY_TTL_MS);
    await this.store.set(knownKey(invoice.id), true, KNOWN_TTL_MS);
    await this.announce(this.shown(invoice, this.now()));
  }

  /** What a tablet's poll gets: the invoice as the API shows it, or null (404). */
  async poll(id: string, reader: Reader): Promise<Invoice | null> {
    const entry = await this.load(id);
    if (entry && !this.due(entry)) return this.shown(entry.invoice, entry.readAt);
    if (!entry && !(await this.mayLookUp(id, reader.session))) return null;
    if (!(await this.sessionMayRead(reader.session))) {
      if (entry) return this.shown(entry.invoice, entry.readAt);
      throw new ApiError(429, 'rate_limited', 'This tablet is checking invoices too often. Wait a moment and try again.', undefined, { 'Retry-After': '60' });
    }
    const result = await this.read(id, false, entry, reader);
    return result.invoice ? this.shown(result.invoice, result.readAt) : null;
  }

  /** Whether `id` is a sale of this POS: known without asking, else looked up as a poll would. */
  async isOurs(id: string, reader: Reader): Promise<boolean> {
    if ((await this.store.get(knownKey(id))) === true) return true;
    return (await this.poll(id, reader)) !== null;
  }

  /**
   * A verified webhook says the invoice may have changed: read it now. Ids the proxy never made or
   * saw are not read (`known: false`); `fresh` says whether the provider was actually asked.
   */
  async refresh(id: string, call: Call): Promise<ReadResult & { known: boolean }> {
    if ((await this.store.get(knownKey(id))) !== true) return { invoice: null, readAt: this.now(), fresh: false, known: false };
    return { ...(await this.read(id, true, await this.load(id), call)), known: true };
  }

  private async load(id: string): Promise<Entry | undefined> {
    const parsed = z.safeParse(Entry, await this.store.get(entryKey(id)));
    return parsed.success ? parsed.data : undefined;
  }

  /** An id without a last answer may be looked up if the proxy knows it, or while the session's small allowance lasts. */
  private async mayLookUp(id: string, session: string): Promise<boolean> {
    if ((await this.store.get(missingKey(id))) !== undefined) return false;
    if ((await this.store.get(knownKey(id))) === true) return true;
    const window = Math.floor(this.now() / UNKNOWN_WINDOW_MS);
    return (await this.store.increment(`lookups:${session}:${window}`, 1, UNKNOWN_WINDOW_MS)) <= UNKNOWN_LOOKUPS;
  }

  private async sessionMayRead(session: string): Promise<boolean> {
    const allowance = this.provider.readPolicy.readsPerMinute;
    const limit = allowance === undefined ? SESSION_READS_PER_MINUTE : Math.max(SESSION_READS_PER_MINUTE, allowance / 4);
    if (limit === Infinity) return true;
    const minute = Math.floor(this.now() / 60_000);
    return (await this.store.increment(`session-reads:${session}:${minute}`, 1, 120_000)) <= limit;
  }

  /** Whether a last answer should be read again. */
  private due(entry: Entry): boolean {
    const { invoice, readAt } = entry;
    if (invoice.status === 'paid') return false; // final
    const policy = this.provider.readPolicy;
    const now = this.now();
    const expiresAt = Date.parse(invoice.expiresAt);
    if (invoice.status !== 'pending' || readAt >= expiresAt) {
      // Expired or cancelled: final where a cancel revokes; elsewhere a wallet may still pay the
      // QR, and a payment in flight at the expiry lands a little later. Look again, slowly.
      if (invoice.status === 'cancelled' && policy.cancelRevokes) return false;
      if (readAt >= lateWatchUntil(invoice)) return false;
      return now - readAt >= RECHECK_MS;
    }
    // Past expiry, one fresh read settles it: paid in the last second, or expired.
    if (now >= expiresAt) return true;
    const renewAt = expiresAt - (policy.renewBeforeExpiryMs ?? 0);
    if (now >= renewAt && readAt < renewAt) return true;
    return now - readAt >= policy.minAgeMs;
  }

  private read(id: string, urgent: boolean, entry: Entry | undefined, call: Call): Promise<ReadResult> {
    const running = this.inFlight.get(id);
    // A webhook's read must ask after the webhook came: one already running may have asked before.
    if (running && urgent) return running.catch(() => null).then(async () => this.read(id, true, await this.load(id), call));
    if (running) return running;
    const read = this.leasedRead(id, urgent, entry, call).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, read);
    return read;
  }

  /** Reads from the provider unless another instance is doing so this moment. */
  private async leasedRead(id: string, urgent: boolean, entry: Entry | undefined, call: Call): Promise<ReadResult> {
    const lease = leaseKey(id);
    const holders = await this.store.increment(lease, 1, LEASE_MS);
    if (holders > 1 && entry && !urgent) {
      // Another instance is asking the provider right now: its answer will be in the store.
      await this.store.increment(lease, -1, LEASE_MS);
      return { invoice: entry.invoice, readAt: entry.readAt, fresh: false };
    }
    try {
      const context = { ...(entry ? { previous: entry.invoice, readAt: entry.readAt } : {}), urgent };
      const readAt = this.now();
      const invoice = await this.provider.getInvoice(id, context, call);
      // An adapter that must not ask now hands back the previous answer itself: not a new read.
      if (entry && invoice === context.previous) return { invoice: entry.invoice, readAt: entry.readAt, fresh: false };
      if (!invoice || invoice.reference === null) {
        // Not a sale of this POS (unknown to the provider, or someone else's invoice): not found.
        await this.store.set(missingKey(id), true, MISSING_TTL_MS);
        return { invoice: null, readAt, fresh: true };
      }
      await this.store.set(entryKey(id), { invoice, readAt }, ENTRY_TTL_MS);
      // An id with a last answer is known already (the hot path of every poll writes once).
      if (!entry) await this.store.set(knownKey(id), true, KNOWN_TTL_MS);
      await this.announce(this.shown(invoice, readAt));
      return { invoice, readAt, fresh: true };
    } finally {
      await this.store.increment(lease, -1, LEASE_MS);
    }
  }
}

/** Where an invoice's last answer is stored (on Workers, its waiters meet on the same Durable Object). */
export const entryKey = (id: string) => `read:${id}`;
const leaseKey = (id: string) => `read-lease:${id}`;
const knownKey = (id: string) => `known:${id}`;
const missingKey = (id: string) => `missing:${id}`;
