/**
 * The error shape of docs/api.md: `{"error": {"code", "message", "details"?}}` with its HTTP status.
 * A `message` is always safe to show a cashier and never holds a key or a provider URL.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody } from '../contract/api';

export type ErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'device_not_paired'
  | 'invalid_pin'
  | 'invalid_code'
  | 'invalid_signature'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'too_many_attempts'
  | 'misdirected_request'
  | 'internal_error'
  | 'storage_full'
  | 'provider_error'
  | 'provider_unavailable'
  | 'provider_timeout'
  // A customer's Bolt Card (LNURL-withdraw): see lnurl/errors.ts.
  | 'card_not_withdraw'
  | 'card_link_refused'
  | 'card_limit'
  | 'card_needs_pin'
  | 'card_declined'
  | 'card_unreachable'
  | 'card_bad_answer'
  | 'card_timeout';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Extra response headers, e.g. `Retry-After`. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export const notFound = (what = 'That invoice') => new ApiError(404, 'not_found', `${what} was not found.`);

/**
 * What a provider adapter throws when the provider fails. `kind` picks the status:
 * `error` 502 (the provider refused, e.g. an amount it will not invoice), `unavailable` 503
 * (unreachable, 5xx, maintenance, rate-limited), `timeout` 504.
 */
export type ProviderFailure = 'error' | 'unavailable' | 'timeout';

const providerStatus = { error: 502, unavailable: 503, timeout: 504 } as const;
const providerCode = { error: 'provider_error', unavailable: 'provider_unavailable', timeout: 'provider_timeout' } as const;

export class ProviderError extends ApiError {
  constructor(
    readonly kind: ProviderFailure,
    message: string,
    details?: Record<string, unknown>,
    headers?: Record<string, string>,
  ) {
    super(providerStatus[kind], providerCode[kind], message, details, headers);
    this.name = 'ProviderError';
  }
}
