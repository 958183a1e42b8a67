/**
 * What differs between LNbits servers: the release and the database. Each quirk names the
 * lnbits/lnbits file and version it was read from, so that the next person can check it.
 */
import { atLeast } from '../common';

export interface LnbitsMode {
  /** The LNbits release the fake plays, e.g. '1.5.1' or '0.12.12'. */
  version: string;
  /** PostgreSQL and SQLite bind datetime filters differently (see `timeFiltersFail`). */
  database: 'sqlite' | 'postgres';
  /**
   * What the funding source says of an unpaid invoice past its expiry when LNbits re-checks it:
   * LND (`wallets/lndrest.py` get_invoice_status: CANCELED) and Core Lightning
   * (`wallets/corelightning.py`: expired) say failed; FakeWallet, while it runs, says pending.
   */
  expiredInvoices: 'fail' | 'stay-pending';
}

export const DEFAULT_LNBITS_MODE: LnbitsMode = { version: '1.5.1', database: 'sqlite', expiredInvoices: 'fail' };

/**
 * `lnbits/db.py` Filter.statement (v1.4.0 to v1.5.2-rc3): a lost `else` emits
 * `time >= to_timestamp(:k) OR time >= :k` with a float bound; asyncpg refuses the second, and
 * LNbits answers 500. SQLite binds both the same way and works. (lnbits issue #4014, PR #4023.)
 */
export function timeFiltersFail(mode: LnbitsMode): boolean {
  return mode.database === 'postgres' && atLeast(mode.version, '1.4.0');
}

/** `lnbits/db.py` Filters.limit (v1.4.0): a page holds 10 rows unless told; before, no limit. */
export function defaultPageLimit(mode: LnbitsMode): number | null {
  return atLeast(mode.version, '1.4.0') ? 10 : null;
}

/** `lnbits/core/models.py` PaymentFilters (v0.12.12) has no `status`: the filter is dropped. */
export function filtersOnStatus(mode: LnbitsMode): boolean {
  return atLeast(mode.version, '1.0.0');
}

/**
 * `lnbits/core/views/api.py` health: v0.12.12 returns nothing (JSON `null`); v1.0.0 and later
 * `{server_time, up_time}`. The one unauthenticated way to tell the releases apart.
 */
export function healthAnswer(mode: LnbitsMode, nowMs: number): { server_time: number; up_time: string } | null {
  return atLeast(mode.version, '1.0.0') ? { server_time: Math.floor(nowMs / 1000), up_time: '0' } : null;
}

/**
 * `lnbits/core/views/payment_api.py` api_payments_create_invoice: v0.12.12 answers
 * `{payment_hash, payment_request, checking_id, lnurl_response}`; v1.0.0 the Payment.
 */
export function answersCreateWithPayment(mode: LnbitsMode): boolean {
  return atLeast(mode.version, '1.0.0');
}

/**
 * `GET /api/v1/rate/{currency}` when no exchange has a price. `lnbits/utils/exchange_rates.py`
 * btc_price: v1.5.0 returns 0.0, so the route answers `{rate: 0, price: 0}`; v1.0.0 to v1.4.2
 * raise ValueError ("Could not fetch any Bitcoin price."), which LNbits answers as 400. v0.12.12
 * (`core/views/api.py` api_check_fiat_rate) answers `{rate}` only, never a price.
 */
export function rateAnswer(mode: LnbitsMode, btcPrice: number): { status: 200 | 400; body: object } {
  const rate = btcPrice > 0 ? 100_000_000 / btcPrice : 0;
  if (!atLeast(mode.version, '1.0.0')) return { status: 200, body: { rate } };
  if (btcPrice > 0 || atLeast(mode.version, '1.5.0')) return { status: 200, body: { rate, price: btcPrice } };
  return { status: 400, body: { detail: 'Could not fetch any Bitcoin price.' } };
}

/**
 * How the paid webhook's body is written. `lnbits/core/services/notifications.py`
 * dispatch_webhook: v1.1.0 posts `json=payment.json()`, a JSON string holding the Payment JSON;
 * v1.0.0 posts `payment.dict()`, whose datetimes httpx cannot encode, so nothing is sent;
 * `lnbits/core/tasks.py` (v0.12.12) posts the plain Payment dict.
 */
export function webhookEncoding(mode: LnbitsMode): 'json-string' | 'none' | 'object' {
  if (atLeast(mode.version, '1.1.0')) return 'json-string';
  return atLeast(mode.version, '1.0.0') ? 'none' : 'object';
}
