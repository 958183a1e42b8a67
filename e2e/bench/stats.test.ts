import { describe, expect, it } from 'vitest';
import { ms, percentile, summarize } from './stats';

describe('benchmark statistics', () => {
  it('takes nearest-rank percentiles, so each is one of the samples', () => {
    const samples = Array.from({ length: 20 }, (_, i) => 20 - i); // 20 … 1, unsorted on purpose
    expect(percentile(samples, 50)).toBe(10);
    expect(percentile(samples, 95)).toBe(19);
    expect(percentile(samples, 100)).toBe(20);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarizes without reordering the caller’s samples', () => {
    const samples = [3, 1, 2];
    expect(summarize(samples)).toEqual({ n: 3, median: 2, p95: 3, min: 1, max: 3 });
    expect(samples).toEqual([3, 1, 2]);
  });

  it('summarizes a load run’s half a million samples', () => {
    const samples = Array.from({ length: 500_000 }, (_, i) => (i * 7919) % 500_000);
    expect(summarize(samples)).toEqual({ n: 500_000, median: 249_999, p95: 474_999, min: 0, max: 499_999 });
  });

  it('prints milliseconds with a precision that suits the size', () => {
    expect(ms(0.456)).toBe('0.46 ms');
    expect(ms(45.67)).toBe('45.7 ms');
    expect(ms(456.7)).toBe('457 ms');
    expect(ms(NaN)).toBe('–');
  });
});
