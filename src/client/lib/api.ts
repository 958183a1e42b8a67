/**
 * The SPA's only way to the proxy: same-origin `/api`, the session token attached, every
 * response parsed with the contract's schema, every failure turned into an ApiError whose
 * message can be shown to the cashier. What a failure means for the app (a 401 locks the POS)
 * is the query client's business, not this fetcher's.
 */
import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import { DEVICE_HEADER, ErrorBody } from '../../contract/api';
import { currentDeviceCredential } from '../stores/device';
import { currentToken } from '../stores/session';
import { clockOffsetObserved } from './clock';

export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when the proxy could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    /** The request needed the session (it carried, or lacked, the token). */
    readonly withSession = false,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The session is over: the proxy refused the token, or there was none to send. */
  get endsSession(): boolean {
    return this.withSession && this.status === 401;
  }

  /** Worth retrying with the same request: the network or the provider, not the request itself. */
  get isTransient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export const REQUEST_TIMEOUT_MS = 15_000;

/** The proxy could not be reached (no network, refused, dropped). */
export const unreachable = () => new ApiError(0, 'network_error', 'Cannot reach the POS server. Check the connection.');

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** How long to wait for the answer (default REQUEST_TIMEOUT_MS); a held read needs longer. */
  timeoutMs?: number;
  /** Attach the session token (default); a 401 then `endsSession`. */
  auth?: boolean;
  /** Attach this tablet's pairing credential (when unlocking). */
  device?: boolean;
}

export async function apiRequest<S extends core.$ZodType>(
  schema: S,
  path: string,
  { method = 'GET', body, headers = {}, signal, timeoutMs = REQUEST_TIMEOUT_MS, auth = true, device = false }: RequestOptions = {},
): Promise<core.output<S>> {
  const token = auth ? currentToken() : null;
  if (auth && !token) throw new ApiError(401, 'unauthorized', 'Please unlock the POS with your PIN.', undefined, true);
  const credential = device ? currentDeviceCredential() : null;
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(credential ? { [DEVICE_HEADER]: credential } : {}),
        ...headers,
      },
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    if (timeout.aborted) throw new ApiError(0, 'timeout', 'The POS server did not answer in time. Check the connection.');
    throw unreachable();
  }
  clockOffsetObserved(response.headers.get('Date'));
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = z.safeParse(ErrorBody, payload);
    const error = parsed.success
      ? new ApiError(response.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.details, auth)
      : new ApiError(response.status, 'http_error', `The POS server answered ${response.status}. Try again.`, undefined, auth);
    throw error;
  }
  const parsed = z.safeParse(schema, payload);
  if (!parsed.success) {
    throw new ApiError(response.status, 'bad_response', 'The POS server sent an answer this screen does not understand.');
  }
  return parsed.data;
}
