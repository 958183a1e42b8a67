/**
 * PIN → session, and the role checks every route relies on.
 *
 * - PINs are compared in constant time (HMAC verify), against every configured PIN every time.
 * - Wrong PINs are counted per paired tablet (per address only on the demo, where tablets need no
 *   pairing): 5 within 5 minutes lock that tablet for 5 minutes, 10 within a day lock it for the
 *   rest of that day; while locked even the right PIN is refused. An attempt is counted *before*
 *   the PIN is checked, so a burst of parallel guesses cannot slip past the counter.
 * - A session is an HS256 JWT (`hono/jwt`: cashier 12 h, manager 30 min) *and* a record in the
 *   store, which every request checks: Lock deletes it, un-pairing a tablet or "sign out every
 *   device" deletes many, and a record made under another PIN (changed, or retired) no longer
 *   matches: a cashier's session names its cashier, who must still be on the staff list with the
 *   same PIN. So a session ends on the server, on every instance, and after a restart.
 */
import { bytesToHex } from '@noble/hashes/utils';
import type { Context, MiddlewareHandler } from 'hono';
import { sign, verify } from 'hono/jwt';
import type { Role, Session } from '../contract/api';
import { Role as RoleSchema } from '../contract/api';
import type { Config } from './config';
import { ApiError } from './errors';
import { namedHmacKey } from './keys';
import { LruCache } from './lru';
import { Strangers } from './quota';
import type { KeyValueStore } from './store';
import { z } from './zod';

export const TOKEN_TTL_SEC: Record<Role, number> = { cashier: 12 * 3600, manager: 30 * 60 };
export const PIN_MAX_FAILURES = 5;
export const PIN_WINDOW_MS = 5 * 60_000;
export const PIN_LOCKOUT_MS = 5 * 60_000;
/** Wrong PINs one paired tablet may make in a day (SECURITY.md: a 4-digit PIN then lasts > 1 year). */
export const PIN_DAILY_MAX_FAILURES = 10;
export const PIN_DAY_MS = 24 * 3600_000;

const encoder = new TextEncoder();

async function randomHmacKey(): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

/** Who a PIN belongs to: the manager, or one cashier (by id). */
export type PinOwner = { role: 'manager' } | { role: 'cashier'; cashierId: string };

/** Checks a PIN against every configured PIN (the manager's and each cashier's) in constant time. */
export class PinChecker {
  private constructor(
    private readonly key: CryptoKey,
    private readonly macs: { owner: PinOwner; mac: ArrayBuffer }[],
  ) {}

  static async create(config: Pick<Config, 'pins' | 'cashiers'>): Promise<PinChecker> {
    const key = await randomHmacKey();
    const mac = (pin: string) => crypto.subtle.sign('HMAC', key, encoder.encode(pin));
    const owners = [
      { owner: { role: 'manager' } as const, pin: config.pins.manager },
      ...config.cashiers.map((cashier) => ({ owner: { role: 'cashier', cashierId: cashier.id } as const, pin: cashier.pin })),
    ];
    return new PinChecker(key, await Promise.all(owners.map(async ({ owner, pin }) => ({ owner, mac: await mac(pin) }))));
  }

  async ownerOf(pin: string): Promise<PinOwner | null> {
    const data = encoder.encode(pin);
    // Every comparison always runs: the time taken says nothing about which PIN (if any) matched.
    const matches = await Promise.all(this.macs.map(({ mac }) => crypto.subtle.verify('HMAC', this.key, mac, data)));
    return this.macs.find((_, index) => matches[index])?.owner ?? null;
  }
}

/** Whether a candidate equals one secret (the set-up code), compared in constant time. */
export async function secretMatcher(secret: string): Promise<(candidate: string) => Promise<boolean>> {
  const key = await randomHmacKey();
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(secret));
  return (candidate) => crypto.subtle.verify('HMAC', key, mac, encoder.encode(candidate));
}

/**
 * Whose attempts count together: a paired tablet (`dev:<id>`), or on the demo an unpaired
 * browser's address (`ip:<address or IPv6 /64>`), a stranger who must be admitted (quota.ts).
 */
