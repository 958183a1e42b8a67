/**
 * What every fake provider shares: a loopback HTTP server, fault injection, a request log,
 * BOLT11 issuing with a fake node key, and `/__fake/*` control routes for tests in other
 * processes (Playwright drives the fakes over HTTP; vitest may call the control object directly).
 *
 * A fake behaves like the vendor's server as its source code shows it (auth failures, units,
 * statuses, error bodies, version quirks), never like what the adapter under test expects. Each
 * vendor's fake lives in its own folder, split by concern: `state.ts` (what the vendor stores),
 * `query.ts` (how it lists), `versions.ts` (what differs by version or set-up, each quirk beside
 * the vendor file and version it comes from), `routes.ts` (its HTTP API), `index.ts` (assembly).
 * docs/providers.md tells the same story for people.
 */
import type { AddressInfo } from 'node:net';
import { serve, type HttpBindings } from '@hono/node-server';
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import { signPaymentRequest } from '../../src/server/bolt11';

export type FakeEnv = { Bindings: HttpBindings };

// ---------------------------------------------------------------- faults

/**
 * - `error`: 500 with the vendor's error body
 * - `unavailable`: 503 (maintenance)
 * - `rate-limited`: 429 with the vendor's body and Retry-After
 * - `slow`: answers after `delayMs`
 * - `hang`: never answers (the proxy's timeout must fire)
 * - `garbage`: 200 with a body that is not JSON
 * - `drop`: does the work, then closes the connection without answering (a lost response)
 */
export type FaultMode = 'none' | 'error' | 'unavailable' | 'rate-limited' | 'slow' | 'hang' | 'garbage' | 'drop';

/** Which requests a fault hits: every vendor request, only creates (POST), or only reads (GET). */
export type FaultScope = 'all' | 'create' | 'read';

export interface Fault {
  mode: FaultMode;
  scope: FaultScope;
  delayMs: number;
  /** How many matching requests it hits before clearing itself; 0 = until changed. */
  times: number;
  /**
   * Only requests whose path or body contains this text (an invoice id, a memo): so that tests
   * running side by side against one fake each fault only their own requests.
   */
  match?: string;
}

export const noFault: Fault = { mode: 'none', scope: 'all', delayMs: 0, times: 0 };

const FaultRequest = z.object({
  mode: z.enum(['none', 'error', 'unavailable', 'rate-limited', 'slow', 'hang', 'garbage', 'drop']),
  scope: z.optional(z.enum(['all', 'create', 'read'])),
  delayMs: z.optional(z.int().check(z.gte(0))),
  times: z.optional(z.int().check(z.gte(0))),
  match: z.optional(z.string().check(z.minLength(1))),
});

/** The vendor's own error responses for the fault modes that answer. */
export interface VendorErrors {
  error(c: Context): Response;
  unavailable(c: Context): Response;
  rateLimited(c: Context): Response;
}

function matches(fault: Fault, method: string, path: string, body: string): boolean {
  if (fault.mode === 'none') return false;
  if (fault.match !== undefined && !path.includes(fault.match) && !body.includes(fault.match)) return false;
  if (fault.scope === 'create') return method === 'POST';
  if (fault.scope === 'read') return method === 'GET';
  return true;
}

// ---------------------------------------------------------------- request log

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  /** The raw body text ('' when none). */
  body: string;
  at: number;
  /** When the answer went out (unix ms); undefined while in flight. Tests measure concurrency with it. */
  endedAt?: number;
}

// ---------------------------------------------------------------- the fake

export interface FakeControl {
  readonly requests: LoggedRequest[];
  /** Faults in force: one without `match`, and one per `match` (tests side by side). */
  readonly faults: Fault[];
  /**
   * Sets the fault for its `match` (or the unmatched one); mode `none` lifts it — without a
   * `match`, it lifts every fault.
   */
  setFault(fault: Partial<Fault> & { mode: FaultMode }): void;
  /** Forgets requests and faults (state of invoices is the vendor fake's own business). */
  resetLog(): void;
}

/**
 * Wraps a vendor app: logs every vendor request, applies the current fault, and mounts the common
 * control routes (`GET /__fake/requests`, `POST /__fake/fault`, `POST /__fake/reset-log`).
 * `vendor` holds the vendor routes; `control` may add vendor-specific `/__fake/*` routes.
 */
