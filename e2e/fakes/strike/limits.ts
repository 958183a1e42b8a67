/**
 * Strike's rate limits (docs.strike.me/rate-limits): invoice creation, quotes and rates 250 a
 * minute each; everything else (status reads, lists, cancels) 1,000 per 10 minutes per account,
 * and going past that locks the account out for an hour. The limits sit in front of the handlers,
 * so every request to /v1 counts, whatever its answer.
 */

export interface ReadLimit {
  max: number;
  windowMs: number;
  lockoutMs: number;
}

export const DEFAULT_READ_LIMIT: ReadLimit = { max: 1000, windowMs: 10 * 60_000, lockoutMs: 60 * 60_000 };

/** Admitted requests in a sliding window: stricter than a fixed one, so keeping to it keeps to either. */
class SlidingWindow {
  private admitted: number[] = [];

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Admits one now (null), or says how long until one would be admitted. */
  admit(nowMs: number): number | null {
    this.admitted = this.admitted.filter((at) => at > nowMs - this.windowMs && at <= nowMs);
    if (this.admitted.length < this.max) {
      this.admitted.push(nowMs);
      return null;
    }
    return (this.admitted[0] ?? nowMs) + this.windowMs - nowMs;
  }

  clear(): void {
    this.admitted = [];
  }
}

export type Bucket = 'invoices' | 'quote' | 'rates' | 'everything-else';

export function bucketOf(method: string, path: string): Bucket {
  if (path.startsWith('/v1/rates')) return 'rates';
  if (method === 'POST' && path === '/v1/invoices') return 'invoices';
  if (method === 'POST' && /^\/v1\/invoices\/[^/]+\/quote$/.test(path)) return 'quote';
  return 'everything-else';
}

export class StrikeLimits {
  /** Requests that counted against "everything else", refused ones included. */
  readCount = 0;
  private lockedUntilMs = 0;
  private readonly reads: SlidingWindow;
  private readonly perMinute: Record<Exclude<Bucket, 'everything-else'>, SlidingWindow>;

  constructor(
    private readonly readLimit: ReadLimit,
    createPerMinute: number,
  ) {
    this.reads = new SlidingWindow(readLimit.max, readLimit.windowMs);
    this.perMinute = {
      invoices: new SlidingWindow(createPerMinute, 60_000),
      quote: new SlidingWindow(createPerMinute, 60_000),
      rates: new SlidingWindow(createPerMinute, 60_000),
    };
  }

  /** null when admitted, else the ms to wait (the answer's Retry-After). */
  admit(bucket: Bucket, nowMs: number): number | null {
    if (bucket !== 'everything-else') return this.perMinute[bucket].admit(nowMs);
    this.readCount += 1;
    if (nowMs < this.lockedUntilMs) return this.lockedUntilMs - nowMs;
    if (this.reads.admit(nowMs) === null) return null;
    this.lockedUntilMs = nowMs + this.readLimit.lockoutMs;
    this.reads.clear();
    return this.readLimit.lockoutMs;
  }
}
