/**
 * Making exactly one invoice per sale attempt.
 *
 * - `Idempotency-Key` (docs/api.md): the same key within 24 h returns the same invoice and creates
 *   nothing at the provider; concurrent requests with one key (a double tap) share one creation.
 * - A lost response: when the provider may have made the invoice but its answer never arrived
 *   (timeout, dropped connection, 5xx), the proxy asks the provider for the invoice by its
 *   reference before anyone creates another — at once, and again when the tablet retries.
 */
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { Invoice } from '../contract/api';
import { ApiError, ProviderError } from './errors';
import type { Call, NewInvoice, Provider, ProviderInvoice } from './providers/provider';
import type { KeyValueStore } from './store';
import { z } from './zod';

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** Longest a creation may hold its key against other instances (a provider answers within 10 s). */
const CLAIM_TTL_MS = 30_000;
const CLAIM_WAIT_MS = 12_000;

const Remembered = z.object({ invoiceId: z.string(), fingerprint: z.string() });
const Attempt = z.object({ fingerprint: z.string(), since: z.number() });

export interface CreateOutcome {
  invoice: Invoice;
  /** True when the invoice already existed: the response is 200 instead of 201. */
  replayed: boolean;
}

/**
 * The provider-side reference for a charge attempt (≤ 40 characters, as Strike's correlationId
 * allows): the key itself when short enough, else a digest of it.
 */
export function referenceFor(key: string): string {
  return key.length <= 40 ? key : bytesToHex(sha256(utf8ToBytes(key))).slice(0, 40);
}

/**
 * Creates the invoice; if the answer is lost on the way, finds the one the provider made, within
 * the same request's deadline. A search that fails is not "none was made": the error stands, and
 * the tablet's retry (same key) searches again before anything is made.
 */
export async function createOrRecover(provider: Provider, input: NewInvoice, call: Call, now: () => number): Promise<ProviderInvoice> {
  const since = now();
  try {
    return await provider.createInvoice(input, call);
  } catch (error) {
    // A refusal is final; only a fault leaves it open whether the invoice was made.
    if (!(error instanceof ProviderError) || error.kind === 'error' || call.signal.aborted) throw error;
    let found: ProviderInvoice | null;
    try {
      found = await provider.findExisting(input, since, call);
    } catch {
      throw error;
    }
    if (found) return found;
    throw error;
  }
}

export class IdempotentCreates {
  private readonly inFlight = new Map<string, { fingerprint: string; invoice: Promise<CreateOutcome> }>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number,
  ) {}

  /**
   * `create` makes the invoice; `reread` reads a remembered one as it is now; `recover` looks for
   * one an earlier attempt with this key may have made without the proxy hearing back.
   */
  async run(
    key: string,
    fingerprint: string,
    create: () => Promise<Invoice>,
    reread: (id: string) => Promise<Invoice | null>,
    recover: (since: number) => Promise<Invoice | null>,
  ): Promise<CreateOutcome> {
    const running = this.inFlight.get(key);
    if (running) {
      assertSameSale(running.fingerprint, fingerprint);
      return { ...(await running.invoice), replayed: true };
    }
    const outcome = this.settle(key, fingerprint, create, reread, recover);
    this.inFlight.set(key, { fingerprint, invoice: outcome });
    try {
      return await outcome;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async settle(
    key: string,
    fingerprint: string,
    create: () => Promise<Invoice>,
    reread: (id: string) => Promise<Invoice | null>,
    recover: (since: number) => Promise<Invoice | null>,
  ): Promise<CreateOutcome> {
    const remembered = z.safeParse(Remembered, await this.store.get(`idem:${key}`));
    if (remembered.success) {
      assertSameSale(remembered.data.fingerprint, fingerprint);
      const invoice = await reread(remembered.data.invoiceId);
      if (invoice) return { invoice, replayed: true };
      // The provider no longer knows it (e.g. the demo wallet restarted): create afresh.
    }
    // Another instance of the proxy may be making this very invoice: at most one may.
    const claim = `idem-claim:${key}`;
    if ((await this.store.increment(claim, 1, CLAIM_TTL_MS)) > 1) {
      await this.store.increment(claim, -1, CLAIM_TTL_MS);
      return this.awaitOther(key, fingerprint, reread);
    }
    try {
      return await this.createOnce(key, fingerprint, create, recover);
    } finally {
      await this.store.delete(claim);
    }
  }

  private async createOnce(
    key: string,
    fingerprint: string,
    create: () => Promise<Invoice>,
    recover: (since: number) => Promise<Invoice | null>,
  ): Promise<CreateOutcome> {
    const attempt = z.safeParse(Attempt, await this.store.get(`idem-attempt:${key}`));
    if (attempt.success) {
      assertSameSale(attempt.data.fingerprint, fingerprint);
      const found = await recover(attempt.data.since);
      if (found) {
        await this.remember(key, fingerprint, found);
        return { invoice: found, replayed: true };
      }
    }
    await this.store.set(`idem-attempt:${key}`, { fingerprint, since: this.now() }, IDEMPOTENCY_TTL_MS);
    const invoice = await create();
    await this.remember(key, fingerprint, invoice);
    return { invoice, replayed: false };
  }

  /** Waits (briefly) for the instance that holds the claim to remember its invoice. */
  private async awaitOther(key: string, fingerprint: string, reread: (id: string) => Promise<Invoice | null>): Promise<CreateOutcome> {
    for (let waited = 0; waited < CLAIM_WAIT_MS; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const remembered = z.safeParse(Remembered, await this.store.get(`idem:${key}`));
      if (remembered.success) {
        assertSameSale(remembered.data.fingerprint, fingerprint);
        const invoice = await reread(remembered.data.invoiceId);
        if (invoice) return { invoice, replayed: true };
      }
    }
    throw new ApiError(409, 'conflict', 'This sale is being charged right now. Try again in a moment.');
  }

  private async remember(key: string, fingerprint: string, invoice: Invoice): Promise<void> {
    await this.store.set(`idem:${key}`, { invoiceId: invoice.id, fingerprint }, IDEMPOTENCY_TTL_MS);
    await this.store.delete(`idem-attempt:${key}`);
  }
}

function assertSameSale(expected: string, actual: string): void {
  if (expected !== actual) {
    throw new ApiError(409, 'conflict', 'This Idempotency-Key was already used for a different sale.');
  }
}
