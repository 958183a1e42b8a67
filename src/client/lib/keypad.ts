/**
 * The cashier's keypad as a pure function: `applyKey(state, key, limits)` → next state.
 *
 * Digits shift in from the right by the currency's minor unit (1, 2, 3, 4 → $12.34; a `SAT`
 * store has no decimals, so the same keys make 1,234 sats). `+` parks the current entry as an
 * item of a running sum; Backspace on an empty entry takes the last item back for editing.
 * A key that would push the total over the limit is refused and the state stays as it was.
 */

export type DigitKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
export type KeypadKey = DigitKey | 'backspace' | 'clear' | 'plus';

export const digitKeys: readonly DigitKey[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

export interface KeypadState {
  /** Amounts already added with `+`, in minor units. */
  readonly items: readonly number[];
  /** The amount being typed, in minor units. */
  readonly entry: number;
}

export interface KeypadLimits {
  /** Largest total (items + entry) in minor units. */
  readonly maxTotal: number;
  /** Most items a running sum may hold. */
  readonly maxItems: number;
}

export type KeypadOutcome =
  | { readonly accepted: true; readonly state: KeypadState }
  | { readonly accepted: false; readonly state: KeypadState; readonly reason: 'max_total' | 'max_items' | 'no_effect' };

export const emptyKeypad: KeypadState = { items: [], entry: 0 };

export function totalOf(state: KeypadState): number {
  return state.items.reduce((sum, item) => sum + item, state.entry);
}

export function isDigit(key: string): key is DigitKey {
  return key.length === 1 && key >= '0' && key <= '9';
}

export function applyKey(state: KeypadState, key: KeypadKey, limits: KeypadLimits): KeypadOutcome {
  const unchanged = (reason: 'max_total' | 'max_items' | 'no_effect') => ({ accepted: false, state, reason }) as const;
  const accept = (next: KeypadState) => ({ accepted: true, state: next }) as const;

  if (isDigit(key)) {
    const entry = state.entry * 10 + Number(key);
    if (entry === state.entry) return unchanged('no_effect'); // 0 then 0 on an empty entry
    if (totalOf(state) - state.entry + entry > limits.maxTotal) return unchanged('max_total');
    return accept({ items: state.items, entry });
  }
  switch (key) {
    case 'backspace':
      if (state.entry > 0) return accept({ items: state.items, entry: Math.floor(state.entry / 10) });
      if (state.items.length > 0) {
        return accept({ items: state.items.slice(0, -1), entry: state.items[state.items.length - 1] ?? 0 });
      }
      return unchanged('no_effect');
    case 'clear':
      return state.entry === 0 && state.items.length === 0 ? unchanged('no_effect') : accept(emptyKeypad);
    case 'plus':
      if (state.entry === 0) return unchanged('no_effect');
      if (state.items.length >= limits.maxItems) return unchanged('max_items');
      return accept({ items: [...state.items, state.entry], entry: 0 });
  }
}

/** The keypad key for a physical keyboard key, if any (Enter is the Charge button's, not ours). */
export function keyFromKeyboard(key: string): KeypadKey | undefined {
  if (isDigit(key)) return key;
  switch (key) {
    case 'Backspace':
      return 'backspace';
    case 'Escape':
    case 'Delete':
      return 'clear';
    case '+':
      return 'plus';
    default:
      return undefined;
  }
}
