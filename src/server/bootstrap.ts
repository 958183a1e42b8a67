/**
 * The composition root: builds the proxy from an environment. Every entry (Node, dev server,
 * serverless) and every test builds it here, so what runs in tests is what runs in production
 * (docs/architecture.md).
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { createApp } from './app';
import { API_DEADLINE_MS } from './deadline';
import { parseConfig, secretsOf, type Config, type ConfigOptions, type Env } from './config';
import { createLogger, type Logger } from './log';
import type { DemoWallet } from './providers/demo';
import type { Provider } from './providers/provider';
import { createProvider } from './providers/registry';
import { MemoryStore, type KeyValueStore } from './store';
import { VersionGate } from './version-gate';
import type { Waiters } from './waiters';

export interface BootstrapOptions extends ConfigOptions {
  /** Who is asking, given the parsed configuration (e.g. whether to trust X-Forwarded-For). */
  clientId?: (c: Context, config: Config) => string;
  /** The store, or how to open it once the configuration is known (memory when absent). */
  store?: KeyValueStore | ((config: Config) => KeyValueStore);
  /** Where held status reads wait, when not in this process (Workers: the Durable Objects). */
  waiters?: Waiters;
  /** Serves the built SPA for every non-API GET (the Node entry's job). */
  assets?: MiddlewareHandler;
  log?: (secrets: string[]) => Logger;
  /** Tests: the fetch the adapters use (a tampering proxy, say). */
  fetch?: typeof fetch;
  /** Tests: a shorter deadline for each API request than the real one (deadline.ts). */
  deadlineMs?: number;
  /** Tests: a provider to use instead of the one the environment names. */
  provider?: Provider;
}

export interface Proxy {
  app: Hono;
  config: Config;
  log: Logger;
  provider: Provider;
  store: KeyValueStore;
  /** Set when the provider is the built-in demo wallet. */
  demo?: DemoWallet;
  /**
   * Settles once the provider's release is known to be supported; rejects with
   * ProviderVersionError (one line naming the minimum) when it is refused. Entries wait for it
   * before serving; a provider unreachable at start-up is asked again with the next request.
   */
  ready: Promise<void>;
}

/** Throws ConfigError when the environment is not usable. */
export function bootstrap(env: Env, options: BootstrapOptions = {}): Proxy {
  const config = parseConfig(env, options);
  const log = (options.log ?? createLogger)(secretsOf(config, env));
  const store = typeof options.store === 'function' ? options.store(config) : (options.store ?? new MemoryStore());
  const { provider, demo } = options.provider
    ? { provider: options.provider, demo: undefined }
    : createProvider(config, env, { store, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const versions = new VersionGate(provider, log);
  const app = createApp({
    config,
    provider,
    ...(demo ? { demo } : {}),
    store,
    log,
    versions,
    deadlineMs: options.deadlineMs ?? API_DEADLINE_MS,
    ...(options.clientId ? { clientId: (c: Context) => options.clientId!(c, config) } : {}),
    ...(options.assets ? { assets: options.assets } : {}),
    ...(options.waiters ? { waiters: options.waiters } : {}),
  });
  const ready = versions.check();
  // Entries that do not wait for it (the dev server, Workers) learn of a refusal from the routes.
  ready.catch(() => undefined);
  return { app, config, log, provider, store, ...(demo ? { demo } : {}), ready };
}
