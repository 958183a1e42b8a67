/**
 * A provider's request budget, kept in the shared store so that every instance of the proxy
 * (one Node process, or many Workers isolates) spends from the same account-wide allowance.
 *
 * The provider's window is cut into `slots` equal sub-windows, each allowed `perSlot` requests.
 * Any window of the provider's length overlaps at most `slots + 1` sub-windows, so it never sees
 * more than `perSlot × (slots + 1)` requests — kept at or under `share` of the provider's limit.
 *
 * Strike allows 1,000 reads per 10 minutes per account and locks the account out for an hour
 * past that; the POS keeps well inside, leaving room for the shop's other tools.
 */
import type { KeyValueStore } from './store';

export interface BudgetLimit {
  /** Requests the provider allows per window. */
  limit: number;
  windowMs: number;
  /** The part of the limit the POS may use (0–1). */
  share: number;
  /** Sub-windows per window (default 10). */
  slots?: number;
}

export class RequestBudget {
  readonly perSlot: number;
  readonly slotMs: number;
  private readonly slots: number;

  constructor(
    private readonly name: string,
    spec: BudgetLimit,
    private readonly store: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {
    this.slots = spec.slots ?? 10;
    this.slotMs = spec.windowMs / this.slots;
    this.perSlot = Math.max(1, Math.floor((spec.limit * spec.share) / (this.slots + 1)));
  }

  /** Most requests any window of the provider's length can see from the POS. */
  get maxPerWindow(): number {
    return this.perSlot * (this.slots + 1);
  }

  /** Sustained requests per second. */
  get perSecond(): number {
    return this.perSlot / (this.slotMs / 1000);
  }

  /** Takes one if the current sub-window has one left above `reserve` (kept for what matters more). */
  async tryTake(reserve = 0): Promise<boolean> {
    const key = `budget:${this.name}:${Math.floor(this.now() / this.slotMs)}`;
    const used = await this.store.increment(key, 1, this.slotMs * 2);
    if (used <= this.perSlot - reserve) return true;
    await this.store.increment(key, -1, this.slotMs * 2);
    return false;
  }

  /** Milliseconds until the next sub-window begins. */
  msToNextSlot(): number {
    return this.slotMs - (this.now() % this.slotMs);
  }

  /** Takes one, waiting for the next sub-window if it is near enough (false if not). */
  async take(maxWaitMs = 5_000): Promise<boolean> {
    if (await this.tryTake()) return true;
    const wait = this.msToNextSlot();
    if (wait > maxWaitMs) return false;
    await new Promise((resolve) => setTimeout(resolve, wait + 5));
    return this.tryTake();
  }
}
