/**
 * The proxy's only state: small values with an expiry (idempotency records, PIN lockouts, paired
 * devices and their sessions, read budgets, cancels, webhook delivery ids) behind one tiny
 * interface. An embedded SQLite file on Node (sqlite-store.ts), Durable Objects on Workers, and
 * this in-memory map for the demo and tests. Values are JSON so any backing store can hold them.
 *
 * Nothing is ever dropped to make room: an entry lives until its own expiry. A store that is full
 * refuses *new* keys (StoreFullError, answered 503) and keeps every old one; what keeps it from
 * filling is that parties the shop does not know get quotas, not space (quota.ts).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface KeyValueStore {
  /** The stored value, or undefined when absent or expired. Callers parse what they read. */
  get(key: string): Promise<Json | undefined>;
  /** Stores `value` for `ttlMs` milliseconds. Throws StoreFullError for a new key in a full store. */
  set(key: string, value: Json, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Atomically adds `delta` to a counter and returns the new value. A new counter starts at 0 and
   * lives `ttlMs` from its creation; later increments do not extend it (a fixed window).
   */
  increment(key: string, delta: number, ttlMs: number): Promise<number>;
  /**
   * Atomically stores `value` unless a live value is there already, and returns whichever value
   * the key holds afterwards: the first writer wins, every instance sees the same answer.
   */
  claim(key: string, value: Json, ttlMs: number): Promise<Json>;
  /**
   * Every live entry whose key starts with `prefix`. For the few small sets the proxy enumerates
   * (paired devices, sessions), never for scanning the store.
   */
  list(prefix: string): Promise<{ key: string; value: Json }[]>;
}

/** A new key was refused because the store holds its maximum of live entries. */
export class StoreFullError extends Error {
  constructor() {
    super('The store is full.');
    this.name = 'StoreFullError';
  }
}

/** How often a full store looks for expired entries again (a sweep walks every entry). */
export const FULL_SWEEP_INTERVAL_MS = 1000;

interface Entry {
  value: Json;
  expiresAt: number;
}

/** In-process store for the demo and tests. Expired entries are dropped on read and by a sweep. */
export class MemoryStore implements KeyValueStore {
  private readonly entries = new Map<string, Entry>();
  private sweptAt = -Infinity;

  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<Json | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: Json, ttlMs: number): Promise<void> {
    this.write(key, value, ttlMs);
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async increment(key: string, delta: number, ttlMs: number): Promise<number> {
    const entry = this.live(key);
    if (entry && typeof entry.value === 'number') {
      entry.value += delta;
      return entry.value;
    }
    this.write(key, delta, ttlMs);
    return delta;
  }

  async claim(key: string, value: Json, ttlMs: number): Promise<Json> {
    // No await between the look and the write: two claims in one tick cannot both win.
    const entry = this.live(key);
    if (entry) return entry.value;
    this.write(key, value, ttlMs);
    return value;
  }

  async list(prefix: string): Promise<{ key: string; value: Json }[]> {
    const now = this.now();
    const found: { key: string; value: Json }[] = [];
    for (const [key, entry] of this.entries) {
      if (key.startsWith(prefix) && entry.expiresAt > now) found.push({ key, value: entry.value });
    }
    return found;
  }

  /** Entries held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry;
    this.entries.delete(key);
    return undefined;
  }

  private write(key: string, value: Json, ttlMs: number): void {
    if (!this.entries.has(key) && this.entries.size >= this.maxEntries) {
      this.sweep();
      if (this.entries.size >= this.maxEntries) throw new StoreFullError();
    }
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  /** Drops expired entries, at most once a second while the store is full. */
  private sweep(): void {
    const now = this.now();
    if (now - this.sweptAt < FULL_SWEEP_INTERVAL_MS) return;
    this.sweptAt = now;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
