import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyKey, emptyKeypad, keyFromKeyboard, totalOf, type KeypadKey, type KeypadState } from './keypad';

const limits = { maxTotal: 1_000_000, maxItems: 3 };

/** Presses `keys` from `start` and returns the final state and the outcome of the last key. */
function press(keys: KeypadKey[], start: KeypadState = emptyKeypad, lim = limits) {
  let state = start;
  let last: ReturnType<typeof applyKey> | undefined;
  for (const key of keys) {
    last = applyKey(state, key, lim);
    state = last.state;
  }
  return { state, last };
}

const k = (text: string) => text.split(' ').filter(Boolean) as KeypadKey[];

describe('applyKey', () => {
  it.each<[string, string, KeypadState]>([
    ['digits shift in from the right', '1 2 3 4', { items: [], entry: 1234 }],
    ['a single digit is one minor unit', '5', { items: [], entry: 5 }],
    ['0 then 0 on an empty entry stays 0', '0 0', { items: [], entry: 0 }],
    ['zeros after a digit count', '1 0 0', { items: [], entry: 100 }],
    ['leading zero is dropped', '0 7', { items: [], entry: 7 }],
    ['backspace removes the last digit', '1 2 3 backspace', { items: [], entry: 12 }],
    ['backspace on empty does nothing', 'backspace backspace', { items: [], entry: 0 }],
    ['backspace down to zero', '9 backspace', { items: [], entry: 0 }],
    ['clear resets everything', '1 2 plus 3 clear', { items: [], entry: 0 }],
    ['plus parks the entry', '3 0 0 plus', { items: [300], entry: 0 }],
    ['plus on an empty entry does nothing', 'plus plus', { items: [], entry: 0 }],
    ['a running sum', '3 0 0 plus 2 5 0', { items: [300], entry: 250 }],
    ['two plus in a row parks once', '1 plus plus', { items: [1], entry: 0 }],
    ['backspace on an empty entry takes the last item back', '3 0 0 plus backspace', { items: [], entry: 300 }],
    ['backspace after taking back edits the item', '3 0 0 plus backspace backspace', { items: [], entry: 30 }],
    ['max items: a fourth plus is refused', '1 plus 2 plus 3 plus 4 plus', { items: [1, 2, 3], entry: 4 }],
  ])('%s: %s', (_name, keys, expected) => {
    expect(press(k(keys)).state).toEqual(expected);
  });

  it('refuses a digit that would pass the maximum and keeps the state', () => {
    const { state, last } = press(k('1 0 0 0 0 0 0'));
    expect(state).toEqual({ items: [], entry: 1_000_000 });
    expect(last).toMatchObject({ accepted: true });
    const over = applyKey(state, '0', limits);
    expect(over).toEqual({ accepted: false, reason: 'max_total', state });
  });

  it('counts parked items against the maximum', () => {
    const { state } = press(k('9 0 0 0 0 0 plus'));
    expect(applyKey(state, '1', limits).accepted).toBe(true);
    const big = press(k('1 0 0 0 0 0 1'), state);
    expect(totalOf(big.state)).toBe(limits.maxTotal);
    expect(big.last).toMatchObject({ accepted: false, reason: 'max_total' });
  });

  it('accepts the exact maximum', () => {
    expect(totalOf(press(k('1 0 0 0 0 0 0')).state)).toBe(limits.maxTotal);
  });

  it('tells when a key had no effect', () => {
    expect(applyKey(emptyKeypad, 'backspace', limits)).toMatchObject({ accepted: false, reason: 'no_effect' });
    expect(applyKey(emptyKeypad, 'clear', limits)).toMatchObject({ accepted: false, reason: 'no_effect' });
    expect(applyKey(emptyKeypad, '0', limits)).toMatchObject({ accepted: false, reason: 'no_effect' });
  });

  it('never mutates the state it was given', () => {
    const start: KeypadState = Object.freeze({ items: Object.freeze([100]), entry: 5 });
    for (const key of k('1 backspace plus clear')) expect(() => applyKey(start, key, limits)).not.toThrow();
    expect(start).toEqual({ items: [100], entry: 5 });
  });

  it('stays within safe integers even with a huge limit', () => {
    const huge = { maxTotal: Number.MAX_SAFE_INTEGER, maxItems: 3 };
    const { state } = press(Array<KeypadKey>(20).fill('9'), emptyKeypad, huge);
    expect(Number.isSafeInteger(totalOf(state))).toBe(true);
    expect(state.entry).toBe(999_999_999_999_999);
  });
});

describe('totalOf', () => {
  it('adds parked items and the entry', () => {
    expect(totalOf({ items: [300, 250], entry: 99 })).toBe(649);
    expect(totalOf(emptyKeypad)).toBe(0);
  });
});

describe('keyFromKeyboard', () => {
  it.each([
    ['7', '7'],
    ['0', '0'],
    ['Backspace', 'backspace'],
    ['Delete', 'clear'],
    ['Escape', 'clear'],
    ['+', 'plus'],
    ['Enter', undefined],
    ['a', undefined],
    ['.', undefined],
    ['F5', undefined],
  ])('%s → %s', (key, expected) => {
    expect(keyFromKeyboard(key)).toBe(expected);
  });
});

/** Bad input: random key sequences (fast-check) never break the keypad's invariants. */
describe('Bad input: the keypad', () => {
  const key = fc.constantFrom<KeypadKey>('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'backspace', 'clear', 'plus');

  it('no sequence of keys breaks its invariants', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 200 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 60 }), (keys, maxTotal, maxItems) => {
        let state = emptyKeypad;
        for (const k of keys) {
          const outcome = applyKey(state, k, { maxTotal, maxItems });
          state = outcome.state;
          expect(Number.isSafeInteger(state.entry)).toBe(true);
          expect(state.entry).toBeGreaterThanOrEqual(0);
          expect(state.items.every((item) => Number.isSafeInteger(item) && item > 0)).toBe(true);
          expect(totalOf(state)).toBeLessThanOrEqual(maxTotal);
          expect(state.items.length).toBeLessThanOrEqual(maxItems);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('typing digits then clearing always ends at zero', () => {
    fc.assert(
      fc.property(fc.array(key), (keys) => {
        let state = emptyKeypad;
        for (const k of [...keys, 'clear' as const]) state = applyKey(state, k, { maxTotal: 1e12, maxItems: 50 }).state;
        expect(state).toEqual(emptyKeypad);
      }),
    );
  });
});
