/**
 * The manager's paired tablets: who they are and when each was last seen, a one-time pairing code
 * (and its QR) for a new tablet, un-pairing one (a stolen tablet stops at once), clearing a
 * tablet's PIN lockout, and signing out every device.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import type { DeviceInfo, PairingCode } from '../../../contract/api';
import { useConfig } from '../../api/config';
import { formatCountdown, useNow } from '../../lib/useNow';
import { deviceForgotten } from '../../stores/device';
import { locked } from '../../stores/session';
import { Button } from '../../ui/Button';
import { clearLockout, devicesQuery, makePairingCode, pairingLink, signOutEveryDevice, unpairDevice } from './api';

export function DevicesPanel() {
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
        Devices
      </h2>
      <p className="mt-1 text-lg text-ink-soft">
        {config.pairingRequired
          ? 'A PIN works only on a tablet paired with this POS. Un-pair one that is lost or stolen: it stops at once.'
          : 'On the demo any browser may unlock; a paired tablet keeps its own PIN lockout, as in a real shop.'}
      </p>

      <Failure errors={[devices.error]} prefix="The devices could not be loaded." className="mt-3" />
      {devices.data &&
        (devices.data.data.length === 0 ? (
          <p className="mt-3 text-lg text-ink-soft">No tablet is paired yet.</p>
        ) : (
          <ul className="mt-3 divide-y divide-line border-y border-line" aria-label="Paired tablets">
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
            Make a pairing code
          </Button>
          {confirmSignOut ? (
            <div role="group" aria-label="Sign out every device?" className="flex flex-wrap items-center gap-3 rounded-key bg-danger-soft p-2">
              <span className="px-2 text-lg font-semibold text-danger">Every tablet, this one too, must unlock again.</span>
              <Button variant="danger" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
                Sign out every device now
              </Button>
              <Button onClick={() => setConfirmSignOut(false)}>Keep them signed in</Button>
            </div>
          ) : (
            <Button variant="danger" onClick={() => setConfirmSignOut(true)}>
              Sign out every device
            </Button>
          )}
        </div>
      )}
      <Failure errors={[make.error, signOut.error]} className="mt-2" />
    </section>
  );
}

function DeviceRow({ device, onChanged }: { device: DeviceInfo; onChanged: () => Promise<void> }) {
  const { timezone } = useConfig();
  const [confirming, setConfirming] = useState(false);
  const when = new Intl.DateTimeFormat(undefined, { timeZone: timezone, dateStyle: 'medium', timeStyle: 'short' });
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
          {device.current && <span className="ml-2 rounded-full bg-canvas px-3 py-1 text-base font-semibold text-ink-soft">This tablet</span>}
        </p>
        <p className="text-base text-ink-soft">
          Paired {when.format(Date.parse(device.pairedAt))} · {device.lastSeenAt ? `last seen ${when.format(Date.parse(device.lastSeenAt))}` : 'not used yet'}
        </p>
        {device.lockedUntil && (
          <p className="text-base font-semibold text-danger">Locked by wrong PINs until {when.format(Date.parse(device.lockedUntil))}</p>
        )}
      </div>
      {confirming ? (
        <div role="group" aria-label={`Un-pair ${device.name}?`} className="flex flex-wrap items-center gap-2">
          <Button variant="danger" onClick={() => unpair.mutate()} disabled={unpair.isPending}>
            Un-pair {device.name} now
          </Button>
          <Button onClick={() => setConfirming(false)}>Keep it</Button>
        </div>
      ) : (
        <div className="flex flex-wrap gap-2">
          {device.lockedUntil && (
            <Button onClick={() => clear.mutate()} disabled={clear.isPending} aria-label={`Clear lockout of ${device.name}`}>
              Clear lockout
            </Button>
          )}
          <Button variant="danger" onClick={() => setConfirming(true)} aria-label={`Un-pair ${device.name}`}>
            Un-pair
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
      {prefix} {error.message}
    </p>
  );
}

/** The code, big enough to read across a counter, and its QR for the new tablet's camera. */
function NewPairingCode({ code, onDone }: { code: PairingCode; onDone: () => void }) {
  const now = useNow();
  const left = Date.parse(code.expiresAt) - now;
  return (
    <div className="mt-4 flex flex-wrap items-center gap-6 rounded-2xl border-2 border-line p-4">
      <QRCodeSVG
        value={pairingLink(code.code)}
        level="M"
        marginSize={4}
        size={256}
        role="img"
        aria-label="Pairing QR code"
        className="block h-auto w-48 shrink-0"
      />
      <div className="flex min-w-[14rem] flex-1 flex-col gap-2">
        <p className="text-lg text-ink-soft">On the new tablet, scan this code, or open this POS and type:</p>
        <p data-testid="pairing-code" className="font-mono text-4xl font-bold tracking-wider">
          {code.code}
        </p>
        <p className="text-lg text-ink-soft" aria-live="polite">
          {left > 0 ? `For one tablet, for ${formatCountdown(left)} more.` : 'This code has expired. Make a new one.'}
        </p>
        <Button onClick={onDone} className="self-start">
          Done
        </Button>
      </div>
    </div>
  );
}
