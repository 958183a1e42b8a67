/**
 * Tip maths, in integer minor units of the sale's currency: a percentage of the amount rounded
 * half up to the currency's smallest unit (a cent, a yen, a sat), so the total the customer sees
 * on the tip screen is exactly what the invoice asks for.
 */

export interface TipOption {
  percent: number;
  /** Minor units. */
  tip: number;
  /** amount + tip, minor units. */
  total: number;
}

/** `percent` % of `amount` minor units, rounded half up to a whole minor unit. */
export function tipFor(amount: number, percent: number): number {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError('amount must be a whole number of minor units');
  if (!Number.isInteger(percent) || percent < 0) throw new RangeError('percent must be a whole number');
  // amount × percent / 100, half up: (2 × amount × percent + 100) / 200, in exact integers.
  return Number((2n * BigInt(amount) * BigInt(percent) + 100n) / 200n);
}

/** One option per preset, in the order given. */
export function tipOptions(amount: number, percents: readonly number[]): TipOption[] {
  return percents.map((percent) => {
    const tip = tipFor(amount, percent);
    return { percent, tip, total: amount + tip };
  });
}

/** The largest tip that keeps the total within `maxTotal` (0 when the amount already reaches it). */
export function maxTipFor(amount: number, maxTotal: number): number {
  return Math.max(0, maxTotal - amount);
}
