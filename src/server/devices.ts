/**
 * Paired tablets. Outside the demo a PIN only unlocks a tablet the shop has paired — once, with
 * the set-up code from the environment (`POS_SETUP_CODE`) or a one-time code a manager makes on a
 * paired tablet — so that nobody on the internet gets to try a PIN at all.
 *
 * A tablet's credential is `<id>.<mac>`: a random id and an HMAC of it under a key kept in the
 * store. The MAC turns away forgeries without a store read; the record `device:<id>` is what
 * makes it paired, so deleting the record (un-pairing a stolen tablet) revokes it everywhere.
 *
 * Guessing codes is bounded twice: each client (address, or IPv6 /64) may get 10 wrong in 15
 * minutes, and the whole shop 100, so that even unlimited addresses make no useful progress
 * against a 50-bit one-time code or a set-up code of 20+ characters (SECURITY.md). Pairing
 * limits never touch PIN attempts: a flood of wrong codes stops no paired tablet.
 */
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { DeviceInfo, PairedDevice } from '../contract/api';
import { secretMatcher, waitFor } from './auth';
import { ApiError } from './errors';
import { namedHmacKey, NAMED_KEY_TTL_MS } from './keys';
import { clientBucket, Strangers } from './quota';
import type { KeyValueStore } from './store';
import { z } from './zod';

/** A pairing lasts until a manager un-pairs the tablet. */
export const DEVICE_TTL_MS = NAMED_KEY_TTL_MS;
/** More paired tablets than any shop has: pairing stops there instead of growing without end. */
export const MAX_DEVICES = 200;
export const PAIRING_CODE_TTL_MS = 15 * 60_000;
export const PAIR_WINDOW_MS = 15 * 60_000;
/** Wrong codes one client may try per window. */
export const PAIR_CLIENT_MAX_FAILURES = 10;
/** Wrong codes the whole shop may see per window, from however many addresses. */
export const PAIR_GLOBAL_MAX_FAILURES = 100;
/** How often a tablet's "last seen" is written, at most (per instance of the proxy). */
const SEEN_EVERY_MS = 5 * 60_000;

/** Crockford's base 32: no I, L, O or U, so a code read aloud or typed is hard to get wrong. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 10 characters of base 32: 50 bits. */
const CODE_LENGTH = 10;

const DeviceRecord = z.object({ name: z.string(), pairedAt: z.number(), via: z.enum(['setup-code', 'pairing-code']) });
type DeviceRecord = z.infer<typeof DeviceRecord>;
const credentialPattern = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

const deviceKey = (id: string) => `device:${id}`;
const seenKey = (id: string) => `device-seen:${id}`;
const codeKey = (digest: string) => `pair-code:${digest}`;

