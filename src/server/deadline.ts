/**
 * One deadline per API request (docs/architecture.md): it starts when the request arrives, and
 * every provider request the handler makes — a create and the search for it after a lost answer,
 * every page of a list, an activation and the read after it — stops when it passes. So the API
 * answers within 10 s whatever a provider does.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Call, Purpose } from './providers/provider';

/** Leaves a second of the 10 s for the proxy's own work. */
export const API_DEADLINE_MS = 9_000;

interface Deadline {
  arrivedAt: number;
  ms: number;
  /** Made on first use: a poll served from the cache never needs one. */
  signal?: AbortSignal;
}

const deadlines = new WeakMap<Context, Deadline>();

/** Notes when each request arrived, and how long it may take. */
export function deadline(ms: number): MiddlewareHandler {
  return async (c, next) => {
    deadlines.set(c, { arrivedAt: Date.now(), ms });
    await next();
  };
}

/** The request's dealings with the provider, for `purpose`, all bound by its one deadline. */
export function callOf(c: Context, purpose: Purpose): Call {
  let found = deadlines.get(c);
  if (!found) deadlines.set(c, (found = { arrivedAt: Date.now(), ms: API_DEADLINE_MS }));
  found.signal ??= AbortSignal.timeout(Math.max(0, found.ms - (Date.now() - found.arrivedAt)));
  return { signal: found.signal, purpose };
}
