/**
 * The proxy's only state: small, short-lived values (idempotency keys, PIN attempt counters,
 * webhook delivery ids) behind one tiny interface, so that a multi-instance deployment can swap
 * the in-memory default for a shared store. Values are JSON so any backing store can hold them.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface KeyValueStore {
  /** The stored value, or undefined when absent or expired. Callers parse what they read. */
  get(key: string): Promise<Json | undefined>;
  /** Stores `value` for `ttlMs` milliseconds. */
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
}

interface Entry {
  value: Json;
  expiresAt: number;
}

/** In-process store. Expired entries are dropped on read and by a sweep when it grows. */
export class MemoryStore implements KeyValueStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<Json | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: Json, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    if (this.entries.size > this.maxEntries) this.sweep();
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async increment(key: string, delta: number, ttlMs: number): Promise<number> {
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now && typeof entry.value === 'number') {
      entry.value += delta;
      return entry.value;
    }
    await this.set(key, delta, ttlMs);
    return delta;
  }

  async claim(key: string, value: Json, ttlMs: number): Promise<Json> {
    // No await between the look and the write: two claims in one tick cannot both win.
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) return entry.value;
    void this.set(key, value, ttlMs);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Drops expired entries; if that is not enough, the oldest-written ones down to 90 % of the
   * cap, so that a store full of live entries sweeps once per many writes, not on every one.
   */
  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    if (this.entries.size <= this.maxEntries) return;
    const target = Math.floor(this.maxEntries * 0.9);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= target) break;
      this.entries.delete(key);
    }
  }
}