export interface PinSubject {
  key: string;
  stranger: boolean;
}

const lockKey = (subject: string) => `pin-lock:${subject}`;
const triesKey = (subject: string) => `pin-tries:${subject}`;

/** Counts PIN attempts per tablet in the shared store. */
export class PinAttempts {
  private readonly strangers: Strangers;

  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number,
  ) {
    this.strangers = new Strangers(store, now);
  }

  private dayKey(subject: string): string {
    return `pin-day:${subject}:${Math.floor(this.now() / PIN_DAY_MS)}`;
  }

  /** Reserves one attempt, or throws 429 while the subject is locked out. */
  async begin(subject: PinSubject): Promise<void> {
    const lockedUntil = await this.lockedUntil(subject.key);
    // A lockout longer than the short one is the day's.
    if (lockedUntil !== null) throw tooManyAttempts(lockedUntil - this.now(), lockedUntil - this.now() > PIN_LOCKOUT_MS);
    if (subject.stranger) await this.strangers.admit(triesKey(subject.key));
    const attempts = await this.store.increment(triesKey(subject.key), 1, PIN_WINDOW_MS);
    if (attempts > PIN_MAX_FAILURES) {
      await this.store.increment(triesKey(subject.key), -1, PIN_WINDOW_MS);
      throw tooManyAttempts(PIN_LOCKOUT_MS);
    }
    if (subject.stranger) return;
    // A paired tablet also has a day's allowance (a stranger's entries may not live that long).
    const today = await this.store.increment(this.dayKey(subject.key), 1, PIN_DAY_MS);
    if (today > PIN_DAILY_MAX_FAILURES) {
      await this.store.increment(this.dayKey(subject.key), -1, PIN_DAY_MS);
      await this.store.increment(triesKey(subject.key), -1, PIN_WINDOW_MS);
      throw tooManyAttempts(this.msToDayEnd(), true);
    }
  }

  /** The PIN was right: the reserved attempt does not count. */
  async succeeded(subject: PinSubject): Promise<void> {
    await this.store.increment(triesKey(subject.key), -1, PIN_WINDOW_MS);
    if (!subject.stranger) await this.store.increment(this.dayKey(subject.key), -1, PIN_DAY_MS);
  }

  /**
   * The PIN was wrong: the attempt stays counted. Returns how many attempts are left, and when none
   * are, for how long the subject is now locked out.
   */
  async failed(subject: PinSubject): Promise<{ attemptsLeft: number; lockedForMs: number | null }> {
    const counted = (key: string, max: number) => this.store.get(key).then((n) => (typeof n === 'number' ? n : max));
    let left = PIN_MAX_FAILURES - (await counted(triesKey(subject.key), PIN_MAX_FAILURES));
    let lockMs = PIN_LOCKOUT_MS;
    if (!subject.stranger) {
      const leftToday = PIN_DAILY_MAX_FAILURES - (await counted(this.dayKey(subject.key), PIN_DAILY_MAX_FAILURES));
      if (leftToday <= 0) lockMs = Math.max(lockMs, this.msToDayEnd());
      left = Math.min(left, leftToday);
    }
    if (left > 0) return { attemptsLeft: left, lockedForMs: null };
    await this.store.set(lockKey(subject.key), this.now() + lockMs, lockMs);
    return { attemptsLeft: 0, lockedForMs: lockMs };
  }

  /** When the subject's lockout ends, or null when it is not locked out. */
  async lockedUntil(subject: string): Promise<number | null> {
    const until = await this.store.get(lockKey(subject));
    return typeof until === 'number' && until > this.now() ? until : null;
  }

  /** A manager lifts a tablet's lockout (its attempts start afresh). */
  async clear(subject: string): Promise<void> {
    await Promise.all([this.store.delete(lockKey(subject)), this.store.delete(triesKey(subject)), this.store.delete(this.dayKey(subject))]);
  }

  private msToDayEnd(): number {
    return PIN_DAY_MS - (this.now() % PIN_DAY_MS);
  }
}

/** "5 minutes", "1 minute", "14 hours". */
export function waitFor(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds > 5400 ? `${Math.ceil(seconds / 3600)} hours` : `${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}`;
}

