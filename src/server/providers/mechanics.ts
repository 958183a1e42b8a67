/**
 * What the LNbits, Strike and BTCPay adapters do alike, written once: webhook signatures over the
 * raw bytes, cancels the proxy remembers where a provider cannot revoke an invoice, paging through
 * lists, pausing after a 429, and reading many things with a few requests in flight at most.
 */
import { hexToBytes } from '@noble/hashes/utils';
import { ApiError } from '../errors';
import type { KeyValueStore } from '../store';
import { z } from '../zod';
import { retryAfterMs, type VendorResponse } from './http';

// ---------------------------------------------------------------- webhooks

export function invalidSignature(): ApiError {
  return new ApiError(401, 'invalid_signature', 'This webhook’s signature is not valid.');
}

export function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

/**
 * Whether `hex` is the HMAC-SHA-256 of `data` under `key`, in constant time (crypto.subtle.verify),
 * over the bytes exactly as they arrived; upper- or lower-case hex alike.
 */
export async function verifyHmacHex(key: CryptoKey | undefined, hex: string, data: Uint8Array): Promise<boolean> {
  if (!key || !/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  return crypto.subtle.verify('HMAC', key, Uint8Array.from(hexToBytes(hex.toLowerCase())), Uint8Array.from(data));
}

/** A verified webhook's JSON body parsed with the vendor's event schema, or 400 naming the vendor. */
export function parseWebhookBody<S extends z.ZodMiniType>(schema: S, rawBody: Uint8Array, vendor: string): z.infer<S> {
  try {
    const parsed = z.safeParse(schema, JSON.parse(new TextDecoder().decode(rawBody)));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: refused below like any other shape.
  }
  throw new ApiError(400, 'invalid_request', `This webhook is not a ${vendor} event.`);
}

// ---------------------------------------------------------------- remembered cancels

/**
 * Cancels the proxy keeps itself, for providers that cannot revoke an invoice (LNbits; BTCPay with
 * a key that may not mark invoices): kept, in the shared store, until an hour past the invoice's
 * expiry, after which nobody can pay it anyway.
 */
export class CancelMarks {
  constructor(
    private readonly prefix: string,
    private readonly store: KeyValueStore,
    private readonly now: () => number,
  ) {}

  async mark(id: string, expiresAt: string): Promise<void> {
    await this.store.set(`${this.prefix}-cancelled:${id}`, true, Math.max(60_000, Date.parse(expiresAt) - this.now() + 3600_000));
  }

  async has(id: string): Promise<boolean> {
    return (await this.store.get(`${this.prefix}-cancelled:${id}`)) === true;
  }
}

// ---------------------------------------------------------------- paging

/**
 * Every item of a newest-first list, page by page: stops at a short page, at `maxPages`, or once
 * a page reaches items `done` says are past what is wanted (older than a range's start).
 */
export async function collectPages<T>(
  page: (index: number) => Promise<T[]>,
  options: { pageSize: number; maxPages: number; done?: (item: T) => boolean },
): Promise<T[]> {
  const all: T[] = [];
  for (let index = 0; index < options.maxPages; index++) {
    const items = await page(index);
    all.push(...items);
    if (items.length < options.pageSize || (options.done && items.some(options.done))) break;
  }
  return all;
}

/** `work` over every item with at most `limit` in flight, results in the items' order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// ---------------------------------------------------------------- pacing after a 429

/**
 * After a provider answers 429, no request of that kind until it said to come back (its
 * Retry-After, or `fallbackMs`): polls get the last answer meanwhile, and webhooks ask to be sent
 * again. Kinds are what the provider budgets apart (Strike: reads, creates, quotes).
 */
export class Pacer<Kind extends string> {
  private readonly until = new Map<Kind, number>();

  constructor(
    private readonly fallbackMs: number,
    private readonly now: () => number,
  ) {}

  paused(kind: Kind): boolean {
    return this.now() < (this.until.get(kind) ?? 0);
  }

  /** Notes a 429 answer (other answers change nothing); returns whether it was one. */
  observe(kind: Kind, response: VendorResponse): boolean {
    if (response.status !== 429) return false;
    this.until.set(kind, this.now() + retryAfterMs(response, this.fallbackMs));
    return true;
  }
}
