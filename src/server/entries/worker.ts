/**
 * The proxy on Cloudflare Workers: the same Hono app as on Node, with the SPA from Workers Static
 * Assets (wrangler.toml) served through it.
 *
 * Many isolates serve one deployment, so the small store (idempotency claims, status reads and
 * their leases, PIN attempts, the Strike read budget, webhook delivery ids) lives in Durable
 * Objects: strongly consistent, with atomic increments — what those uses need, and what Workers KV
 * (eventually consistent, no atomic increment) cannot give. Keys are spread over a few objects.
 */
import { DurableObject, type DurableObjectState, type DurableObjectStorage } from 'cloudflare:workers';
import type { MiddlewareHandler } from 'hono';
import { bootstrap, type Proxy } from '../bootstrap';
import { ConfigError, type Env } from '../config';
import { SqlEntries, type SqlDriver, type SqlValue } from '../sql-store';
import { StoreFullError, type Json, type KeyValueStore } from '../store';
import { fnv1a32, MAX_WAIT_SECONDS } from '../../contract/wait';
import { entryKey } from '../reads';
import { LocalWaiters, type Waiters } from '../waiters';

/** Most entries one shard holds before it refuses new keys (16 shards: 4 million in all). */
const SHARD_MAX_ENTRIES = 250_000;
const SWEEP_INTERVAL_MS = 3600_000;

/** A write's outcome across the RPC boundary, where an error's class does not survive. */
type Written<T> = { value: T } | { full: true };

/**
 * One shard of the store: the shared SQL rules (sql-store.ts) on the object's own SQLite
 * database. Each method runs alone on its object and synchronously, so every one is atomic.
 */
export class PosStore extends DurableObject {
  private readonly entries: SqlEntries;
  private alarmSet = false;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    this.entries = new SqlEntries(driverFor(ctx.storage), { maxEntries: SHARD_MAX_ENTRIES });
  }

  async get(key: string): Promise<Json | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: Json, ttlMs: number): Promise<Written<null>> {
    return this.written(() => {
      this.entries.set(key, value, ttlMs);
      return null;
    });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async increment(key: string, delta: number, ttlMs: number): Promise<Written<number>> {
    return this.written(() => this.entries.increment(key, delta, ttlMs));
  }

  async claim(key: string, value: Json, ttlMs: number): Promise<Written<Json>> {
    return this.written(() => this.entries.claim(key, value, ttlMs));
  }

  async list(prefix: string): Promise<{ key: string; value: Json }[]> {
    return this.entries.list(prefix);
  }

  /** Deletes every expired entry, whatever their number; returns how many entries are left. */
  async sweep(): Promise<number> {
    return this.entries.sweep();
  }

  /**
   * Held status reads (waiters.ts) of the invoices whose last answer lives on this object: the
   * isolate that stores a new answer announces it here, and every isolate's waiters hear it.
   * Kept in memory only: a waiter is a request in progress, and the object stays up while one is.
   */
  private readonly waiters = new LocalWaiters();

  /** Holds until an answer of invoice `id` other than `version` is announced (true), or `timeoutMs` (false). */
  waitFor(id: string, version: string, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(id, version, Math.min(timeoutMs, MAX_WAIT_SECONDS * 1000));
  }

  async notify(id: string, version: string): Promise<void> {
    await this.waiters.notify(id, version);
  }

  /** The hourly sweep, for entries nobody reads again; it stops while the shard is empty. */
  async alarm(): Promise<void> {
    this.alarmSet = false;
    if ((await this.sweep()) > 0) await this.sweepLater();
  }

  private async written<T>(write: () => T): Promise<Written<T>> {
    let value: T;
    try {
      value = write();
    } catch (error) {
      if (error instanceof StoreFullError) return { full: true };
      throw error;
    }
    await this.sweepLater();
    return { value };
  }

  private async sweepLater(): Promise<void> {
    if (this.alarmSet) return;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + SWEEP_INTERVAL_MS);
    this.alarmSet = true;
  }
}

function driverFor(storage: DurableObjectStorage): SqlDriver {
  const rows = (sql: string, params: SqlValue[]) =>
    storage.sql
      .exec(sql, ...params)
      .toArray()
      .map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, value instanceof ArrayBuffer ? null : value])));
  return {
    all: (sql, ...params) => rows(sql, params),
    run: (sql, ...params) => {
      rows(sql, params);
      // `rowsWritten` counts index rows too; changes() is the rows the statement changed.
      return Number(rows('SELECT changes() AS n', [])[0]?.n ?? 0);
    },
    atomically: (body) => storage.transactionSync(body),
  };
}

interface StoreStub {
  get(key: string): Promise<Json | undefined>;
  set(key: string, value: Json, ttlMs: number): Promise<Written<null>>;
  delete(key: string): Promise<void>;
  increment(key: string, delta: number, ttlMs: number): Promise<Written<number>>;
  claim(key: string, value: Json, ttlMs: number): Promise<Written<Json>>;
  list(prefix: string): Promise<{ key: string; value: Json }[]>;
  waitFor(id: string, version: string, timeoutMs: number): Promise<boolean>;
  notify(id: string, version: string): Promise<void>;
}

interface StoreNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): StoreStub;
}

/**
 * The store as the proxy sees it, each key on one of `shards` Durable Objects. Object ids are
 * kept; stubs are not, since a stub belongs to the request that made it.
 */
export class DurableObjectStore implements KeyValueStore {
  private readonly ids = new Map<number, unknown>();