function tooManyAttempts(retryAfterMs: number, forTheDay = false): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const wait = waitFor(retryAfterMs);
  return new ApiError(
    429,
    'too_many_attempts',
    forTheDay
      ? `Too many wrong PINs on this tablet today. Try again in ${wait}, or ask a manager to clear its lockout.`
      : `Too many wrong PINs. Try again in ${wait}.`,
    { retryAfterSeconds: seconds },
    { 'Retry-After': String(seconds) },
  );
}

/** `cid`: the cashier's id, in a cashier's session. */
const TokenClaims = z.object({ role: RoleSchema, exp: z.int(), sid: z.string(), dev: z.optional(z.string()), cid: z.optional(z.string()) });
export type SessionClaims = z.infer<typeof TokenClaims>;

/**
 * What the store keeps of a session: which one is current, and under which PIN it began (for a
 * cashier, under which cashier and PIN).
 */
const SessionRecord = z.object({ sid: z.string(), pin: z.string(), issuedAt: z.number() });

/** When "sign out every device" last happened: sessions begun before it are over. */
const SIGNED_OUT_KEY = 'sessions-signed-out';
const SESSION_PREFIX = 'session:';

/**
 * A tablet holds one session per role (unlocking again replaces it), so a paired tablet's
 * sessions are `session:<device>:<role>`; a demo browser without pairing has `session:~<sid>:<role>`.
 */
function recordKey(claims: { sid: string; dev?: string | undefined; role: Role }): string {
  return `${SESSION_PREFIX}${claims.dev ?? `~${claims.sid}`}:${claims.role}`;
}

const bearer = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * Tokens whose signature has been checked, under the secret that checked them: a tablet polling
 * every second sends the same token each time. Only the signature is remembered: expiry and the
 * session's record in the store are checked on every request.
 */
const verifiedTokens = new LruCache<string, SessionClaims>(5_000);

export const sessionEnded = () => new ApiError(401, 'unauthorized', 'Your session has ended. Please unlock the POS again.');

declare module 'hono' {
  interface ContextVariableMap {
    /** The verified session of the request, set by requireRole. */
    session: SessionClaims;
  }
}

export class Sessions {
  private fingerprints: Promise<Map<string, string>> | undefined;
  private readonly strangers: Strangers;

  constructor(
    private readonly store: KeyValueStore,
    private readonly config: Pick<Config, 'pins' | 'cashiers' | 'sessionSecret'>,
    private readonly now: () => number,
    /** Told of every request of a paired tablet (its "last seen"). */
    private readonly onDeviceSeen: (device: string) => void = () => {},
  ) {
    this.strangers = new Strangers(store, now);
  }

