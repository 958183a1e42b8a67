/** Builds the proxy from an environment: what every entry (Node, dev server, serverless) shares. */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { createApp } from './app';
import { parseConfig, secretsOf, type Config, type ConfigOptions, type Env } from './config';
import { createLogger, type Logger } from './log';
import { createProvider } from './providers/registry';
import { MemoryStore, type KeyValueStore } from './store';
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
}

export interface Proxy {
  app: Hono;
  config: Config;
  log: Logger;
}

/** Throws ConfigError when the environment is not usable. */
export function bootstrap(env: Env, options: BootstrapOptions = {}): Proxy {
  const config = parseConfig(env, options);
  const log = (options.log ?? createLogger)(secretsOf(config, env));
  const store = typeof options.store === 'function' ? options.store(config) : (options.store ?? new MemoryStore());
  const { provider, demo } = createProvider(config, env, { store });
  const app = createApp({
    config,
    provider,
    ...(demo ? { demo } : {}),
    store,
    log,
    ...(options.clientId ? { clientId: (c: Context) => options.clientId!(c, config) } : {}),
    ...(options.assets ? { assets: options.assets } : {}),
    ...(options.waiters ? { waiters: options.waiters } : {}),
  });
  return { app, config, log };
}
