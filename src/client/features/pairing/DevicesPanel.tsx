/**
 * The manager's paired tablets: who they are and when each was last seen, a one-time pairing code
 * (and its QR) for a new tablet, un-pairing one (a stolen tablet stops at once), clearing a
 * tablet's PIN lockout, and signing out every device.
 */
import { useLingui } from '@lingui/react/macro';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import type { DeviceInfo, PairingCode } from '../../../contract/api';
import { useConfig } from '../../api/config';
import { intlLocale } from '../../i18n/format';
import { formatCountdown, useNow } from '../../lib/useNow';
import { deviceForgotten } from '../../stores/device';
import { locked } from '../../stores/session';
import { Button } from '../../ui/Button';
import { ErrorText } from '../../ui/ErrorText';
import { clearLockout, devicesQuery, makePairingCode, pairingLink, signOutEveryDevice, unpairDevice } from './api';

export function DevicesPanel() {
  const { t } = useLingui();
  const config = useConfig();
  const queryClient = useQueryClient();
  const devices = useQuery(devicesQuery());
  const refresh = () => queryClient.invalidateQueries({ queryKey: devicesQuery().queryKey });
  const [code, setCode] = useState<PairingCode | null>(null);
  const [confirmSignOut, setConfirmSignOut] = useState(false);

  const make = useMutation({ mutationFn: makePairingCode, onSuccess: setCode });
  const signOut = useMutation({
    mutationFn: signOutEveryDevice,
    // This tablet's session ended with the others'.
    onSuccess: () => locked(),
  });

  return (
    <section aria-labelledby="devices-heading" className="rounded-3xl bg-panel p-5 shadow-sm print:hidden">
      <h2 id="devices-heading" className="text-2xl font-bold">
        {t`Devices`}
      </h2>
      <p className="mt-1 text-lg text-ink-soft">
        {config.pairingRequired
          ? t`A PIN works only on a tablet paired with this POS. Un-pair one that is lost or stolen: it stops at once.`
          : t`On the demo any browser may unlock; a paired tablet keeps its own PIN lockout, as in a real shop.`}
      </p>

      <Failure errors={[devices.error]} prefix={t`The devices could not be loaded.`} className="mt-3" />
      {devices.data &&
        (devices.data.data.length === 0 ? (
          <p className="mt-3 text-lg text-ink-soft">{t`No tablet is paired yet.`}</p>
        ) : (
          <ul className="mt-3 divide-y divide-line border-y border-line" aria-label={t`Paired tablets`}>
            {devices.data.data.map((device) => (
              <DeviceRow key={device.id} device={device} onChanged={refresh} />
            ))}
          </ul>
        ))}

      {code ? (
        <NewPairingCode code={code} onDone={() => setCode(null)} />
      ) : (
        <div className="mt-4 flex flex-wrap gap-3">
          <Button variant="primary" onClick={() => make.mutate()} disabled={make.isPending}>
            {t`Make a pairing code`}
          </Button>
          {confirmSignOut ? (
            <div role="group" aria-label={t`Sign out every device?`} className="flex flex-wrap items-center gap-3 rounded-key bg-danger-soft p-2">
              <span className="px-2 text-lg font-semibold text-danger">{t`Every tablet, this one too, must unlock again.`}</span>
              <Button variant="danger" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
                {t`Sign out every device now`}
              </Button>
              <Button onClick={() => setConfirmSignOut(false)}>{t`Keep them signed in`}</Button>
            </div>
          ) : (
            <Button variant="danger" onClick={() => setConfirmSignOut(true)}>
              {t`Sign out every device`}
            </Button>
          )}
        </div>
      )}
      <Failure errors={[make.error, signOut.error]} className="mt-2" />
    </section>
  );
}

