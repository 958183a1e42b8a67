/**
 * "A new version is ready": shown while a new version waits, and applied between sales — on a
 * fresh keypad (no amount, no memo, no charge), or when the POS has been left alone for a while
 * with no charge under way. Never during a checkout: the QR and its polling stay as they are.
 */
import { useLingui } from '@lingui/react/macro';
import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import { useCharge, useKeypad, useSaleMemo } from '../sale/store';
import { Banner } from '../ui/Banner';
import { Button } from '../ui/Button';
import type { ApplyUpdate } from './state';

/** Untouched this long, with no charge under way, the POS is idle: the update applies. */
export const IDLE_MS = 60_000;

function useIdle(idleMs: number): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    let timer = window.setTimeout(() => setIdle(true), idleMs);
    const touched = () => {
      window.clearTimeout(timer);
      setIdle(false);
      timer = window.setTimeout(() => setIdle(true), idleMs);
    };
    const events = ['pointerdown', 'keydown'] as const;
    for (const event of events) window.addEventListener(event, touched, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const event of events) window.removeEventListener(event, touched);
    };
  }, [idleMs]);
  return idle;
}

export default function UpdatePrompt({ apply }: { apply: ApplyUpdate }) {
  const { t } = useLingui();
  const [location] = useLocation();
  const keypad = useKeypad();
  const memo = useSaleMemo();
  const charge = useCharge();
  const idle = useIdle(IDLE_MS);

  const chargeUnderWay = charge !== null || location.startsWith('/checkout/');
  const freshKeypad = location === '/' && !chargeUnderWay && keypad.items.length === 0 && keypad.entry === 0 && memo === '';
  const applyNow = freshKeypad || (idle && !chargeUnderWay);

  useEffect(() => {
    if (applyNow) apply();
  }, [applyNow, apply]);

  return (
    <div className="px-4 pt-3">
      <Banner
        tone="info"
        action={
          chargeUnderWay ? null : (
            <Button variant="secondary" className="shrink-0 whitespace-nowrap" onClick={apply}>
              {t`Update now`}
            </Button>
          )
        }
      >
        {chargeUnderWay ? t`A new version is ready. It starts after this sale.` : t`A new version is ready. It starts on the next fresh keypad.`}
      </Banner>
    </div>
  );
}
