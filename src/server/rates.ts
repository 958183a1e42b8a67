/**
 * The provider's exchange rate, read at most once a minute however many tablets ask
 * (docs/api.md `GET /api/rate`: cached up to 60 s), with concurrent readers sharing one request.
 */
import type { Rate } from '../contract/api';
import type { Call, Provider } from './providers/provider';

export const RATE_CACHE_MS = 60_000;

export class RateCache {
  private cached: { rate: Rate; until: number } | undefined;
  private pending: Promise<Rate> | undefined;

  constructor(
    private readonly provider: Provider,
    private readonly now: () => number,
  ) {}

  current(call: Call): Promise<Rate> {
    if (this.cached && this.cached.until > this.now()) return Promise.resolve(this.cached.rate);
    this.pending ??= this.provider
      .rate(call)
      .then((rate) => {
        this.cached = { rate, until: this.now() + RATE_CACHE_MS };
        return rate;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
