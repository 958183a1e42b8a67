/**
 * `Idempotency-Key` on invoice creation (API.md): the same key within 24 h returns the same
 * invoice and creates nothing at the provider. Concurrent requests with one key (a double tap)
 * share a single creation; the key → invoice id mapping lives in the shared store.
 */
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { Invoice } from '../contract/api';
import { ApiError } from './errors';
import type { KeyValueStore } from './store';
import { z } from './zod';

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

const Remembered = z.object({ invoiceId: z.string(), fingerprint: z.string() });

export interface CreateOutcome {
  invoice: Invoice;
  /** True when the key had been seen: the response is 200 instead of 201. */
  replayed: boolean;
}

/**
 * The provider-side reference for a charge attempt (≤ 40 characters, as Strike's correlationId
 * allows): the key itself when short enough, else a digest of it.
 */
export function referenceFor(key: string): string {
  return key.length <= 40 ? key : bytesToHex(sha256(utf8ToBytes(key))).slice(0, 40);
}

export class IdempotentCreates {
  private readonly inFlight = new Map<string, { fingerprint: string; invoice: Promise<Invoice> }>();

  constructor(private readonly store: KeyValueStore) {}

  async run(
    key: string,
    fingerprint: string,
    create: () => Promise<Invoice>,
    reread: (id: string) => Promise<Invoice | null>,
  ): Promise<CreateOutcome> {
    const running = this.inFlight.get(key);
    if (running) {
      assertSameSale(running.fingerprint, fingerprint);
      return { invoice: await running.invoice, replayed: true };
    }
    const remembered = z.safeParse(Remembered, await this.store.get(`idem:${key}`));
    if (remembered.success) {
      assertSameSale(remembered.data.fingerprint, fingerprint);
      const invoice = await reread(remembered.data.invoiceId);
      if (invoice) return { invoice, replayed: true };
      // The provider no longer knows it (e.g. the demo wallet restarted): create afresh.
    }
    const invoice = create().then(async (created) => {
      await this.store.set(`idem:${key}`, { invoiceId: created.id, fingerprint }, IDEMPOTENCY_TTL_MS);
      return created;
    });
    this.inFlight.set(key, { fingerprint, invoice });
    try {
      return { invoice: await invoice, replayed: false };
    } finally {
      this.inFlight.delete(key);
    }
  }
}

function assertSameSale(expected: string, actual: string): void {
  if (expected !== actual) {
    throw new ApiError(409, 'conflict', 'This Idempotency-Key was already used for a different sale.');
  }
}
