import { describe, expect, it } from 'vitest';
import { formatAmount } from './money';
import { maxTipFor, tipFor, tipOptions } from './tips';

describe('tip maths', () => {
  it.each([
    // currency, amount (minor units), percent, tip (minor units), shown
    ['USD', 1234, 15, 185, '$1.85'], // 185.1 ¢ → 185 ¢
    ['USD', 1230, 15, 185, '$1.85'], // 184.5 ¢ → half up
    ['USD', 1229, 10, 123, '$1.23'], // 122.9 ¢ → 123 ¢
    ['USD', 1, 10, 0, '$0.00'], // a tenth of a cent is no tip
    ['USD', 5, 10, 1, '$0.01'], // half a cent rounds up
    ['JPY', 1234, 15, 185, '¥185'], // JPY has no decimals: whole yen
    ['JPY', 990, 15, 149, '¥149'], // 148.5 yen → 149
    ['JPY', 1000, 20, 200, '¥200'],
    ['SAT', 999, 10, 100, '100 sats'], // 99.9 sats → 100
    ['SAT', 1001, 15, 150, '150 sats'], // 150.15 sats → 150
    ['KWD', 12345, 15, 1852, 'KWD 1.852'], // 3 decimals: 1851.75 fils → 1852
    ['EUR', 0, 20, 0, '€0.00'],
  ])('%s %i at %i %% → %i (%s)', (currency, amount, percent, tip, shown) => {
    expect(tipFor(amount, percent)).toBe(tip);
    expect(formatAmount(tip, currency, 'en-US').replace(/\u00a0/g, ' ')).toBe(shown);
  });

  it('is exact for the largest amounts (no floating point)', () => {
    expect(tipFor(9_999_999_999, 15)).toBe(1_500_000_000); // 1,499,999,999.85 → 1,500,000,000
    expect(tipFor(9_007_199_254_740_991, 100)).toBe(9_007_199_254_740_991);
  });

  it('gives each preset with the total the customer will pay', () => {
    expect(tipOptions(1234, [10, 15, 20])).toEqual([
      { percent: 10, tip: 123, total: 1357 },
      { percent: 15, tip: 185, total: 1419 },
      { percent: 20, tip: 247, total: 1481 },
    ]);
  });

  it('refuses what is not an amount or a percentage', () => {
    expect(() => tipFor(12.5, 10)).toThrow(RangeError);
    expect(() => tipFor(-1, 10)).toThrow(RangeError);
    expect(() => tipFor(100, 12.5)).toThrow(RangeError);
  });

  it('a custom tip may not push the total over the largest invoice', () => {
    expect(maxTipFor(1000, 1500)).toBe(500);
    expect(maxTipFor(1500, 1500)).toBe(0);
    expect(maxTipFor(2000, 1500)).toBe(0);
  });
});
