/**
 * The card panel of the checkout: tells the customer a card works here, and what became of their
 * tap — read, accepted, or refused and why — in words big enough to read across the counter.
 * The QR stays valid whatever happens here.
 */
import { msg } from '@lingui/core/macro';
import type { MessageDescriptor } from '@lingui/core';
import { useLingui } from '@lingui/react/macro';
import type { ReactNode } from 'react';
import { Button } from '../../../ui/Button';
import { ErrorText } from '../../../ui/ErrorText';
import { Spinner } from '../../../ui/Spinner';
import { useCardTap, type CardFailure, type CardTapState } from './useCardTap';

const titles: Record<CardFailure, MessageDescriptor> = {
  declined: msg`Card declined`,
  unreachable: msg`Card unreachable`,
  'not-card': msg`Not a payment card`,
  refused: msg`Card not accepted`,
  unreadable: msg`Could not read the card`,
  other: msg`Card not used`,
};

const tones = {
  neutral: 'border-line bg-panel text-ink',
  busy: 'border-brand bg-panel text-ink',
  good: 'border-paid bg-paid-soft text-paid',
  bad: 'border-danger bg-danger-soft text-danger',
} as const;

export default function CardTap({ invoiceId }: { invoiceId: string }) {
  const { t } = useLingui();
  const { state, listen } = useCardTap(invoiceId);
  return (
    <section aria-label={t`Card payment`} data-testid="card-tap" data-state={state.step}>
      <Panel state={state} onListen={listen} />
    </section>
  );
}

function Panel({ state, onListen }: { state: CardTapState; onListen: () => void }) {
  const { t, i18n } = useLingui();
  switch (state.step) {
    case 'starting':
    case 'listening':
      return (
        <Box tone="neutral" icon={<CardIcon />} title={t`Scan the QR or tap a card`}>
          {t`Lightning cards (Bolt Card) pay with a tap on the back of this device.`}
        </Box>
      );
    case 'needs-permission':
      return (
        <Box tone="neutral" icon={<CardIcon />} title={t`Scan the QR or tap a card`} role="status">
          <span className="block">{t`Customers with a Lightning card can tap it once the card reader is on.`}</span>
          <Button variant="secondary" className="mt-2 w-full" onClick={onListen}>
            {t`Turn on card reader`}
          </Button>
        </Box>
      );
    case 'unavailable':
      return (
        <Box tone="neutral" icon={<CardIcon />} title={t`Card reader off`}>
          <span className="block">{t`Turn on NFC in the device’s settings to take card taps. The QR works as always.`}</span>
          <Button variant="secondary" className="mt-2 w-full" onClick={onListen}>
            {t`Try the card reader again`}
          </Button>
        </Box>
      );
    case 'reading':
      return (
        <Box tone="busy" icon={<Spinner className="size-7 text-brand-strong" />} title={t`Reading card…`}>
          {t`Asking the card’s service to pay. Keep this screen open.`}
        </Box>
      );
    case 'accepted':
      return (
        <Box tone="good" icon={<CheckIcon />} title={t`Card accepted`}>
          {state.stale ? t`The payment has not arrived yet. Tap the card again, or scan the QR.` : t`Waiting for the payment…`}
        </Box>
      );
    case 'failed':
      return (
        <Box tone="bad" icon={<CrossIcon />} title={i18n._(titles[state.failure])} role="alert">
          {state.error ? (
            <ErrorText error={state.error} context="card" />
          ) : state.failure === 'not-card' ? (
            t`This card holds no Lightning payment link (LNURL-withdraw). Scan the QR instead.`
          ) : (
            t`Hold the card still against the device until it is read, or scan the QR.`
          )}
        </Box>
      );
  }
}

function Box({
  tone,
  icon,
  title,
  children,
  role = 'status',
}: {
  tone: keyof typeof tones;
  icon: ReactNode;
  title: string;
  children: ReactNode;
  role?: 'status' | 'alert';
}) {
  return (
    // Keyed by title: a new state is a new live region, so screen readers announce it.
    <div key={title} role={role} className={`flex items-start gap-3 rounded-2xl border-2 px-4 py-3 shadow-sm ${tones[tone]}`}>
      <span className="mt-0.5 shrink-0">{icon}</span>
      <div className="min-w-0 flex-1">
        <p className="text-xl font-bold" data-testid="card-tap-title">
          {title}
        </p>
        <div className="text-lg text-ink-soft" data-testid="card-tap-message">
          {children}
        </div>
      </div>
    </div>
  );
}

/** A card with contactless waves. */
function CardIcon() {
  return (
    <svg viewBox="0 0 32 32" className="size-8 text-brand-strong" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
      <rect x="3" y="8" width="19" height="14" rx="2.5" />
      <path d="M7 17h6" />
      <path d="M25 10.5a8 8 0 0 1 0 9M28.5 7.5a12.5 12.5 0 0 1 0 15" />
    </svg>
  );
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 32 32" className="size-8" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round">
      <circle cx="16" cy="16" r="13" strokeWidth="2.5" />
      <path d="m10 16.5 4 4 8-9" />
    </svg>
  );
}

function CrossIcon() {
  return (
    <svg viewBox="0 0 32 32" className="size-8" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round">
      <circle cx="16" cy="16" r="13" strokeWidth="2.5" />
      <path d="m11 11 10 10m0-10-10 10" />
    </svg>
  );
}
