/**
 * A proxy for tests, built by the same composition root as the entries (bootstrap) and driven
 * through `app.request` (no server, no port): the demo wallet by default, a fixed session secret,
 * and helpers to unlock and call routes. `loopbackForProxy` also listens on loopback, so that fake
 * providers can deliver webhooks to it.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Context, Hono } from 'hono';
import { DEVICE_HEADER, type Role } from '../../contract/api';
import { bootstrap } from '../bootstrap';
import type { Config, Env } from '../config';
import { createLogger } from '../log';
import type { DemoWallet } from '../providers/demo';
import type { Provider } from '../providers/provider';
import { MemoryStore, type KeyValueStore } from '../store';
import type { Waiters } from '../waiters';

export const TEST_SECRET = 'test-session-secret-0123456789-abcdef';
/** Pairs the tablets of a test proxy (POS_SETUP_CODE): outside the demo only they may unlock. */
export const TEST_SETUP_CODE = 'test-setup-code-0123456789-abcdef';

/** A provider whose every method fails unless the test overrides it. */
export function stubProvider(overrides: Partial<Provider> & Pick<Provider, 'id'>): Provider {
  const unused = () => Promise.reject(new Error('not used by this test'));
  return {
    readPolicy: { minAgeMs: 0 },
    createInvoice: unused,
    findExisting: () => Promise.resolve(null),
    getInvoice: unused,
    cancelInvoice: unused,
    rate: unused,
    listSales: unused,
    ...overrides,
  };
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Sent as-is instead of JSON.stringify(body). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests inspect arbitrary JSON
  text: string;
  headers: Headers;
}

/** The method, headers and body a test call sends: JSON unless the test gives the raw body. */
export function callInit(method: string, options: CallOptions): { method: string; headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (body === undefined && options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  return { method, headers, ...(body === undefined ? {} : { body }) };
}

/** A response as tests inspect it: status, the body parsed when it is JSON, the text, headers. */
export async function callResult(response: {
  status: number;
  text(): Promise<string>;
  headers: Iterable<[string, string]>;
}): Promise<CallResult> {
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text, headers: new Headers([...response.headers]) };
}

export interface ProviderProxy {
  app: Hono;
  config: Config;
  provider: Provider;
  store: KeyValueStore;
  logs: string[];
  /** The provider's release checked (bootstrap `ready`). */
  ready: Promise<void>;
  /** A session for `role` on the proxy's test tablet (paired first where pairing is required). */
  login(role?: Role): Promise<string>;
  /** The test tablet's device credential (paired on first use). */
  device(): Promise<string>;
  /** `POST /api/session` with `pin` on the test tablet (a cashier's own PIN, the manager's, a wrong one). */
  unlock(pin: string): Promise<CallResult>;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
}

export interface TestProxy extends ProviderProxy {
  demo: DemoWallet;
}

export interface ProxyOverrides {
  clientId?: (c: Context) => string;
  store?: KeyValueStore;
  waiters?: Waiters;
  provider?: Provider;
  /** A shorter deadline for each API request than the real one, for timeout tests. */
  timeoutMs?: number;
  /** The fetch adapters use: a test may stand a tampering proxy between them and the fake. */
  fetch?: typeof fetch;
}

/** A cashier's session on a proxy (or the manager's, who may sell too), with the invoice routes a tablet uses. */
export async function cashier(proxy: ProviderProxy, role: Role = 'cashier') {
  const token = await proxy.login(role);
  return {
    create: (body: unknown, key?: string) =>
      proxy.call('POST', '/api/invoices', { token, body, ...(key ? { headers: { 'Idempotency-Key': key } } : {}) }),
    read: (id: string) => proxy.call('GET', `/api/invoices/${id}`, { token }),
    cancel: (id: string) => proxy.call('POST', `/api/invoices/${id}/cancel`, { token }),
    token,
  };
}

/** A proxy on any provider the environment names (a fake one, in tests). */
export function providerProxy(env: Env = {}, overrides: ProxyOverrides = {}): ProviderProxy & { demo?: DemoWallet } {
  const logs: string[] = [];
  const { app, config, provider, store, demo, ready } = bootstrap(
    { POS_SESSION_SECRET: TEST_SECRET, POS_SETUP_CODE: TEST_SETUP_CODE, ...env },
    {
      store: overrides.store ?? new MemoryStore(),
      log: (secrets) => createLogger(secrets, (line) => logs.push(line)),
      ...(overrides.clientId ? { clientId: overrides.clientId } : {}),
      ...(overrides.provider ? { provider: overrides.provider } : {}),
      ...(overrides.timeoutMs ? { deadlineMs: overrides.timeoutMs } : {}),
      ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
      ...(overrides.waiters ? { waiters: overrides.waiters } : {}),
    },
  );
  const tokens = new Map<Role, string>();

  async function call(method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
    return callResult(await app.request(path, callInit(method, options)));
  }

  let paired: Promise<string> | undefined;
  function device(): Promise<string> {
    paired ??= call('POST', '/api/devices/pair', { body: { code: config.setupCode, name: 'Test tablet' } }).then((result) => {
      if (result.status !== 200) throw new Error(`pairing failed: ${result.status} ${result.text}`);
      return String(result.body.device);
    });
    return paired;
  }

  async function unlock(pin: string): Promise<CallResult> {
    const headers = config.pairingRequired ? { [DEVICE_HEADER]: await device() } : undefined;
    return call('POST', '/api/session', { body: { pin }, ...(headers ? { headers } : {}) });
  }

  async function login(role: Role = 'cashier'): Promise<string> {
    const cached = tokens.get(role);
    if (cached) return cached;
    const result = await unlock(config.pins[role]);
    if (result.status !== 200) throw new Error(`login failed: ${result.status} ${result.text}`);
    const token = String(result.body.token);
    tokens.set(role, token);
    return token;
  }

  return { app, config, provider, store, logs, ready, login, device, unlock, call, ...(demo ? { demo } : {}) };
}

/** A proxy on the demo wallet. */
export function testProxy(env: Env = {}, overrides: ProxyOverrides = {}): TestProxy {
  const proxy = providerProxy(env, overrides);
  if (!proxy.demo) throw new Error('testProxy is for the demo wallet; use providerProxy');
  return { ...proxy, demo: proxy.demo };
}

/**
 * A loopback address for a proxy that does not exist yet: fakes need the proxy's public URL
 * (POS_PUBLIC_URL) before the proxy can be configured with it. `attach` hands it the app.
 */
export async function loopbackForProxy(): Promise<{ url: string; attach(app: Hono): void; close(): Promise<void> }> {
  let app: Hono | undefined;
  return new Promise((resolve) => {
    const server = serve(
      {
        fetch: (request) => (app ? app.fetch(request) : new Response('not ready', { status: 503 })),
        hostname: '127.0.0.1',
        port: 0,
      },
      (info: AddressInfo) =>
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          attach: (next) => {
            app = next;
          },
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              // Keep-alive connections from a fake's webhooks would hold the close for seconds.
              (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            }),
        }),
    );
  });
}
