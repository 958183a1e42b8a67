/**
 * The store on Node: one SQLite database file (better-sqlite3) in the data directory, so that a
 * restart of the proxy forgets nothing that matters — paired tablets, sessions, lockouts,
 * idempotency records, cancels, read budgets. Expired entries are swept every few minutes.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from './config';
import { SqlEntries, type SqlDriver, type SqlValue } from './sql-store';
import { MemoryStore, type Json, type KeyValueStore } from './store';

export const DATABASE_FILE = 'pos.sqlite';
const SWEEP_INTERVAL_MS = 10 * 60_000;

export interface SqliteStoreOptions {
  /** Most entries held before new keys are refused (old ones are never dropped for room). */
  maxEntries?: number;
  now?: () => number;
}

export class SqliteStore implements KeyValueStore {
  private readonly db: Database.Database;
  private readonly entries: SqlEntries;
  private readonly timer: ReturnType<typeof setInterval>;

  /** Opens (or creates) `<dataDir>/pos.sqlite`; throws when the directory cannot be written. */
  constructor(
    readonly dataDir: string,
    options: SqliteStoreOptions = {},
  ) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = new Database(join(dataDir, DATABASE_FILE));
    // WAL: readers never wait for the writer, and a crash mid-write loses nothing committed.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.entries = new SqlEntries(driverFor(this.db), { maxEntries: options.maxEntries ?? 1_000_000, ...(options.now ? { now: options.now } : {}) });
    this.entries.sweep();
    this.timer = setInterval(() => this.entries.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async get(key: string): Promise<Json | undefined> {
    return this.entries.get(key);
  }
  async set(key: string, value: Json, ttlMs: number): Promise<void> {
    this.entries.set(key, value, ttlMs);
  }
  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
  async increment(key: string, delta: number, ttlMs: number): Promise<number> {
    return this.entries.increment(key, delta, ttlMs);
  }
  async claim(key: string, value: Json, ttlMs: number): Promise<Json> {
    return this.entries.claim(key, value, ttlMs);
  }
  async list(prefix: string): Promise<{ key: string; value: Json }[]> {
    return this.entries.list(prefix);
  }

  get size(): number {
    return this.entries.size;
  }

  sweep(): number {
    return this.entries.sweep();
  }

  close(): void {
    clearInterval(this.timer);
    this.db.close();
  }
}

/**
 * The store of a Node proxy: outside the demo a SQLite file in POS_DATA_DIR, so a restart forgets
 * no paired tablet, session, lockout, idempotency record, cancel or read budget. The demo wallet
 * keeps its invoices in memory, and so does its store.
 */
export function storeFor(config: Pick<Config, 'provider' | 'dataDir'>): MemoryStore | SqliteStore {
  return config.provider === 'demo' ? new MemoryStore() : new SqliteStore(config.dataDir);
}

function driverFor(db: Database.Database): SqlDriver {
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  // One transaction function for every body: better-sqlite3 builds a wrapper per `transaction()`
  // call, which cost more than the statements of a status read's store operations.
  const inTransaction = db.transaction((body: () => unknown) => body());
  return {
    all: (sql, ...params) => prepared(sql).all(...params) as Record<string, SqlValue>[],
    run: (sql, ...params) => prepared(sql).run(...params).changes,
    // IMMEDIATE: another process on the same file waits instead of reading between our read and write.
    atomically: <T>(body: () => T) => inTransaction.immediate(body) as T,
  };
}
