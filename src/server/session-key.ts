/**
 * Which session a request belongs to, for per-session limits (provider reads, lookups of ids the
 * proxy does not know): a digest of its bearer token, so that no token is kept in the store.
 * The one place that knows what a session is, for the limits to follow when sessions change.
 */
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { Context } from 'hono';
import { callOf } from './deadline';
import type { Purpose } from './providers/provider';
import type { Reader } from './reads';

export function sessionKeyOf(c: Context): string {
  const token = /^Bearer (\S+)$/.exec(c.req.header('Authorization') ?? '')?.[1] ?? '';
  return bytesToHex(sha256(utf8ToBytes(token))).slice(0, 32);
}

/** Who reads an invoice for this request: its deadline and purpose, and its session (reads.ts). */
export function readerOf(c: Context, purpose: Purpose = 'checkout'): Reader {
  return { ...callOf(c, purpose), session: sessionKeyOf(c) };
}
