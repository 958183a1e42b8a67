import { useLingui } from '@lingui/react/macro';
import { digitKeys, type KeypadKey } from '../lib/keypad';
import { BackspaceIcon } from './icons';

interface KeypadProps {
  onKey: (key: KeypadKey) => void;
  disabled: boolean;
  /** The "+ Add item" key for a running sum (the cashier's keypad; not the customer's tip). */
  withAddItem?: boolean;
}

const keyClass =
  'flex min-h-12 items-center justify-center rounded-key border-2 border-line bg-panel shadow-sm select-none hover:bg-gray-50 active:bg-gray-200 active:shadow-none disabled:opacity-50';

/**
 * 1–9, then Clear, 0, Backspace, then "+ Add item" for a running sum. The keys share the height
 * they are given: 72 px and more on a tablet, never under 48 px on the smallest phone.
 */
export function Keypad({ onKey, disabled, withAddItem = true }: KeypadProps) {
  const { t } = useLingui();
  const digits = digitKeys.slice(0, 9);
  return (
    <div role="group" aria-label={t`Keypad`} className={`keypad grid h-full min-h-0 grid-cols-3 gap-1 sm:gap-3 ${withAddItem ? 'grid-rows-5' : 'grid-rows-4'}`}>
      {digits.map((digit) => (
        <button key={digit} type="button" className={`${keyClass} text-key text-ink`} disabled={disabled} onClick={() => onKey(digit)}>
          {digit}
        </button>
      ))}
      <button type="button" className={`${keyClass} text-xl font-semibold text-danger`} disabled={disabled} onClick={() => onKey('clear')}>
        {t`Clear`}
      </button>
      <button type="button" className={`${keyClass} text-key text-ink`} disabled={disabled} onClick={() => onKey('0')}>
        0
      </button>
      <button type="button" aria-label={t`Backspace`} className={`${keyClass} text-ink`} disabled={disabled} onClick={() => onKey('backspace')}>
        <BackspaceIcon />
      </button>
      {withAddItem && (
        <button type="button" className={`${keyClass} col-span-3 text-xl font-semibold text-ink`} disabled={disabled} onClick={() => onKey('plus')}>
          <span aria-hidden="true" className="mr-2 text-2xl">
            +
          </span>
          {t`Add item`}
        </button>
      )}
    </div>
  );
}
