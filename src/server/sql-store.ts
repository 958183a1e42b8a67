/**
 * The store's rules over one SQL table, shared by the two SQLite homes it has: a file on Node
 * (better-sqlite3, sqlite-store.ts) and each Durable Object on Workers (its SQLite storage). Every
 * method is synchronous and runs in one transaction, so each is atomic, as the store interface
 * promises. An index on the expiry lets one statement sweep every expired entry, however many.
 */
import { FULL_SWEEP_INTERVAL_MS, StoreFullError, type Json } from './store';

export type SqlValue = string | number | null;
type Row = Record<string, SqlValue>;

/** What the rules need from a SQLite connection. */
export interface SqlDriver {
  all(sql: string, ...params: SqlValue[]): Row[];
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, ...params: SqlValue[]): number;
  /** Runs `body` as one transaction: no other writer sees it half done. */
  atomically<T>(body: () => T): T;
}

export interface SqlEntriesOptions {
  /** Most entries held (expired ones not yet swept included) before new keys are refused. */
  maxEntries: number;
  now?: () => number;
}

const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID',
  'CREATE INDEX IF NOT EXISTS entries_by_expiry ON entries (expires_at)',
];

/** Above every character a key holds: `prefix` ≤ key < `prefix + KEY_END` selects a prefix on the index. */
const KEY_END = '\uffff';

export class SqlEntries {
  private readonly now: () => number;
  private count: number;
  private sweptAt = -Infinity;

  constructor(
    private readonly sql: SqlDriver,
    private readonly options: SqlEntriesOptions,
  ) {
    this.now = options.now ?? Date.now;
    for (const statement of SCHEMA) sql.run(statement);
    this.count = this.countAll();
  }

  get(key: string): Json | undefined {
    return this.sql.atomically(() => this.live(key));
  }

  set(key: string, value: Json, ttlMs: number): void {
    this.sql.atomically(() => this.write(key, value, ttlMs, this.held(key)));
  }

  delete(key: string): void {
    this.count -= this.sql.run('DELETE FROM entries WHERE key = ?', key);
  }

  increment(key: string, delta: number, ttlMs: number): number {
    return this.sql.atomically(() => {
      const current = this.live(key);
      if (typeof current === 'number') {
        this.sql.run('UPDATE entries SET value = ? WHERE key = ?', JSON.stringify(current + delta), key);
        return current + delta;
      }
      this.write(key, delta, ttlMs, current !== undefined);
      return delta;
    });
  }

  claim(key: string, value: Json, ttlMs: number): Json {
    return this.sql.atomically(() => {
      const current = this.live(key);
      if (current !== undefined) return current;
      this.write(key, value, ttlMs, false);
      return value;
    });
  }

  list(prefix: string): { key: string; value: Json }[] {
    return this.sql
      .all('SELECT key, value FROM entries WHERE key >= ? AND key < ? AND expires_at > ?', prefix, prefix + KEY_END, this.now())
      .map((row) => ({ key: String(row.key), value: JSON.parse(String(row.value)) as Json }));
  }

  /** Deletes every expired entry (one statement over the expiry index); returns how many are left. */
  sweep(): number {
    this.sweptAt = this.now();
    this.sql.run('DELETE FROM entries WHERE expires_at <= ?', this.sweptAt);
    this.count = this.countAll();
    return this.count;
  }

  /** Entries held, expired ones not yet swept included. */
  get size(): number {
    return this.count;
  }

  /** The live value, deleting it if it has expired. */
  private live(key: string): Json | undefined {
    const [row] = this.sql.all('SELECT value, expires_at FROM entries WHERE key = ?', key);
    if (!row) return undefined;
    if (Number(row.expires_at) > this.now()) return JSON.parse(String(row.value)) as Json;
    this.count -= this.sql.run('DELETE FROM entries WHERE key = ?', key);
    return undefined;
  }

  /** Whether a row (live or expired) holds `key`. */
  private held(key: string): boolean {
    return this.sql.all('SELECT 1 AS held FROM entries WHERE key = ?', key).length > 0;
  }

  private write(key: string, value: Json, ttlMs: number, exists: boolean): void {
    if (!exists && this.count >= this.options.maxEntries) {
      // A full store looks for expired entries at most once a second: a sweep costs a pass.
      if (this.now() - this.sweptAt >= FULL_SWEEP_INTERVAL_MS) this.sweep();
      if (this.count >= this.options.maxEntries) throw new StoreFullError();
    }
    const changed = this.sql.run(
      'INSERT INTO entries (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
      key,
      JSON.stringify(value),
      this.now() + ttlMs,
    );
    if (!exists && changed > 0) this.count += 1;
  }

  private countAll(): number {
    return Number(this.sql.all('SELECT COUNT(*) AS n FROM entries')[0]?.n ?? 0);
  }
}
