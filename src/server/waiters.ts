/**
 * Long-polled status reads (`GET /api/invoices/:id?wait=N`). A tablet's read of a pending invoice
 * is held until the invoice changes or the wait ends, so that a payment reaches the screen as soon
 * as the proxy learns of it, at a few requests a minute instead of one a second.
 *
 * Whatever stores a new answer for an invoice (a provider read, a verified webhook's read, the
 * demo's pay, a cancel) announces its version through `Waiters.notify`; held reads of that
 * invoice wake and answer. Meanwhile each held read re-checks at the provider's read pace through
 * the same coalesced InvoiceReads as a poll would, so holding never asks the provider more often
 * than polling did, and a change nobody announced (no webhooks) is still seen. An invoice that
 * expires while held is answered at its expiry.
 *
 * `Waiters` has two homes: in the process (Node, the demo, tests) and, on Workers, the Durable
 * Object that holds the invoice's stored answer, so that a webhook landing on one isolate wakes
 * a tablet held by another.
 */
import type { Context } from 'hono';
import type { Invoice } from '../contract/api';
import { fnv1a32, invoiceVersion, MAX_WAIT_SECONDS } from '../contract/wait';
import { ApiError, ProviderError } from './errors';
import type { ReadPolicy } from './providers/provider';
import type { InvoiceReads, Reader } from './reads';
import { z } from './zod';

const wholeSeconds = `must be a whole number of seconds from 1 to ${MAX_WAIT_SECONDS}`;

/** The query of a status read: `wait` (seconds) holds it; `since` is the version the tablet shows. */
export const WaitQuery = z.object({
  wait: z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d{1,3}$/, wholeSeconds)),
      z.pipe(z.transform(Number), z.int().check(z.gte(1, wholeSeconds), z.lte(MAX_WAIT_SECONDS, wholeSeconds))),
    ),
  ),
  since: z.optional(z.string().check(z.regex(/^(?:pending|paid|expired|cancelled)\.[0-9a-f]{8}$/, 'is not an invoice version'))),
});

export interface Waiters {
  /**
   * Resolves true once `notify(id, v)` announces a version `v` other than `version`; false when
   * `timeoutMs` passes or `signal` aborts first. Never rejects: at worst the waiter re-checks.
   */
  wait(id: string, version: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** The stored answer of invoice `id` is now at `version`: wakes whoever waits on another. */
  notify(id: string, version: string): Promise<void>;
}

interface Waiter {
  version: string;
  wake(): void;
}

/** Waiters in this process: a set per invoice, each with its timer. */
export class LocalWaiters implements Waiters {
  private readonly byInvoice = new Map<string, Set<Waiter>>();

  wait(id: string, version: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      let waiters = this.byInvoice.get(id);
      if (!waiters) this.byInvoice.set(id, (waiters = new Set()));
      const done = (notified: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        waiters.delete(waiter);
        if (waiters.size === 0 && this.byInvoice.get(id) === waiters) this.byInvoice.delete(id);
        resolve(notified);
      };
      const waiter: Waiter = { version, wake: () => done(true) };
      const aborted = () => done(false);
      const timer = setTimeout(() => done(false), Math.max(0, timeoutMs));
      signal?.addEventListener('abort', aborted, { once: true });
      waiters.add(waiter);
    });
  }

  async notify(id: string, version: string): Promise<void> {
    const waiters = this.byInvoice.get(id);
    if (!waiters) return;
    for (const waiter of [...waiters]) if (waiter.version !== version) waiter.wake();
  }

  /** Requests waiting now: on invoice `id`, or on any. */
  waiting(id?: string): number {
    if (id !== undefined) return this.byInvoice.get(id)?.size ?? 0;
    let count = 0;
    for (const waiters of this.byInvoice.values()) count += waiters.size;
    return count;
  }
}

/** What InvoiceReads calls after storing an answer (as the API shows it): the waiters hear its version. */
export function announceTo(waiters: Waiters): (invoice: Invoice) => Promise<void> {
  return (invoice) => waiters.notify(invoice.id, invoiceVersion(invoice));
}

/** Held reads one tablet may have open at once: its checkout, plus room for a reload or a second tab. */
export const MAX_HELD_PER_TABLET = 4;
/** A hold re-checks the provider no more often than a polling tablet asked: once a second. */
export const MIN_RECHECK_MS = 1_000;
/** A hold's slot not given back this long after its deadline was lost with its request (a cancelled isolate). */
const SLOT_GRACE_MS = 5_000;

export interface HoldLimits {
  /** The longest a read is held, whatever the tablet asks; 0 turns holding off. */
  maxHoldMs: number;
  /** Held reads this process keeps at once. */
  maxHeld: number;
}

export interface Hold {
  waitMs: number;
  /** The version the tablet shows; without it, the invoice as this read first finds it. */
  since?: string | undefined;
  /** Who is asking (`tabletOf`), for the per-tablet cap. */
  tablet: string;
  /** Aborts when the tablet goes away: the hold ends at once. */
  signal?: AbortSignal;
  /**
   * Who reads, for each read of the hold: its session, and a deadline of its own (deadline.ts), so
   * that a re-check late in a hold still has the whole of one and the provider never holds an answer.
   */
  reader(): Reader;
}

/**
 * Which tablet is asking, as well as the proxy can tell: the client's address and a hash of its
 * session token (two tablets behind one router hold different tokens unless unlocked in the same
 * second, and then merely share a cap). The one place that says what a tablet is.
 */
export function tabletOf(c: Context, clientId: (c: Context) => string): string {
  return `${clientId(c)}|${fnv1a32(c.req.header('Authorization') ?? '').toString(36)}`;
}

const WOKEN = Symbol('woken');

export class HeldReads {
  private readonly slots: HoldSlots;
  private readonly recheckMs: number;

