import { describe, expect, it } from 'vitest';
import { fairShare, FairReads, RequestBudget } from './budget';
import { MemoryStore } from './store';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RequestBudget', () => {
  it('never admits more than its share of the limit in any window, and does not starve', async () => {
    const time = clock();
    const budget = new RequestBudget('test', { limit: 1000, windowMs: 600_000, share: 0.75 }, new MemoryStore(100_000, time.now), time.now);
    expect(budget.maxPerWindow).toBeLessThanOrEqual(750);
    // Greedy: take every request the moment it is allowed, for an hour, and count per sliding window.
    const taken: number[] = [];
    for (let t = 0; t < 3_600_000; t += 1000) {
      while (await budget.tryTake()) taken.push(time.now());
      time.advance(1000);
    }
    let worst = 0;
    for (let i = 0, j = 0; i < taken.length; i++) {
      while (taken[i]! - taken[j]! >= 600_000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(750);
    expect(worst).toBeGreaterThan(650);
  });

  it('is shared: two instances on one store spend one allowance', async () => {
    const time = clock();
    const store = new MemoryStore(1000, time.now);
    const a = new RequestBudget('shared', { limit: 110, windowMs: 600_000, share: 1 }, store, time.now);
    const b = new RequestBudget('shared', { limit: 110, windowMs: 600_000, share: 1 }, store, time.now);
    let taken = 0;
    for (let i = 0; i < 50; i++) taken += Number(await a.tryTake()) + Number(await b.tryTake());
    expect(taken).toBe(a.perSlot);
  });

  it('keeps a reserve for requests that matter more', async () => {
    const time = clock();
    const budget = new RequestBudget('reserve', { limit: 110, windowMs: 600_000, share: 1 }, new MemoryStore(1000, time.now), time.now);
    let routine = 0;
    while (await budget.tryTake(3)) routine++;
    expect(routine).toBe(budget.perSlot - 3);
    expect(await budget.tryTake()).toBe(true);
  });

  it('waits for the next sub-window only when it is near', async () => {
    const time = clock(59_990);
    const budget = new RequestBudget('wait', { limit: 11, windowMs: 600_000, share: 1 }, new MemoryStore(1000, time.now), time.now);
    while (await budget.tryTake());
    expect(budget.msToNextSlot()).toBe(10);
    expect(await budget.take(undefined, 5)).toBe(false);
    expect(await budget.take(AbortSignal.abort())).toBe(false);
  });
});

describe('fairShare', () => {
  it('gives everyone what they want when there is enough', () => {
    expect(fairShare([], 2)).toBe(Infinity);
    expect(fairShare([0.2, 0.2, 0.2, 1.1], 2.1)).toBe(Infinity);
  });

  it('shares equally among equals, and serves the modest first', () => {
    expect(fairShare(Array.from({ length: 10 }, () => 1), 1.25)).toBeCloseTo(0.125);
    expect(fairShare([1, 0.2, 1], 1.2)).toBeCloseTo(0.5);
  });
});

describe('FairReads', () => {
  const lnbitsLike = (time: ReturnType<typeof clock>) =>
    new FairReads(
      new RequestBudget('reads', { limit: 200, windowMs: 60_000, share: 0.75, slots: 6 }, new MemoryStore(10_000, time.now), time.now),
      { minAgeMs: 900, reserve: 2 },
      time.now,
    );

  it('a checkout beside a few slowly polled recent sales is read at the minimum age', () => {
    const time = clock();
    const reads = lnbitsLike(time);
    let interval = 0;
    for (let s = 0; s < 30; s++) {
      if (s % 5 === 0) for (const recent of ['a', 'b', 'c']) reads.intervalMs(recent);
      interval = reads.intervalMs('checkout');
      time.advance(1000);
    }
    expect(interval).toBe(900);
  });

  it('ten checkouts polled every second share the budget equally', () => {
    const time = clock();
    const reads = lnbitsLike(time);
    let interval = 0;
    for (let s = 0; s < 30; s++) {
      for (let i = 0; i < 10; i++) interval = reads.intervalMs(`checkout-${i}`);
      time.advance(1000);
    }
    // 21 reads per 10 s among ten invoices wanting one a second: one each ~4.8 s.
    expect(interval).toBeCloseTo((10 / reads.budget.perSecond) * 1000, 0);
    expect(interval).toBeGreaterThan(4000);
  });

  it('forgets invoices no longer polled', () => {
    const time = clock();
    const reads = lnbitsLike(time);
    for (let s = 0; s < 15; s++) {
      for (let i = 0; i < 10; i++) reads.intervalMs(`old-${i}`);
      time.advance(1000);
    }
    time.advance(11_000);
    let interval = 0;
    for (let s = 0; s < 3; s++) {
      interval = reads.intervalMs('new');
      time.advance(1000);
    }
    expect(interval).toBe(900);
  });
});