function DeviceRow({ device, onChanged }: { device: DeviceInfo; onChanged: () => Promise<void> }) {
  const { t } = useLingui();
  const { timezone } = useConfig();
  const name = device.name;
  const [confirming, setConfirming] = useState(false);
  const when = new Intl.DateTimeFormat(intlLocale(), { timeZone: timezone, dateStyle: 'medium', timeStyle: 'short' });
  const paired = when.format(Date.parse(device.pairedAt));
  const seen = device.lastSeenAt ? when.format(Date.parse(device.lastSeenAt)) : null;
  const until = device.lockedUntil ? when.format(Date.parse(device.lockedUntil)) : null;
  const unpair = useMutation({
    mutationFn: () => unpairDevice(device.id),
    onSuccess: async () => {
      if (device.current) {
        // This very tablet: it is no longer paired, and its session has ended.
        deviceForgotten();
        locked();
        return;
      }
      await onChanged();
    },
  });
  const clear = useMutation({ mutationFn: () => clearLockout(device.id), onSuccess: onChanged });

  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-2 py-3">
      <div className="min-w-[14rem] flex-1">
        <p className="text-xl font-semibold break-words">
          {device.name}
          {device.current && <span className="ml-2 rounded-full bg-canvas px-3 py-1 text-base font-semibold text-ink-soft">{t`This tablet`}</span>}
        </p>
        <p className="text-base text-ink-soft">
          {seen ? t`Paired ${paired} · last seen ${seen}` : t`Paired ${paired} · not used yet`}
        </p>
        {until && (
          <p className="text-base font-semibold text-danger">{t`Locked by wrong PINs until ${until}`}</p>
        )}
      </div>
      {confirming ? (
        <div role="group" aria-label={t`Un-pair ${name}?`} className="flex flex-wrap items-center gap-2">
          <Button variant="danger" onClick={() => unpair.mutate()} disabled={unpair.isPending}>
            {t`Un-pair ${name} now`}
          </Button>
          <Button onClick={() => setConfirming(false)}>{t`Keep it`}</Button>
        </div>
      ) : (
        <div className="flex flex-wrap gap-2">
          {device.lockedUntil && (
            <Button onClick={() => clear.mutate()} disabled={clear.isPending} aria-label={t`Clear lockout of ${name}`}>
              {t`Clear lockout`}
            </Button>
          )}
          <Button variant="danger" onClick={() => setConfirming(true)} aria-label={t`Un-pair ${name}`}>
            {t`Un-pair`}
          </Button>
        </div>
      )}
      <Failure errors={[unpair.error, clear.error]} className="w-full" />
    </li>
  );
}

/** What went wrong with the panel's last request, if anything. */
function Failure({ errors, prefix = '', className }: { errors: (Error | null)[]; prefix?: string; className: string }) {
  const error = errors.find((e) => e !== null);
  if (!error) return null;
  return (
    <p role="alert" className={`text-lg text-danger ${className}`}>
      {prefix} <ErrorText error={error} />
    </p>
  );
}

/** The code, big enough to read across a counter, and its QR for the new tablet's camera. */
function NewPairingCode({ code, onDone }: { code: PairingCode; onDone: () => void }) {
  const { t } = useLingui();
  const now = useNow();
  const left = Date.parse(code.expiresAt) - now;
  const countdown = formatCountdown(left);
  return (
    <div className="mt-4 flex flex-wrap items-center gap-6 rounded-2xl border-2 border-line p-4">
      <QRCodeSVG
        value={pairingLink(code.code)}
        level="M"
        marginSize={4}
        size={256}
        role="img"
        aria-label={t`Pairing QR code`}
        className="block h-auto w-48 shrink-0"
      />
      <div className="flex min-w-[14rem] flex-1 flex-col gap-2">
        <p className="text-lg text-ink-soft">{t`On the new tablet, scan this code, or open this POS and type:`}</p>
        <p data-testid="pairing-code" className="font-mono text-4xl font-bold tracking-wider">
          {code.code}
        </p>
        <p className="text-lg text-ink-soft" aria-live="polite">
          {left > 0 ? t`For one tablet, for ${countdown} more.` : t`This code has expired. Make a new one.`}
        </p>
        <Button onClick={onDone} className="self-start">
          {t`Done`}
        </Button>
      </div>
    </div>
  );
}
