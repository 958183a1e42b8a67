/**
 * A proxy for tests, driven through `app.request` (no server, no port): the demo wallet by
 * default, a fixed session secret, and helpers to unlock and call routes.
 */
import type { Hono } from 'hono';
import type { Role } from '../../contract/api';
import { createApp, type AppDeps } from '../app';
import { parseConfig, type Config, type Env } from '../config';
import { createLogger } from '../log';
import type { DemoWallet } from '../providers/demo';
import type { Provider } from '../providers/provider';
import { createProvider } from '../providers/registry';
import { MemoryStore } from '../store';

export const TEST_SECRET = 'test-session-secret-0123456789-abcdef';

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

export interface TestProxy {
  app: Hono;
  config: Config;
  demo: DemoWallet;
  logs: string[];
  login(role?: Role): Promise<string>;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
}

export function testProxy(
  env: Env = {},
  overrides: Partial<Pick<AppDeps, 'clientId' | 'store'>> & { provider?: Provider } = {},
): TestProxy {
  const config = parseConfig({ POS_SESSION_SECRET: TEST_SECRET, ...env });
  const setup = createProvider(config);
  const logs: string[] = [];
  const app = createApp({
    config,
    provider: overrides.provider ?? setup.provider,
    ...(setup.demo && !overrides.provider ? { demo: setup.demo } : {}),
    store: overrides.store ?? new MemoryStore(),
    log: createLogger([config.sessionSecret], (line) => logs.push(line)),
    ...(overrides.clientId ? { clientId: overrides.clientId } : {}),
  });
  const tokens = new Map<Role, string>();

  async function call(method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const response = await app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed, text, headers: response.headers };
  }

  async function login(role: Role = 'cashier'): Promise<string> {
    const cached = tokens.get(role);
    if (cached) return cached;
    const result = await call('POST', '/api/session', { body: { pin: config.pins[role] } });
    if (result.status !== 200) throw new Error(`login failed: ${result.status} ${result.text}`);
    const token = String(result.body.token);
    tokens.set(role, token);
    return token;
  }

  if (!setup.demo) throw new Error('testProxy needs the demo wallet');
  return { app, config, demo: setup.demo, logs, login, call };
}