  constructor(
    private readonly reads: InvoiceReads,
    private readonly waiters: Waiters,
    readPolicy: ReadPolicy,
    private readonly limits: HoldLimits,
    private readonly now: () => number,
  ) {
    this.slots = new HoldSlots(limits.maxHeld, now);
    this.recheckMs = Math.max(MIN_RECHECK_MS, readPolicy.minAgeMs);
  }

  /**
   * The invoice once it differs from what the tablet shows, or as it is when the wait ends (never
   * later: a re-check still running at the deadline is left to finish for the next read). Null
   * when the provider does not know it; a re-check's failure is answered as a read's would be.
   * Throws 429 when the tablet or the process holds too many.
   */
  async read(id: string, hold: Hold): Promise<Invoice | null> {
    const deadline = this.now() + Math.min(hold.waitMs, this.limits.maxHoldMs);
    const first = await this.reads.poll(id, hold.reader());
    if (!first) return null;
    let current = first;
    const baseline = hold.since ?? invoiceVersion(current);
    if (!this.unchanged(current, baseline) || deadline <= this.now()) return current;

    const release = this.slots.take(hold.tablet, deadline);
    // Ends the wait still registered when the read answers, or at once when the tablet leaves.
    const done = new AbortController();
    const signal = hold.signal ? AbortSignal.any([hold.signal, done.signal]) : done.signal;
    try {
      let woken = this.wake(id, baseline, current, deadline, signal);
      /** The re-check in flight: a slow provider read must not keep an announced change waiting. */
      let check: Promise<Invoice | null> | null = null;
      for (;;) {
        const wokenUp = woken.then((): typeof WOKEN => WOKEN);
        // Never race a promise that never settles: each race would leave a reaction on it for good.
        const outcome = check ? await Promise.race([wokenUp, check]) : await wokenUp;
        if (outcome === WOKEN) {
          if (signal.aborted || this.now() >= deadline) return this.asItStands(current);
          // Registered before the re-check starts: an announcement made while it runs still counts.
          woken = this.wake(id, baseline, current, deadline, signal);
          // A re-check that is still running is joined, not repeated (InvoiceReads coalesces).
          check = this.reads.poll(id, hold.reader());
          check.catch(() => {}); // a re-check left behind may fail unheard; the one awaited throws
          continue;
        }
        check = null;
        if (!outcome) return null;
        current = outcome;
        if (!this.unchanged(current, baseline)) return current;
      }
    } finally {
      done.abort();
      release();
    }
  }

  /** Waits for an announcement, for the next re-check, for the invoice's expiry or for the deadline, whichever is first. */
  private wake(id: string, baseline: string, current: Invoice, deadline: number, signal: AbortSignal): Promise<boolean> {
    const now = this.now();
    const untilExpiry = Date.parse(current.expiresAt) - now;
    const timeoutMs = Math.min(deadline - now, this.recheckMs, untilExpiry > 0 ? untilExpiry : Infinity);
    return this.waiters.wait(id, baseline, Math.max(0, timeoutMs), signal);
  }

  /**
   * The answer when the wait ends. An invoice that has reached its expiry is only reported once the
   * provider was read after it (it may have been paid in its last second): if that read is still
   * running, the provider has not answered in time.
   */
  private asItStands(current: Invoice): Invoice {
    if (current.status === 'pending' && Date.parse(current.expiresAt) <= this.now()) {
      throw new ProviderError('timeout', 'The payment provider has not confirmed whether this invoice was paid before it expired. The sale is kept; checking again.');
    }
    return current;
  }

  /** Reads come as the API shows them (reads.ts): a held-back answer keeps its status, never turned expired here. */
  private unchanged(invoice: Invoice, baseline: string): boolean {
    return invoice.status === 'pending' && invoiceVersion(invoice) === baseline;
  }
}

interface Slot {
  tablet: string;
  /** When the hold ends at the latest (unix ms). */
  until: number;
}

/**
 * Counts held reads per tablet and in all, refusing past the caps. A slot whose request vanished
 * without giving it back (Workers may cancel a request's code when its client leaves) counts
 * only until a little after its deadline.
 */
class HoldSlots {
  private readonly all = new Set<Slot>();
  private readonly byTablet = new Map<string, Set<Slot>>();

  constructor(
    private readonly max: number,
    private readonly now: () => number,
  ) {}

  /** Takes a slot until `until`; the returned function gives it back. */
  take(tablet: string, until: number): () => void {
    const mine = this.byTablet.get(tablet) ?? new Set<Slot>();
    if (mine.size >= MAX_HELD_PER_TABLET) this.dropLost(mine);
    if (mine.size >= MAX_HELD_PER_TABLET) {
      throw tooMany(`This tablet already has ${MAX_HELD_PER_TABLET} status reads waiting. Ask without wait, or again shortly.`, 1);
    }
    if (this.all.size >= this.max) this.dropLost(this.all);
    if (this.all.size >= this.max) {
      throw tooMany('The POS server is holding as many status reads as it may. Ask without wait, or again shortly.', 5);
    }
    const slot: Slot = { tablet, until };
    this.all.add(slot);
    mine.add(slot);
    this.byTablet.set(tablet, mine);
    return () => this.give(slot);
  }

  private give(slot: Slot): void {
    this.all.delete(slot);
    const mine = this.byTablet.get(slot.tablet);
    mine?.delete(slot);
    if (mine?.size === 0) this.byTablet.delete(slot.tablet);
  }

  private dropLost(slots: Set<Slot>): void {
    const lostBefore = this.now() - SLOT_GRACE_MS;
    for (const slot of [...slots]) if (slot.until < lostBefore) this.give(slot);
  }
}

function tooMany(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'rate_limited', message, { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
}