  constructor(
    private readonly namespace: StoreNamespace,
    private readonly shards = 16,
  ) {}

  /** The object that holds `key`. */
  stub(key: string): StoreStub {
    // FNV-1a: a stable, even spread of keys over the shards.
    return this.shard(fnv1a32(key) % this.shards);
  }

  private shard(shard: number): StoreStub {
    let id = this.ids.get(shard);
    if (id === undefined) {
      id = this.namespace.idFromName(`pos-store-${shard}`);
      this.ids.set(shard, id);
    }
    return this.namespace.get(id);
  }

  get(key: string): Promise<Json | undefined> {
    return this.stub(key).get(key);
  }
  async set(key: string, value: Json, ttlMs: number): Promise<void> {
    unwrap(await this.stub(key).set(key, value, ttlMs));
  }
  delete(key: string): Promise<void> {
    return this.stub(key).delete(key);
  }
  async increment(key: string, delta: number, ttlMs: number): Promise<number> {
    return unwrap(await this.stub(key).increment(key, delta, ttlMs));
  }
  async claim(key: string, value: Json, ttlMs: number): Promise<Json> {
    return unwrap(await this.stub(key).claim(key, value, ttlMs));
  }
  /** A prefix's keys are spread over every shard: all of them are asked. */
  async list(prefix: string): Promise<{ key: string; value: Json }[]> {
    const shards = await Promise.all(Array.from({ length: this.shards }, (_, shard) => this.shard(shard).list(prefix)));
    return shards.flat();
  }
}

function unwrap<T>(written: Written<T>): T {
  if ('full' in written) throw new StoreFullError();
  return written.value;
}

/**
 * Held status reads wait where the invoice's answer is stored: on its Durable Object, so that an
 * announcement from any isolate (a webhook, a cancel, another tablet's read) wakes them; and in
 * this isolate too, which hears its own announcements first and outlasts an object that restarts.
 */
export class DurableObjectWaiters implements Waiters {
  private readonly local = new LocalWaiters();

  constructor(private readonly store: DurableObjectStore) {}

  async wait(id: string, version: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const stop = new AbortController();
    const here = this.local.wait(id, version, timeoutMs, signal ? AbortSignal.any([signal, stop.signal]) : stop.signal);
    // An object that cannot be reached leaves the wait to this isolate: at worst, a re-check later.
    const there = this.store.stub(entryKey(id)).waitFor(id, version, timeoutMs).catch(() => here);
    try {
      return await Promise.race([here, there]);
    } finally {
      stop.abort();
    }
  }

  async notify(id: string, version: string): Promise<void> {
    await this.local.notify(id, version);
    // A lost announcement costs the other isolates' waiters one re-check, never an answer.
    await this.store.stub(entryKey(id)).notify(id, version).catch(() => {});
  }
}

interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

interface WorkerEnv {
  POS_STORE: StoreNamespace;
  /** Workers Static Assets: the built SPA (wrangler.toml `[assets]`), index.html for unknown paths. */
  ASSETS?: AssetsBinding;
  [name: string]: unknown;
}

/**
 * Every request runs the worker first (wrangler.toml), so the SPA's files get the same security
 * headers as the API and as on Node. The binding's response has immutable headers: copy it.
 *
 * Compression is Cloudflare's on Workers: the binding answers with the file as uploaded (its
 * Content-Type, ETag and Cache-Control, no Content-Encoding: workers-sdk asset-worker
 * src/handler.ts, src/utils/headers.ts), and Cloudflare's edge compresses a 200 with a text
 * Content-Type for the visitor (brotli, gzip or zstd, as Accept-Encoding and the plan allow). So
 * the copy is made the way Cloudflare documents for changing headers — the same body, status and
 * headers, the runtime's default `encodeBody` — and never says `no-transform`, which would turn
 * that compression off. The build's own .br/.gz copies are not uploaded (public/.assetsignore).
 * Cache rules as on Node: hashed assets immutable, everything else (index.html, sw.js, the
 * manifest, icons) revalidated on every use.
 */
function spaFrom(assets: AssetsBinding): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const served = await assets.fetch(c.req.raw);
    const response = new Response(served.body, served);
    if (served.ok) {
      response.headers.set('Cache-Control', c.req.path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    return response;
  };
}

/** The deployment's variables and secrets (bindings such as POS_STORE are not configuration). */
function variables(env: WorkerEnv): Env {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

let proxy: Proxy | undefined;
let failure: Response | undefined;

export default {
  fetch(request: Request, env: WorkerEnv): Response | Promise<Response> {
    if (!proxy && !failure) {
      try {
        const store = new DurableObjectStore(env.POS_STORE);
        proxy = bootstrap(variables(env), {
          multiInstance: true,
          store,
          waiters: new DurableObjectWaiters(store),
          // Cloudflare sets this header itself: a client cannot choose it.
          clientId: (c) => c.req.header('CF-Connecting-IP') ?? 'unknown',
          ...(env.ASSETS ? { assets: spaFrom(env.ASSETS) } : {}),
        });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        // The problems name variables, never their values.
        console.error(error.problems.join('\n'));
        failure = Response.json(
          { error: { code: 'internal_error', message: `The POS is not configured: ${error.problems.join('; ')}` } },
          { status: 500 },
        );
      }
    }
    if (proxy) return proxy.app.fetch(request);
    return failure ? failure.clone() : new Response(null, { status: 500 });
  },
};
