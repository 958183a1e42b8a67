import { Trans, useLingui } from '@lingui/react/macro';
import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useLocation, useSearch } from 'wouter';
import { createSession } from '../../api/session';
import { useConfig } from '../../api/config';
import { unlocked } from '../../stores/session';
import { Button } from '../../ui/Button';
import { ErrorText } from '../../ui/ErrorText';
import { BackspaceIcon, BoltIcon } from '../../ui/icons';
import { LanguagePicker } from './LanguagePicker';

const PIN_MAX = 12;
const pinPad = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** Where to go after unlocking: a path of this app, never another origin. */
function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/unlock') ? next : '/';
}

export default function UnlockScreen() {
  const { t } = useLingui();
  const config = useConfig();
  const search = useSearch();
  const [, navigate] = useLocation();
  const [pin, setPin] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const pinId = useId();
  const errorId = useId();

  const unlock = useMutation({
    mutationFn: createSession,
    onSuccess: (session) => {
      unlocked(session);
      navigate(safeNext(search), { replace: true });
    },
    onError: () => setPin(''),
  });

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (pin.length >= 4 && !unlock.isPending) unlock.mutate(pin);
  };
  const typed = (digit: string) => setPin((current) => (current.length < PIN_MAX ? current + digit : current));

  const error = unlock.error;

  return (
    <main className="flex h-full items-center-safe justify-center overflow-auto p-4 max-sm:p-2">
      {/*
        Upright, one column: the PIN, its pad, then the demo PINs and the language. Lying down (a
        tablet on its stand), the pad is placed in the second column across every row, so the rest
        fills the first in order and the card fits the screen's height. On a short phone the line
        under the store's name goes: the PIN's label says it.
      */}
      <form
        onSubmit={submit}
        className="w-full max-w-md rounded-3xl bg-panel p-6 shadow-lg max-sm:p-4 landscape:grid landscape:max-w-3xl landscape:grid-cols-2 landscape:content-start landscape:gap-x-8"
        noValidate
      >
        <h1 className="flex items-center justify-center gap-2 text-center text-3xl font-bold max-sm:text-2xl">
          <BoltIcon className="size-8 shrink-0 text-brand-strong" />
          {config.storeName}
        </h1>
        <p className="mt-1 text-center text-lg text-ink-soft [@media(max-height:700px)_and_(orientation:portrait)]:hidden">
          {t`Enter your PIN to start selling`}
        </p>

        <label htmlFor={pinId} className="mt-6 block text-lg font-semibold max-sm:mt-3">
          {t`PIN`}
        </label>
        <input
          ref={inputRef}
          id={pinId}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          autoFocus
          maxLength={PIN_MAX}
          value={pin}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => setPin(event.target.value.replace(/\D/g, '').slice(0, PIN_MAX))}
          className="mt-2 block h-16 w-full rounded-key border-2 border-line bg-white px-4 text-center text-3xl tracking-[0.5em] focus:border-focus"
        />
        <div className="min-h-8 pt-2" aria-live="polite">
          {error && (
            <p id={errorId} role="alert" className="text-lg font-semibold text-danger">
              <ErrorText error={error} />
            </p>
          )}
        </div>

        <div className="mt-2 grid grid-cols-3 gap-3 max-sm:gap-2 landscape:col-start-2 landscape:row-span-7 landscape:row-start-1 landscape:mt-0 landscape:self-center">
          {pinPad.map((digit) => (
            <PadKey key={digit} label={digit} onPress={() => typed(digit)} />
          ))}
          <PadKey label={t`Backspace`} display={<BackspaceIcon />} onPress={() => setPin((p) => p.slice(0, -1))} />
          <PadKey label="0" onPress={() => typed('0')} />
          <Button type="submit" variant="primary" className="h-key px-1! text-xl max-sm:h-16" disabled={pin.length < 4 || unlock.isPending}>
            {unlock.isPending ? t`Checking…` : t`Unlock`}
          </Button>
        </div>

        {config.demoPins && (
          <p className="mt-6 rounded-xl bg-warn-soft px-4 py-3 text-center text-lg text-warn max-sm:mt-3 max-sm:py-2 landscape:mt-2">
            <DemoPins cashier={config.demoPins.cashier} manager={config.demoPins.manager} />
          </p>
        )}

        <LanguagePicker store={config.language} />
      </form>
    </main>
  );
}

function DemoPins({ cashier, manager }: { cashier: string; manager: string }) {
  return (
    <Trans>
      Demo PINs: cashier <strong>{cashier}</strong>, manager <strong>{manager}</strong>
    </Trans>
  );
}

function PadKey({ label, display, onPress }: { label: string; display?: ReactNode; onPress: () => void }) {
  return (
    <button
      type="button"
      aria-label={display ? label : undefined}
      onClick={onPress}
      className="flex h-key items-center justify-center rounded-key max-sm:h-16 border-2 border-line bg-white text-key text-ink hover:bg-gray-50 active:bg-gray-200"
    >
      {display ?? label}
    </button>
  );
}