  /**
   * A fingerprint of the manager's PIN and of each cashier's id and PIN, under a key the store
   * keeps: a session records the one it began under, and once that PIN changes or that cashier is
   * no longer on the list, it matches nothing — also after a restart, on every instance.
   */
  private pinFingerprint(owner: PinOwner): Promise<string | undefined> {
    this.fingerprints ??= (async () => {
      const key = await namedHmacKey(this.store, 'session-pin');
      const print = async (text: string) => bytesToHex(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text)))).slice(0, 32);
      const prints = new Map<string, string>([['manager', await print(`manager:${this.config.pins.manager}`)]]);
      for (const cashier of this.config.cashiers) prints.set(`cashier:${cashier.id}`, await print(`cashier:${cashier.id}:${cashier.pin}`));
      return prints;
    })();
    return this.fingerprints.then((all) => all.get(owner.role === 'manager' ? 'manager' : `cashier:${owner.cashierId}`));
  }

  /** Begins a session for the PIN's owner on a paired tablet (`device`), or on an unpaired demo browser. */
  async issue(owner: PinOwner, device: string | null): Promise<Session> {
    const { role } = owner;
    const cashier = owner.role === 'cashier' ? this.config.cashiers.find((c) => c.id === owner.cashierId) : undefined;
    const pin = await this.pinFingerprint(owner);
    if (pin === undefined || (owner.role === 'cashier' && !cashier)) throw sessionEnded();
    if (device === null) await this.strangers.admitSession();
    const issuedAt = this.now();
    const iat = Math.floor(issuedAt / 1000);
    const exp = iat + TOKEN_TTL_SEC[role];
    const sid = bytesToHex(crypto.getRandomValues(new Uint8Array(16)));
    const claims = { role, iat, exp, sid, ...(device ? { dev: device } : {}), ...(cashier ? { cid: cashier.id } : {}) };
    await this.store.set(recordKey(claims), { sid, pin, issuedAt }, TOKEN_TTL_SEC[role] * 1000);
    // "Sign out every device" may have run on another instance while this record was written.
    const signedOut = await this.store.get(SIGNED_OUT_KEY);
    if (typeof signedOut === 'number' && signedOut > issuedAt) {
      await this.store.delete(recordKey(claims));
      throw sessionEnded();
    }
    const token = await sign(claims, this.config.sessionSecret, 'HS256');
    return { token, role, expiresAt: new Date(exp * 1000).toISOString(), ...(cashier ? { cashier: { id: cashier.id, name: cashier.name } } : {}) };
  }

  /** The request's session, or throws 401 when it has none that is still current. */
  async verify(c: Context): Promise<SessionClaims> {
    const header = c.req.header('Authorization');
    const match = header ? bearer.exec(header) : null;
    if (!match?.[1]) throw new ApiError(401, 'unauthorized', 'Please unlock the POS with your PIN.');
    const secret = this.config.sessionSecret;
    const cacheKey = `${secret}\n${match[1]}`;
    let claims = verifiedTokens.get(cacheKey);
    if (!claims) {
      let payload: unknown;
      try {
        payload = await verify(match[1], secret, 'HS256');
      } catch {
        throw sessionEnded();
      }
      const parsed = z.safeParse(TokenClaims, payload);
      if (!parsed.success) throw sessionEnded();
      claims = parsed.data;
      verifiedTokens.set(cacheKey, claims);
    }
    if (claims.exp * 1000 <= this.now()) throw sessionEnded();
    const record = z.safeParse(SessionRecord, await this.store.get(recordKey(claims)));
    // A cashier's session checks against today's staff list: a cashier taken off it (or given a
    // new PIN) is refused on the first request after the restart that changed the list.
    const owner: PinOwner | null = claims.role === 'manager' ? { role: 'manager' } : claims.cid ? { role: 'cashier', cashierId: claims.cid } : null;
    const fingerprint = owner ? await this.pinFingerprint(owner) : undefined;
    if (!record.success || record.data.sid !== claims.sid || fingerprint === undefined || record.data.pin !== fingerprint) {
      throw sessionEnded();
    }
    if (claims.dev) this.onDeviceSeen(claims.dev);
    return claims;
  }

  /** Lock: this session ends. */
  async end(claims: SessionClaims): Promise<void> {
    const key = recordKey(claims);
    const record = z.safeParse(SessionRecord, await this.store.get(key));
    // Only if it is still this session: the tablet may have unlocked again meanwhile.
    if (record.success && record.data.sid === claims.sid) await this.store.delete(key);
  }

  /** Every session of one tablet ends (it was un-paired). */
  async endDevice(device: string): Promise<void> {
    await Promise.all(RoleSchema.options.map((role) => this.store.delete(`${SESSION_PREFIX}${device}:${role}`)));
  }

  /** "Sign out every device": every session ends, the caller's too. */
  async endAll(): Promise<void> {
    await this.store.set(SIGNED_OUT_KEY, this.now(), Math.max(...Object.values(TOKEN_TTL_SEC)) * 1000);
    const sessions = await this.store.list(SESSION_PREFIX);
    await Promise.all(sessions.map(({ key }) => this.store.delete(key)));
  }
}

/** Lets the request through when its session grants `role` (a manager may do what a cashier may). */
export function requireRole(role: Role, sessions: Sessions): MiddlewareHandler {
  return async (c, next) => {
    const session = await sessions.verify(c);
    if (role === 'manager' && session.role !== 'manager') {
      throw new ApiError(403, 'forbidden', 'Only a manager may do this.');
    }
    c.set('session', session);
    await next();
  };
}