/** What a typed one-time code means, whatever its case, spaces and dashes; null if it is not one. */
export function normalizePairingCode(typed: string): string | null {
  const code = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

const encoder = new TextEncoder();

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export interface PairedTablet {
  id: string;
  name: string;
}

export class Devices {
  private readonly key: Promise<CryptoKey>;
  private readonly setupCode: Promise<((candidate: string) => Promise<boolean>) | null>;
  private readonly strangers: Strangers;
  private readonly seenWritten = new Map<string, number>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number,
    setupCode: string | undefined,
  ) {
    this.key = namedHmacKey(store, 'device');
    // Keep the rejection for the first caller, not as an unhandled one at start-up.
    this.key.catch(() => {});
    this.setupCode = setupCode ? secretMatcher(setupCode) : Promise.resolve(null);
    this.strangers = new Strangers(store, now);
  }

  /** The paired tablet a credential stands for, or null (malformed, forged, or un-paired). */
  async verify(credential: string | undefined): Promise<PairedTablet | null> {
    const match = credential ? credentialPattern.exec(credential) : null;
    if (!match) return null;
    const [, id = '', mac = ''] = match;
    const genuine = await crypto.subtle.verify('HMAC', await this.key, fromBase64url(mac), encoder.encode(id));
    if (!genuine) return null;
    const record = z.safeParse(DeviceRecord, await this.store.get(deviceKey(id)));
    return record.success ? { id, name: record.data.name } : null;
  }

  /**
   * Pairs the calling browser when `code` is the set-up code or a live one-time code (which it
   * then uses up), within the limits on wrong codes; 401 `invalid_code` otherwise.
   */
  async pair(code: string, name: string | undefined, client: string): Promise<PairedDevice> {
    const window = Math.floor(this.now() / PAIR_WINDOW_MS);
    const shopKey = `pair-fails:${window}`;
    const clientKey = `pair-fails:${clientBucket(client)}:${window}`;
    // Each attempt is counted before the code is checked, and given back if it was right: a
    // burst of parallel guesses cannot slip past either count.
    const retryAfterMs = (window + 1) * PAIR_WINDOW_MS - this.now();
    const shopFailures = await this.store.get(shopKey);
    if (typeof shopFailures === 'number' && shopFailures >= PAIR_GLOBAL_MAX_FAILURES) throw tooManyCodes(retryAfterMs, 'this POS');
    await this.strangers.admit(clientKey);
    if ((await this.store.increment(clientKey, 1, PAIR_WINDOW_MS)) > PAIR_CLIENT_MAX_FAILURES) {
      await this.store.increment(clientKey, -1, PAIR_WINDOW_MS);
      throw tooManyCodes(retryAfterMs, 'this tablet');
    }
    if ((await this.store.increment(shopKey, 1, PAIR_WINDOW_MS)) > PAIR_GLOBAL_MAX_FAILURES) {
      await Promise.all([this.store.increment(shopKey, -1, PAIR_WINDOW_MS), this.store.increment(clientKey, -1, PAIR_WINDOW_MS)]);
      throw tooManyCodes(retryAfterMs, 'this POS');
    }
    if ((await this.store.list('device:')).length >= MAX_DEVICES) {
      throw new ApiError(409, 'conflict', `This POS already has ${MAX_DEVICES} paired tablets. Un-pair one you no longer use first.`);
    }
    const id = base64url(crypto.getRandomValues(new Uint8Array(16)));
    const via = await this.redeem(code, id);
    if (!via) throw new ApiError(401, 'invalid_code', 'That code is not valid. Check it, or ask a manager for a new one.');
    await Promise.all([this.store.increment(shopKey, -1, PAIR_WINDOW_MS), this.store.increment(clientKey, -1, PAIR_WINDOW_MS)]);
    const record: DeviceRecord = { name: name ?? `Tablet ${id.slice(0, 4).toUpperCase()}`, pairedAt: this.now(), via };
    await this.store.set(deviceKey(id), record, DEVICE_TTL_MS);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await this.key, encoder.encode(id)));
    return { device: `${id}.${base64url(mac)}`, id, name: record.name, pairedAt: new Date(record.pairedAt).toISOString() };
  }

  /** Which kind of code `code` is, if it is a good one; a one-time code is used up by `device`. */
  private async redeem(code: string, device: string): Promise<DeviceRecord['via'] | null> {
    const oneTime = normalizePairingCode(code);
    if (oneTime) {
      const digest = bytesToHex(sha256(utf8ToBytes(oneTime)));
      if ((await this.store.get(codeKey(digest))) === undefined) return null;
      // Two tablets typing the same code at once: the first claim wins, the other is refused.
      if ((await this.store.claim(`pair-code-used:${digest}`, device, PAIRING_CODE_TTL_MS)) !== device) return null;
      await this.store.delete(codeKey(digest));
      return 'pairing-code';
    }
    const matches = await this.setupCode;
    return matches && (await matches(code.trim())) ? 'setup-code' : null;
  }

  /** A one-time pairing code for a manager to show a new tablet; only its digest is stored. */
  async makeCode(): Promise<{ code: string; expiresAt: string }> {
    const random = crypto.getRandomValues(new Uint8Array(CODE_LENGTH));
    // 256 is a multiple of 32: every character is equally likely.
    const code = Array.from(random, (byte) => ALPHABET[byte % 32]).join('');
    const expiresAt = this.now() + PAIRING_CODE_TTL_MS;
    await this.store.set(codeKey(bytesToHex(sha256(utf8ToBytes(code)))), expiresAt, PAIRING_CODE_TTL_MS);
    return { code: `${code.slice(0, 5)}-${code.slice(5)}`, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Every paired tablet, the one asking (`current`) marked, each with its lockout if any. */
  async list(current: string | undefined, lockedUntil: (device: string) => Promise<number | null>): Promise<DeviceInfo[]> {
    const entries = await this.store.list('device:');
    const devices = await Promise.all(
      entries.map(async ({ key, value }) => {
        const record = z.safeParse(DeviceRecord, value);
        if (!record.success) return null;
        const id = key.slice('device:'.length);
        const [seen, locked] = await Promise.all([this.store.get(seenKey(id)), lockedUntil(id)]);
        return {
          id,
          name: record.data.name,
          pairedAt: new Date(record.data.pairedAt).toISOString(),
          lastSeenAt: typeof seen === 'number' ? new Date(seen).toISOString() : null,
          lockedUntil: locked === null ? null : new Date(locked).toISOString(),
          current: id === current,
        } satisfies DeviceInfo;
      }),
    );
    return devices.filter((device) => device !== null).sort((a, b) => a.pairedAt.localeCompare(b.pairedAt));
  }

  async exists(id: string): Promise<boolean> {
    return z.safeParse(DeviceRecord, await this.store.get(deviceKey(id))).success;
  }

  /** Un-pairs a tablet; false if there was none by that id. Its sessions are ended by the caller. */
  async remove(id: string): Promise<boolean> {
    const existed = (await this.store.get(deviceKey(id))) !== undefined;
    await Promise.all([this.store.delete(deviceKey(id)), this.store.delete(seenKey(id))]);
    this.seenWritten.delete(id);
    return existed;
  }

  /** Notes that a paired tablet is in use, writing at most every few minutes. */
  seen(id: string): void {
    const now = this.now();
    if (now - (this.seenWritten.get(id) ?? -Infinity) < SEEN_EVERY_MS) return;
    this.seenWritten.set(id, now);
    // A separate key: writing it can never bring back a device record that was just deleted.
    this.store.set(seenKey(id), now, DEVICE_TTL_MS).catch(() => this.seenWritten.delete(id));
  }
}

function tooManyCodes(retryAfterMs: number, where: string): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiError(
    429,
    'too_many_attempts',
    `Too many wrong codes on ${where}. Try again in ${waitFor(retryAfterMs)}.`,
    { retryAfterSeconds: seconds },
    { 'Retry-After': String(seconds) },
  );
}
