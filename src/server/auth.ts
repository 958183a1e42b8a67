/**
 * PIN → short-lived signed session token, and the role checks every route relies on.
 *
 * - PINs are compared in constant time (HMAC verify), both PINs every time.
 * - Wrong PINs are counted per client; after 5 within 5 minutes the client is locked out for
 *   5 minutes, and while locked even the right PIN is refused. An attempt is counted *before*
 *   the PIN is checked, so a burst of parallel guesses cannot slip past the counter.
 * - Tokens are HS256 JWTs (`hono/jwt`): cashier 12 h, manager 30 min.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { sign, verify } from 'hono/jwt';
import type { Role, Session } from '../contract/api';
import { Role as RoleSchema } from '../contract/api';
import { ApiError } from './errors';
import { LruCache } from './lru';
import type { KeyValueStore } from './store';
import { z } from './zod';

export const TOKEN_TTL_SEC: Record<Role, number> = { cashier: 12 * 3600, manager: 30 * 60 };
export const PIN_MAX_FAILURES = 5;
export const PIN_WINDOW_MS = 5 * 60_000;
export const PIN_LOCKOUT_MS = 5 * 60_000;

const encoder = new TextEncoder();

/** Checks a PIN against both configured PINs in constant time. */
export class PinChecker {
  private constructor(
    private readonly key: CryptoKey,
    private readonly macs: Record<Role, ArrayBuffer>,
  ) {}

  static async create(pins: Record<Role, string>): Promise<PinChecker> {
    const key = await crypto.subtle.importKey(
      'raw',
      crypto.getRandomValues(new Uint8Array(32)),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    const mac = (pin: string) => crypto.subtle.sign('HMAC', key, encoder.encode(pin));
    return new PinChecker(key, { cashier: await mac(pins.cashier), manager: await mac(pins.manager) });
  }

  async roleFor(pin: string): Promise<Role | null> {
    const data = encoder.encode(pin);
    // Both comparisons always run: the time taken says nothing about which PIN (if any) matched.
    const [isCashier, isManager] = await Promise.all([
      crypto.subtle.verify('HMAC', this.key, this.macs.cashier, data),
      crypto.subtle.verify('HMAC', this.key, this.macs.manager, data),
    ]);
    if (isManager) return 'manager';
    if (isCashier) return 'cashier';
    return null;
  }
}

/** Counts PIN attempts per client in the shared store. */
export class PinAttempts {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number,
  ) {}

  /** Reserves one attempt for `client`, or throws 429 while the client is locked out. */
  async begin(client: string): Promise<void> {
    const lockedUntil = await this.store.get(`pin-lock:${client}`);
    if (typeof lockedUntil === 'number' && lockedUntil > this.now()) throw tooManyAttempts(lockedUntil - this.now());
    const attempts = await this.store.increment(`pin-tries:${client}`, 1, PIN_WINDOW_MS);
    if (attempts > PIN_MAX_FAILURES) {
      await this.store.increment(`pin-tries:${client}`, -1, PIN_WINDOW_MS);
      throw tooManyAttempts(PIN_LOCKOUT_MS);
    }
  }

  /** The PIN was right: the reserved attempt does not count. */
  async succeeded(client: string): Promise<void> {
    await this.store.increment(`pin-tries:${client}`, -1, PIN_WINDOW_MS);
  }

  /** The PIN was wrong: the attempt stays counted. Returns how many attempts are left. */
  async failed(client: string): Promise<number> {
    const failures = (await this.store.get(`pin-tries:${client}`)) ?? 0;
    const left = Math.max(0, PIN_MAX_FAILURES - (typeof failures === 'number' ? failures : PIN_MAX_FAILURES));
    if (left === 0) await this.store.set(`pin-lock:${client}`, this.now() + PIN_LOCKOUT_MS, PIN_LOCKOUT_MS);
    return left;
  }
}

function tooManyAttempts(retryAfterMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiError(
    429,
    'too_many_attempts',
    `Too many wrong PINs. Try again in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}.`,
    { retryAfterSeconds: seconds },
    { 'Retry-After': String(seconds) },
  );
}

const TokenClaims = z.object({ role: RoleSchema, exp: z.int() });

export async function issueToken(role: Role, secret: string, now: number): Promise<Session> {
  const iat = Math.floor(now / 1000);
  const exp = iat + TOKEN_TTL_SEC[role];
  const token = await sign({ role, iat, exp }, secret, 'HS256');
  return { token, role, expiresAt: new Date(exp * 1000).toISOString() };
}

const bearer = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * Tokens whose signature has been checked, under the secret that checked them: a tablet polling
 * every second sends the same token each time. Expiry is still checked on every request.
 */
const verifiedTokens = new LruCache<string, z.infer<typeof TokenClaims>>(5_000);

const sessionEnded = () => new ApiError(401, 'unauthorized', 'Your session has ended. Please unlock the POS again.');

/** The role a request's bearer token grants, or throws 401. */
export async function roleOf(c: Context, secret: string): Promise<Role> {
  const header = c.req.header('Authorization');
  const match = header ? bearer.exec(header) : null;
  if (!match?.[1]) throw new ApiError(401, 'unauthorized', 'Please unlock the POS with your PIN.');
  const cacheKey = `${secret}\n${match[1]}`;
  const known = verifiedTokens.get(cacheKey);
  if (known) {
    if (known.exp * 1000 <= Date.now()) throw sessionEnded();
    return known.role;
  }
  let payload: unknown;
  try {
    payload = await verify(match[1], secret, 'HS256');
  } catch {
    throw sessionEnded();
  }
  const claims = z.safeParse(TokenClaims, payload);
  if (!claims.success) throw sessionEnded();
  verifiedTokens.set(cacheKey, claims.data);
  return claims.data.role;
}

/** Lets the request through when its token grants `role` (a manager may do what a cashier may). */
export function requireRole(role: Role, secret: string): MiddlewareHandler {
  return async (c, next) => {
    const granted = await roleOf(c, secret);
    if (role === 'manager' && granted !== 'manager') {
      throw new ApiError(403, 'forbidden', 'Only a manager may do this.');
    }
    await next();
  };
}