export function fakeApp(
  vendor: Hono<FakeEnv>,
  errors: VendorErrors,
  control: Hono<FakeEnv> = new Hono<FakeEnv>(),
): { app: Hono<FakeEnv>; control: FakeControl } {
  const faults: Fault[] = [];
  const lift = (match: string | undefined) => {
    for (let i = faults.length - 1; i >= 0; i--) if (match === undefined || faults[i]!.match === match) faults.splice(i, 1);
  };
  const state: FakeControl = {
    requests: [],
    faults,
    setFault(fault) {
      if (fault.mode === 'none') return lift(fault.match);
      for (let i = faults.length - 1; i >= 0; i--) if (faults[i]!.match === fault.match) faults.splice(i, 1);
      faults.push({ ...noFault, ...fault });
    },
    resetLog() {
      state.requests.length = 0;
      lift(undefined);
    },
  };

  const logAndFault: MiddlewareHandler<FakeEnv> = async (c, next) => {
    const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? '' : await c.req.raw.clone().text();
    const logged: LoggedRequest = {
      method: c.req.method,
      path: c.req.path,
      query: c.req.queries(),
      headers: Object.fromEntries(c.req.raw.headers),
      body,
      at: Date.now(),
    };
    state.requests.push(logged);
    try {
      return await handle(c, next, body);
    } finally {
      logged.endedAt = Date.now();
    }
  };

  const handle = async (c: Context<FakeEnv>, next: () => Promise<void>, body: string): Promise<Response | void> => {
    // A fault aimed at this request (by `match`) goes before the general one.
    const fault =
      faults.find((f) => f.match !== undefined && matches(f, c.req.method, c.req.path, body)) ??
      faults.find((f) => f.match === undefined && matches(f, c.req.method, c.req.path, body));
    if (!fault) return next();
    if (fault.times > 0) {
      fault.times -= 1;
      if (fault.times === 0) faults.splice(faults.indexOf(fault), 1);
    }
    switch (fault.mode) {
      case 'error':
        return errors.error(c);
      case 'unavailable':
        return errors.unavailable(c);
      case 'rate-limited':
        return errors.rateLimited(c);
      case 'garbage':
        return c.body('<html><body>502 Bad Gateway</body></html>', 200, { 'Content-Type': 'application/json' });
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        return next();
      case 'hang':
        await new Promise(() => {});
        return next();
      case 'drop':
        await next();
        // Only a real socket can be dropped; under app.request there is none to close.
        c.env?.incoming?.socket?.destroy();
        return;
      default:
        return next();
    }
  };

  const app = new Hono<FakeEnv>();
  app.get('/__fake/requests', (c) => c.json(state.requests));
  app.post('/__fake/fault', async (c) => {
    const parsed = z.safeParse(FaultRequest, await c.req.json());
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    state.setFault(parsed.data);
    return c.json(state.faults);
  });
  app.post('/__fake/reset-log', (c) => {
    state.resetLog();
    return c.body(null, 204);
  });
  app.route('/__fake', control);
  app.use('*', logAndFault);
  app.route('/', vendor);
  return { app, control: state };
}

// ---------------------------------------------------------------- serving

export interface RunningFake {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves a fake on 127.0.0.1 (port 0 = any free port). */
export function listen(app: Hono<FakeEnv>, port = 0): Promise<RunningFake> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Hanging requests (fault `hang`) would keep the server open forever.
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
  });
}

// ---------------------------------------------------------------- BOLT11

/** The fake Lightning node every fake provider signs its invoices with. */
const FAKE_NODE_KEY = bytesToHex(sha256(utf8ToBytes('lightning-pos fake provider node key')));

export interface IssuedBolt11 {
  paymentRequest: string;
  paymentHash: string;
  preimage: string;
  /** Unix seconds of the BOLT11 timestamp. */
  timestamp: number;
}

/** A real, signed BOLT11 as a provider's node would issue it (mainnet prefix `lnbc` by default). */
export function issueBolt11(options: {
  amountMsat: bigint;
  description: string;
  expirySec: number;
  network?: string;
}): IssuedBolt11 {
  const preimage = crypto.getRandomValues(new Uint8Array(32));
  const paymentHash = bytesToHex(sha256(preimage));
  const timestamp = Math.floor(Date.now() / 1000);
  const paymentRequest = signPaymentRequest(
    {
      network: options.network ?? 'bc',
      amountMsat: options.amountMsat,
      timestamp,
      paymentHashHex: paymentHash,
      paymentSecretHex: bytesToHex(crypto.getRandomValues(new Uint8Array(32))),
      description: options.description,
      expirySec: options.expirySec,
    },
    FAKE_NODE_KEY,
  );
  return { paymentRequest, paymentHash, preimage: bytesToHex(preimage), timestamp };
}

/** Random lowercase hex of `bytes` bytes. */
export const randomHex = (bytes: number) => bytesToHex(crypto.getRandomValues(new Uint8Array(bytes)));

/** Whether a dotted version ("1.4.0", "2.3.6") is at least `min`: how each fake picks its quirks. */
export function atLeast(version: string, min: string): boolean {
  const parts = (text: string) => text.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [a, b] = [parts(version), parts(min)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

/**
 * A vendor's webhook POST: the exact bytes, the vendor's headers and its time limit; the
 * receiver's HTTP status, or null when it never answered.
 */
export async function postWebhook(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number | null> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.status;
  } catch {
    return null;
  }
}
