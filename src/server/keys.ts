/**
 * Secret keys the proxy makes for itself, one per purpose, kept in the shared store so that every
 * instance (and, with a persistent store, every restart) signs and verifies with the same key.
 *
 * Unlike a key derived from `POS_SESSION_SECRET`, a named key does not change when the session
 * secret is rotated: links and tokens that must outlive sessions (a provider's webhook URL, a
 * customer's receipt link) keep working, while rotating the session secret still ends sessions.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import type { KeyValueStore } from './store';

/** Long enough to outlive anything signed with the key; the store never evicts it early. */
export const NAMED_KEY_TTL_MS = 10 * 365 * 24 * 3600_000;

export type KeyPurpose = 'lnbits-webhook' | 'receipt' | 'device' | 'session-pin';

/** An HMAC-SHA-256 key for `purpose`: made at first use by whichever instance gets there first. */
export async function namedHmacKey(store: KeyValueStore, purpose: KeyPurpose): Promise<CryptoKey> {
  const candidate = bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
  const stored = await store.claim(`key:${purpose}`, candidate, NAMED_KEY_TTL_MS);
  if (typeof stored !== 'string' || !/^[0-9a-f]{64}$/.test(stored)) {
    throw new Error(`The store holds a malformed key for ${purpose}.`);
  }
  return crypto.subtle.importKey('raw', Uint8Array.from(hexToBytes(stored)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}
