/**
 * A provider's request budget as a token bucket, sized so that no window of the provider's
 * length ever holds more than `share` of its limit: with capacity C and refill rate r, any
 * window W admits at most C + r·W requests, so r = (share·limit − C) / W.
 *
 * Strike allows 1,000 reads per 10 minutes per account and locks the account out for an hour
 * past that; the POS keeps well inside, leaving room for the shop's other tools.
 */
export interface BudgetLimit {
  /** Requests the provider allows per window. */
  limit: number;
  windowMs: number;
  /** The part of the limit the POS may use (0–1). */
  share: number;
}

export class RequestBudget {
  readonly capacity: number;
  /** Tokens per millisecond. */
  private readonly rate: number;
  private tokens: number;
  private last: number;

  constructor(
    readonly spec: BudgetLimit,
    private readonly now: () => number = Date.now,
  ) {
    const allowed = Math.floor(spec.limit * spec.share);
    this.capacity = Math.max(1, Math.min(20, Math.floor(allowed / 20)));
    this.rate = (allowed - this.capacity) / spec.windowMs;
    this.tokens = this.capacity;
    this.last = now();
  }

  /** Sustained requests per second. */
  get perSecond(): number {
    return this.rate * 1000;
  }

  /** Most requests any window of the provider's length can see from the POS. */
  get maxPerWindow(): number {
    return Math.floor(this.capacity + this.rate * this.spec.windowMs);
  }

  private refill(): void {
    const now = this.now();
    if (now > this.last) this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.rate);
    this.last = now;
  }

  /** Takes a token if one is left above `reserve` (kept for requests that matter more). */
  tryTake(reserve = 0): boolean {
    this.refill();
    if (this.tokens - 1 < reserve) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is free (0 when one is). */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.rate);
  }

  /** Takes a token, waiting for one if need be (at most `maxWaitMs`; false if none came). */
  async take(maxWaitMs = 5_000): Promise<boolean> {
    const started = this.now();
    for (;;) {
      if (this.tryTake()) return true;
      const wait = this.waitMs();
      if (this.now() - started + wait > maxWaitMs) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.max(wait, 5)));
    }
  }
}
