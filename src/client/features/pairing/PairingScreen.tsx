/**
 * Pairing this tablet with the shop: the first screen a browser sees outside the demo. The shop's
 * set-up code, or a one-time code from a manager's tablet (typed, or opened from its QR code as
 * `/pair#CODE`), makes it a tablet whose PINs the POS will check.
 */
import { useLingui } from '@lingui/react/macro';
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useLocation, useSearch } from 'wouter';
import { DEVICE_NAME_MAX_LENGTH } from '../../../contract/api';
import { useConfig } from '../../api/config';
import { devicePaired, useWasUnpaired } from '../../stores/device';
import { Button } from '../../ui/Button';
import { ErrorText } from '../../ui/ErrorText';
import { BoltIcon } from '../../ui/icons';
import { pairTablet } from './api';

/** Where to go after pairing: the unlock screen, then the page that sent us here. */
function unlockNext(search: string): string {
  const next = new URLSearchParams(search).get('next');
  const safe = next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/pair') && !next.startsWith('/unlock') ? next : '/';
  return `/unlock?next=${encodeURIComponent(safe)}`;
}

/** A one-time code arrives in the fragment of the QR's link, which no server ever sees. */
const codeFromLink = () => decodeURIComponent(window.location.hash.replace(/^#/, ''));

export default function PairingScreen() {
  const { t } = useLingui();
  const config = useConfig();
  const storeName = config.storeName;
  const search = useSearch();
  const [, navigate] = useLocation();
  const wasUnpaired = useWasUnpaired();
  const [code, setCode] = useState(codeFromLink);
  const [name, setName] = useState('');
  const codeId = useId();
  const nameId = useId();
  const errorId = useId();

  const pair = useMutation({
    mutationFn: () => pairTablet(code.trim(), name.trim() || undefined),
    onSuccess: (device) => {
      devicePaired({ credential: device.device, id: device.id, name: device.name });
      navigate(unlockNext(search), { replace: true });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (code.trim() && !pair.isPending) pair.mutate();
  };

  return (
    <main className="flex h-full items-center justify-center overflow-auto p-4">
      <form onSubmit={submit} className="w-full max-w-lg rounded-3xl bg-panel p-6 shadow-lg" noValidate>
        <h1 className="flex items-center justify-center gap-2 text-center text-3xl font-bold">
          <BoltIcon className="size-8 shrink-0 text-brand-strong" />
          {t`Pair this tablet`}
        </h1>
        <p className="mt-2 text-center text-lg text-ink-soft">
          {t`${storeName} takes PINs only on tablets it has paired. Pair this one once with the shop’s set-up code, or a one-time code from a manager’s tablet (History → Devices).`}
        </p>
        {wasUnpaired && (
          <p role="status" className="mt-4 rounded-xl bg-warn-soft px-4 py-3 text-lg text-warn">
            {t`This tablet is no longer paired: a manager un-paired it. Pair it again to use it.`}
          </p>
        )}

        <label htmlFor={codeId} className="mt-6 block text-lg font-semibold">
          {t`Pairing code`}
        </label>
        <input
          id={codeId}
          type="text"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          autoFocus
          required
          maxLength={200}
          value={code}
          aria-invalid={pair.isError ? true : undefined}
          aria-describedby={pair.isError ? errorId : undefined}
          onChange={(event) => setCode(event.target.value)}
          className="mt-2 block h-16 w-full rounded-key border-2 border-line bg-white px-4 font-mono text-2xl focus:border-focus"
        />

        <label htmlFor={nameId} className="mt-4 block text-lg font-semibold">
          {t`Name this tablet`} <span className="font-normal text-ink-soft">{t`(optional)`}</span>
        </label>
        <input
          id={nameId}
          type="text"
          autoComplete="off"
          maxLength={DEVICE_NAME_MAX_LENGTH}
          placeholder={t`e.g. Front counter`}
          value={name}
          onChange={(event) => setName(event.target.value)}
          className="mt-2 block h-16 w-full rounded-key border-2 border-line bg-white px-4 text-2xl focus:border-focus"
        />

        <div className="min-h-8 pt-2" aria-live="polite">
          {pair.isError && (
            <p id={errorId} role="alert" className="text-lg font-semibold text-danger">
              <ErrorText error={pair.error} />
            </p>
          )}
        </div>
        <Button type="submit" variant="primary" size="large" className="mt-2 w-full" disabled={!code.trim() || pair.isPending}>
          {pair.isPending ? t`Pairing…` : t`Pair this tablet`}
        </Button>
      </form>
    </main>
  );
}
