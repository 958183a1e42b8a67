/**
 * What the proxy's route modules are built from. Its own module, so that routes and the app that
 * mounts them both depend on it and never on each other (docs/architecture.md).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { PinAttempts, Sessions } from './auth';
import type { Config } from './config';
import type { Devices } from './devices';
import type { Reports } from './history';
import type { Logger } from './log';
import type { DemoWallet } from './providers/demo';
import type { Provider } from './providers/provider';
import type { RateCache } from './rates';
import type { InvoiceReads } from './reads';
import type { KeyValueStore } from './store';
import type { VersionGate } from './version-gate';
import type { Waiters } from './waiters';

export interface AppDeps {
  config: Config;
  provider: Provider;
  /** The demo wallet, when it is the provider: its "pay" route exists only then. */
  demo?: DemoWallet;
  store: KeyValueStore;
  log: Logger;
  now?: () => number;
  /** Who is asking, for per-client limits: the entry knows (socket address, CF-Connecting-IP). */
  clientId?: (c: Context) => string;
  /** Serves the SPA for requests outside `/api` (the Node entry passes the built files). */
  assets?: MiddlewareHandler;
  /** How long one API request may take, every provider request it makes included (deadline.ts). */
  deadlineMs?: number;
  /** The check of the provider's release, when the composition root made it already. */
  versions?: VersionGate;
  /** Where held status reads wait (default: in this process; on Workers: in the Durable Objects). */
  waiters?: Waiters;
}

/** The deps with defaults filled in, plus the caches and services the routes share. */
export interface Services extends Required<Omit<AppDeps, 'demo' | 'assets' | 'versions'>> {
  demo?: DemoWallet;
  rates: RateCache;
  reads: InvoiceReads;
  reports: Reports;
  versions: VersionGate;
  sessions: Sessions;
  devices: Devices;
  attempts: PinAttempts;
}
