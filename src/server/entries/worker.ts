/**
 * The proxy on Cloudflare Workers: the same Hono app as on Node, with the SPA from Workers Static
 * Assets (wrangler.toml) served through it.
 *
 * Many isolates serve one deployment, so the small store (idempotency claims, status reads and
 * their leases, PIN attempts, the Strike read budget, webhook delivery ids) lives in Durable
 * Objects: strongly consistent, with atomic increments — what those uses need, and what Workers KV
 * (eventually consistent, no atomic increment) cannot give. Keys are spread over a few objects.
 */
import { DurableObject } from 'cloudflare:workers';
import type { MiddlewareHandler } from 'hono';
import { bootstrap, type Proxy } from '../bootstrap';
import { ConfigError, type Env } from '../config';
import { fnv1a32, MAX_WAIT_SECONDS } from '../../contract/wait';
import { entryKey } from '../reads';
import type { Json, KeyValueStore } from '../store';
import { LocalWaiters, type Waiters } from '../waiters';

interface Entry {
  value: Json;
  expiresAt: number;
}

/** One shard of the store. Each method runs alone on its object, so get-then-put is atomic. */
export class PosStore extends DurableObject {
  async get(key: string): Promise<Json | undefined> {
    const entry = await this.ctx.storage.get<Entry>(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      await this.ctx.storage.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: Json, ttlMs: number): Promise<void> {
    await this.ctx.storage.put(key, { value, expiresAt: Date.now() + ttlMs } satisfies Entry);
    await this.sweepLater();
  }

  async delete(key: string): Promise<void> {
    await this.ctx.storage.delete(key);
  }

  async increment(key: string, delta: number, ttlMs: number): Promise<number> {
    const now = Date.now();
    const entry = await this.ctx.storage.get<Entry>(key);
    const live = entry && entry.expiresAt > now && typeof entry.value === 'number' ? entry : undefined;
    const value = (live ? Number(live.value) : 0) + delta;
    await this.ctx.storage.put(key, { value, expiresAt: live ? live.expiresAt : now + ttlMs } satisfies Entry);
    if (!live) await this.sweepLater();
    return value;
  }

  async claim(key: string, value: Json, ttlMs: number): Promise<Json> {
    const current = await this.get(key);
    if (current !== undefined) return current;
    await this.set(key, value, ttlMs);
    return value;
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

  /** Expired entries are dropped when read, and swept hourly so unread ones do not pile up. */
  async alarm(): Promise<void> {
    const now = Date.now();
    const entries = await this.ctx.storage.list<Entry>({ limit: 5000 });
    for (const [key, entry] of entries) if (entry.expiresAt <= now) await this.ctx.storage.delete(key);
    if (entries.size > 0) await this.ctx.storage.setAlarm(now + 3600_000);
  }

  private async sweepLater(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + 3600_000);
  }
}

interface StoreStub {
  get(key: string): Promise<Json | undefined>;
  set(key: string, value: Json, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  increment(key: string, delta: number, ttlMs: number): Promise<number>;
  claim(key: string, value: Json, ttlMs: number): Promise<Json>;
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
    const shard = fnv1a32(key) % this.shards;
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
  set(key: string, value: Json, ttlMs: number): Promise<void> {
    return this.stub(key).set(key, value, ttlMs);
  }
  delete(key: string): Promise<void> {
    return this.stub(key).delete(key);
  }
  increment(key: string, delta: number, ttlMs: number): Promise<number> {
    return this.stub(key).increment(key, delta, ttlMs);
  }
  claim(key: string, value: Json, ttlMs: number): Promise<Json> {
    return this.stub(key).claim(key, value, ttlMs);
  }
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
