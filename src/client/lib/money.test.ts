import { describe, expect, it } from 'vitest';
import {
  amountForSats,
  currencyDecimals,
  divCeil,
  isSupportedCurrency,
  parseMajorUnits,
  priceInMinorUnits,
  satsFor,
  toDecimalString,
} from '../../contract/money';
import { formatAmount, formatSats } from './money';

describe('currencyDecimals', () => {
  it.each([
    ['SAT', 0],
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KWD', 3],
    ['CHF', 2],
  ])('%s has %i decimals', (code, decimals) => {
    expect(currencyDecimals(code)).toBe(decimals);
  });
});

describe('isSupportedCurrency', () => {
  it.each([
    ['SAT', true],
    ['USD', true],
    ['JPY', true],
    ['usd', false],
    ['BTC', false],
    ['XYZ', false],
    ['', false],
    ['US', false],
    ['USDT', false],
  ])('%s → %s', (code, expected) => {
    expect(isSupportedCurrency(code)).toBe(expected);
  });
});

describe('formatAmount', () => {
  it.each([
    [1234, 'USD', '$12.34'],
    [5, 'USD', '$0.05'],
    [0, 'USD', '$0.00'],
    [100, 'USD', '$1.00'],
    [123456789, 'USD', '$1,234,567.89'],
    [1234, 'JPY', '¥1,234'],
    [1234, 'EUR', '€12.34'],
    [1234, 'KWD', 'KWD 1.234'],
    [1234, 'SAT', '1,234 sats'],
    [1, 'SAT', '1 sat'],
  ])('%i %s → %s', (amount, currency, expected) => {
    expect(formatAmount(amount, currency, 'en-US').replace(/\u00a0/g, ' ')).toBe(expected);
  });

  it('is exact where floats are not: 10 + 20 cents is 30 cents', () => {
    expect(formatAmount(10 + 20, 'USD', 'en-US')).toBe('$0.30');
    expect(0.1 + 0.2).not.toBe(0.3);
  });

  it('formats for the tablet’s locale', () => {
    expect(formatAmount(1234, 'EUR', 'de-DE').replace(/\u00a0/g, ' ')).toBe('12,34 €');
  });

  it('keeps amounts beyond float precision exact', () => {
    expect(toDecimalString(900_719_925_474_099, 'USD')).toBe('9007199254740.99');
  });
});

describe('toDecimalString', () => {
  it.each([
    [1234, 'USD', '12.34'],
    [5, 'USD', '0.05'],
    [0, 'USD', '0.00'],
    [-150, 'USD', '-1.50'],
    [1234, 'JPY', '1234'],
    [7, 'KWD', '0.007'],
  ])('%i %s → %s', (amount, currency, expected) => {
    expect(toDecimalString(amount, currency)).toBe(expected);
  });
});

describe('formatSats', () => {
  it('groups thousands', () => {
    expect(formatSats(1334, 'en-US')).toBe('1,334 sats');
    expect(formatSats(10_000_000, 'en-US')).toBe('10,000,000 sats');
  });
});

describe('parseMajorUnits', () => {
  it.each([
    ['100000', 'USD', 10_000_000n],
    ['97123.45', 'USD', 9_712_345n],
    ['97123.4', 'USD', 9_712_340n],
    ['100000.000', 'USD', 10_000_000n],
    ['15000000', 'JPY', 15_000_000n],
    [' 42 ', 'USD', 4200n],
  ])('%s %s → %s', (text, currency, expected) => {
    expect(parseMajorUnits(text, currency)).toBe(expected);
  });

  it.each(['', 'abc', '-5', '1e5', '1.234', '1,000', '0x10', '1.', '.5', 'Infinity', 'NaN'])('refuses %j', (text) => {
    expect(parseMajorUnits(text, 'USD')).toBeNull();
  });
});

describe('satsFor (fiat → sats, rounded up, integers only)', () => {
  const price = 10_000_000n; // $100,000.00 per BTC

  it.each([
    [1234, 12_340],
    [1, 10],
    [100_00, 100_000],
    [100_000_00, 100_000_000],
  ])('%i cents → %i sats at $100k', (cents, sats) => {
    expect(satsFor(cents, 'USD', price)).toBe(sats);
  });

  it('rounds up, never down', () => {
    // $1 at $97,123.45 is 1029.6… sats → 1030
    expect(satsFor(100, 'USD', 9_712_345n)).toBe(1030);
    // 1 yen at ¥15,000,000 is 6.67 sats → 7
    expect(satsFor(1, 'JPY', 15_000_000n)).toBe(7);
  });

  it('passes SAT amounts through', () => {
    expect(satsFor(1234, 'SAT', 1n)).toBe(1234);
  });

  it('amountForSats is the largest amount within the sats', () => {
    expect(amountForSats(10_000_000, 'USD', price)).toBe(10_000_00);
    expect(amountForSats(1030, 'USD', 9_712_345n)).toBe(100);
    expect(satsFor(amountForSats(10_000_000, 'USD', 9_712_345n), 'USD', 9_712_345n)).toBeLessThanOrEqual(10_000_000);
  });

  it('priceInMinorUnits rounds a fractional rate to whole minor units', () => {
    expect(priceInMinorUnits(97123.45, 'USD')).toBe(9_712_345n);
    expect(priceInMinorUnits(15_000_000, 'JPY')).toBe(15_000_000n);
  });

  it('divCeil rounds up and refuses a zero divisor', () => {
    expect(divCeil(10n, 3n)).toBe(4n);
    expect(divCeil(9n, 3n)).toBe(3n);
    expect(divCeil(0n, 3n)).toBe(0n);
    expect(() => divCeil(1n, 0n)).toThrow(RangeError);
  });
});
