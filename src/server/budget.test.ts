import { describe, expect, it } from 'vitest';
import { RequestBudget } from './budget';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RequestBudget', () => {
  it('never admits more than its share of the limit in any window', () => {
    const time = clock();
    const budget = new RequestBudget({ limit: 1000, windowMs: 600_000, share: 0.6 }, time.now);
    expect(budget.maxPerWindow).toBeLessThanOrEqual(600);
    // Greedy: take every token the moment it exists, for an hour, and count per sliding window.
    const taken: number[] = [];
    for (let t = 0; t < 3_600_000; t += 100) {
      while (budget.tryTake()) taken.push(time.now());
      time.advance(100);
    }
    let worst = 0;
    for (let i = 0, j = 0; i < taken.length; i++) {
      while (taken[i]! - taken[j]! >= 600_000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(600);
    expect(worst).toBeGreaterThan(550); // and it does not starve
  });

  it('keeps a reserve for requests that matter more', () => {
    const time = clock();
    const budget = new RequestBudget({ limit: 100, windowMs: 60_000, share: 1 }, time.now);
    let routine = 0;
    while (budget.tryTake(3)) routine++;
    expect(routine).toBe(budget.capacity - 3);
    expect(budget.tryTake()).toBe(true);
  });

  it('says how long until the next token', () => {
    const time = clock();
    const budget = new RequestBudget({ limit: 60, windowMs: 60_000, share: 1 }, time.now);
    while (budget.tryTake());
    const wait = budget.waitMs();
    expect(wait).toBeGreaterThan(0);
    time.advance(wait);
    expect(budget.tryTake()).toBe(true);
  });
});
