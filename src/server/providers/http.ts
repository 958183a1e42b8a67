/**
 * Talking to a provider over HTTP, the same way for every adapter: every request ends at its API
 * request's deadline (so the API answers within 10 s), network faults and timeouts turn into
 * 503/504, bodies are read as JSON, and answers parsed with zod so that no vendor shape leaks past
 * the adapter unchecked. Messages are the POS's own sentences; a vendor's body, URL or key never
 * reaches one.
 */
import type * as core from 'zod/v4/core';
import { ProviderError } from '../errors';
import { z } from '../zod';
import type { Call } from './provider';

export interface VendorResponse {
  status: number;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
  headers: Headers;
}

export interface VendorRequest {
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** How long a 429 asks the POS to wait: its Retry-After (seconds), or `fallbackMs` without one. */
export function retryAfterMs(response: VendorResponse, fallbackMs: number): number {
  const seconds = Number(response.headers.get('Retry-After'));
  return seconds > 0 ? seconds * 1000 : fallbackMs;
}

export interface VendorClientOptions {
  /** The provider's name as a cashier would know it, for messages: "LNbits". */
  name: string;
  baseUrl: string;
  /** Authentication and other headers sent with every request. */
  headers: Record<string, string>;
}

export class VendorClient {
  readonly name: string;
  private readonly baseUrl: string;
  private readonly fetcher: typeof fetch;

  constructor(
    private readonly options: VendorClientOptions,
    fetcher?: typeof fetch,
  ) {
    this.name = options.name;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    // Called as a method, workerd's own fetch throws "Illegal invocation": keep it unbound.
    this.fetcher = fetcher ?? ((input, init) => fetch(input, init));
  }

  /**
   * Sends a request within `call`'s deadline; any HTTP status comes back, only transport faults
   * (and the deadline) throw.
   */
  async send(method: string, path: string, call: Call, request: VendorRequest = {}): Promise<VendorResponse> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
    }
    const timeout = call.signal;
    if (timeout.aborted) throw this.timedOut();
    let response: Response;
    try {
      response = await this.fetcher(url, {
        method,
        headers: {
          Accept: 'application/json',
          ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...this.options.headers,
          ...request.headers,
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: timeout,
        // Never followed (the key would travel with it): a redirect comes back as a 3xx, which no
        // adapter accepts. Not 'error', which workerd refuses to run at all.
        redirect: 'manual',
      });
    } catch {
      if (timeout.aborted) throw this.timedOut();
      throw this.unreachable();
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw timeout.aborted ? this.timedOut() : this.unreachable();
    }
    return { status: response.status, body: parseJson(text, this.name, response.status), headers: response.headers };
  }

  /** Parses a successful answer with `schema`; an answer of another shape is the provider's fault. */
  parse<S extends core.$ZodType>(schema: S, response: VendorResponse): core.output<S> {
    const parsed = z.safeParse(schema, response.body);
    if (!parsed.success) {
      throw new ProviderError('error', `${this.name} sent an answer the POS does not understand.`);
    }
    return parsed.data;
  }

  /** The failure for a status the adapter has no better word for. */
  failure(response: VendorResponse): ProviderError {
    const { status } = response;
    if (status === 401 || status === 403) {
      return new ProviderError('error', `${this.name} refused the POS's API key. Ask the manager to check the key and its permissions.`);
    }
    if (status === 429) {
      const retryAfter = response.headers.get('Retry-After');
      return new ProviderError(
        'unavailable',
        `${this.name} asks the POS to slow down. Try again in a minute.`,
        undefined,
        retryAfter && /^\d+$/.test(retryAfter) ? { 'Retry-After': retryAfter } : undefined,
      );
    }
    if (status >= 500) return new ProviderError('unavailable', `${this.name} is having problems right now. Try again in a moment.`);
    return new ProviderError('error', `${this.name} refused the request (HTTP ${status}).`);
  }

  timedOut(): ProviderError {
    return new ProviderError('timeout', `${this.name} did not answer in time. The sale is kept; try again.`);
  }

  private unreachable(): ProviderError {
    return new ProviderError('unavailable', `${this.name} cannot be reached right now. The sale is kept; try again.`);
  }
}

function parseJson(text: string, name: string, status: number): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // An HTML error page from a reverse proxy is an outage; a 2xx that is not JSON is nonsense.
    if (status >= 500) return undefined;
    if (status >= 200 && status < 300) {
      throw new ProviderError('error', `${name} sent an answer the POS does not understand.`);
    }
    return text;
  }
}
