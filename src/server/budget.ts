/**
 * A provider's request budget, kept in the shared store so that every instance of the proxy
 * (one Node process, or many Workers isolates) spends from the same account-wide allowance.
 *
 * The provider's window is cut into `slots` equal sub-windows, each allowed `perSlot` requests.
 * Any window of the provider's length overlaps at most `slots + 1` sub-windows, so it never sees
 * more than `perSlot × (slots + 1)` requests — kept at or under `share` of the provider's limit.
 *
 * Strike allows 1,000 reads per 10 minutes per account and locks the account out for an hour
 * past that; the POS keeps well inside, leaving room for the shop's other tools, and gives the
 * manager's reports a share of their own so that they never eat the checkouts' (docs/providers.md).
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

  /**
   * Takes one, waiting for the next sub-window if it is near enough and the request's deadline
   * (`signal`) leaves time for it (false if not).
   */
  async take(signal?: AbortSignal, maxWaitMs = 5_000): Promise<boolean> {
    if (await this.tryTake()) return true;
    const wait = this.msToNextSlot();
    if (wait > maxWaitMs || signal?.aborted) return false;
    const waited = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(true), wait + 5);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    return waited && this.tryTake();
  }
}

/** How far back a poll counts towards how often an invoice is being polled. */
const POLL_WINDOW_MS = 10_000;

/**
 * Status reads of every open invoice from one read budget, shared fairly: each invoice may be
 * read as often as it is polled and the provider's minimum age allows, unless together they
 * want more than the budget's sustained rate; then the busiest share what the quieter ones leave
 * (max-min fairness). A reserve stays for reads a webhook asks for.
 */
export class FairReads {
  /** When each invoice was polled in the last POLL_WINDOW_MS, in this instance. */
  private readonly polls = new Map<string, number[]>();
  private level = { perSecond: Infinity, at: -Infinity };

  constructor(
    readonly budget: RequestBudget,
    private readonly options: { minAgeMs: number; reserve: number },
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether a poll of `id`, whose last answer was read at `readAt`, should ask the provider now.
   * An urgent read (a webhook said it changed) skips the queue and may use the reserve.
   */
  async due(id: string, readAt: number | undefined, urgent: boolean): Promise<boolean> {
    const interval = this.intervalMs(id);
    if (!urgent && readAt !== undefined && this.now() - readAt < interval) return false;
    return this.budget.tryTake(urgent ? 0 : this.options.reserve);
  }

  /** How often one invoice may be read now: the provider's minimum age, or longer when busy. */
  intervalMs(id: string): number {
    const now = this.now();
    const times = this.polls.get(id) ?? [];
    times.push(now);
    this.polls.set(id, times);
    // Worked out at most once a second: every poll of every open invoice comes through here.
    if (now - this.level.at >= 1000) this.level = { perSecond: this.fairLevel(now), at: now };
    return Math.max(this.options.minAgeMs, 1000 / this.level.perSecond);
  }

  private fairLevel(now: number): number {
    const wants: number[] = [];
    for (const [polledId, times] of this.polls) {
      while (times.length > 0 && now - times[0]! > POLL_WINDOW_MS) times.shift();
      if (times.length === 0) this.polls.delete(polledId);
      // Reads a second this invoice would take: one per poll, at most one per minimum age.
      else wants.push(Math.min(times.length / (POLL_WINDOW_MS / 1000), 1000 / this.options.minAgeMs));
    }
    return fairShare(wants, this.budget.perSecond);
  }
}

/**
 * Max-min fair share: the most any one claimant gets when `supply` is shared among `wants`, the
 * modest ones getting all they want first. Infinity when there is enough for everyone.
 */
export function fairShare(wants: readonly number[], supply: number): number {
  const sorted = [...wants].sort((a, b) => a - b);
  let left = supply;
  for (let i = 0; i < sorted.length; i++) {
    const share = left / (sorted.length - i);
    if (sorted[i]! > share) return share;
    left -= sorted[i]!;
  }
  return Infinity;
}
