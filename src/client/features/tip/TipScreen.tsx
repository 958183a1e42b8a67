/**
 * The customer's tip, on the tablet turned to them after Charge: preset percentages, a custom
 * amount, or No tip, each with the total it makes; the choice makes the invoice for amount + tip.
 * Loaded on demand (only stores with tips on show it).
 */
import { ph } from '@lingui/core/macro';
import { useLingui } from '@lingui/react/macro';
import { useState } from 'react';
import { Redirect, useLocation } from 'wouter';
import type { CreateInvoiceRequest } from '../../../contract/api';
import { useConfig } from '../../api/config';
import { intlLocale } from '../../i18n/format';
import { applyKey, emptyKeypad, totalOf, type KeypadKey } from '../../lib/keypad';
import { formatAmount } from '../../lib/money';
import { maxTipFor, tipOptions } from '../../lib/tips';
import { MAX_ITEMS, useSaleLimits } from '../../sale/limits';
import { useCharge, useKeypad, useSaleMemo } from '../../sale/store';
import { useSendCharge } from '../../sale/useSendCharge';
import { Banner } from '../../ui/Banner';
import { Button } from '../../ui/Button';
import { ErrorText } from '../../ui/ErrorText';
import { Keypad } from '../../ui/Keypad';
import { Spinner } from '../../ui/Spinner';

export default function TipScreen() {
  const { t } = useLingui();
  const config = useConfig();
  const amount = totalOf(useKeypad());
  const memo = useSaleMemo().trim();
  const charge = useCharge();
  const [, navigate] = useLocation();
  const { maxTotal } = useSaleLimits();
  const sender = useSendCharge();
  const [custom, setCustom] = useState(false);
  const currency = config.currency;

  if (charge?.invoiceId) return <Redirect to={`/checkout/${charge.invoiceId}`} replace />;
  if (amount <= 0) return <Redirect to="/" replace />;

  const choose = (tip: number) => {
    const request: CreateInvoiceRequest = { amount, currency, ...(memo ? { memo } : {}), ...(tip > 0 ? { tip } : {}) };
    sender.charge(request, (invoice) => navigate(`/checkout/${invoice.id}`, { replace: true }));
  };
  const busy = sender.isPending;
  const maxTip = maxTipFor(amount, maxTotal);
  const percent = new Intl.NumberFormat(intlLocale(), { style: 'percent', maximumFractionDigits: 1 });
  const shownAmount = formatAmount(amount, currency);

  return (
    <main className="flex h-full min-h-0 flex-col gap-3 overflow-hidden p-3 sm:gap-4 sm:p-6" aria-busy={busy}>
      <div className="text-center">
        <h1 className="text-3xl font-extrabold sm:text-4xl">{t`Add a tip?`}</h1>
        <p className="text-lg text-ink-soft sm:text-xl">
          {t`Amount`}{' '}
          <strong className="text-ink tabular-nums" data-testid="tip-amount">
            {shownAmount}
          </strong>
          {memo && <span className="max-sm:hidden"> · {memo}</span>}
        </p>
      </div>
      {sender.error && (
        <Banner tone="error">
          {t`Could not create the invoice.`} <ErrorText error={sender.error} context="create" />
        </Banner>
      )}
      {custom ? (
        <CustomTip amount={amount} currency={currency} maxTip={maxTip} busy={busy} onTip={choose} onBack={() => setCustom(false)} />
      ) : (
        <>
          <div role="group" aria-label={t`Tip`} className="flex min-h-0 flex-1 flex-col gap-3">
            <div className="tip-presets grid min-h-0 flex-1 gap-3">
              {tipOptions(amount, config.tipPercents).map((option) => {
                const tip = formatAmount(option.tip, currency);
                const total = formatAmount(option.total, currency);
                return (
                <button
                  key={option.percent}
                  type="button"
                  disabled={busy || option.tip > maxTip}
                  onClick={() => choose(option.tip)}
                  className="flex min-h-16 items-center justify-between gap-3 rounded-3xl border-2 border-brand-strong bg-panel px-5 py-2 shadow-sm hover:bg-brand/10 active:bg-brand/30 disabled:opacity-50 landscape:flex-col landscape:justify-center landscape:gap-1"
                >
                  <span className="text-4xl font-extrabold">{percent.format(option.percent / 100)}</span>
                  <span className="flex flex-col items-end landscape:items-center">
                    <span className="text-xl tabular-nums">+{tip}</span>
                    <span className="text-lg text-ink-soft tabular-nums">{t`Total ${total}`}</span>
                  </span>
                </button>
                );
              })}
            </div>
            <div className="grid grid-cols-2 gap-3">
              <button
                type="button"
                disabled={busy}
                onClick={() => setCustom(true)}
                className="flex min-h-20 flex-col items-center justify-center rounded-3xl border-2 border-line bg-panel px-2 py-2 shadow-sm hover:bg-gray-50"
              >
                <span className="text-2xl font-bold">{t`Custom tip`}</span>
                <span className="text-lg text-ink-soft">{t`Any amount`}</span>
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() => choose(0)}
                className="flex min-h-20 flex-col items-center justify-center rounded-3xl border-2 border-line bg-panel px-2 py-2 shadow-sm hover:bg-gray-50"
              >
                <span className="text-2xl font-bold">{t`No tip`}</span>
                <span className="text-lg text-ink-soft tabular-nums">{t`Total ${ph({ total: shownAmount })}`}</span>
              </button>
            </div>
          </div>
          <div className="flex items-center justify-center gap-3">
            {busy && <Spinner />}
            <Button disabled={busy} onClick={() => navigate('/')}>
              {t`Back to keypad`}
            </Button>
          </div>
        </>
      )}
    </main>
  );
}

interface CustomTipProps {
  amount: number;
  currency: string;
  maxTip: number;
  busy: boolean;
  onTip: (tip: number) => void;
  onBack: () => void;
}

/** A tip typed in as an amount, on a keypad like the cashier's (digits shift in by the currency). */
function CustomTip({ amount, currency, maxTip, busy, onTip, onBack }: CustomTipProps) {
  const { t } = useLingui();
  const [keypad, setKeypad] = useState(emptyKeypad);
  const [refused, setRefused] = useState(false);
  const tip = totalOf(keypad);
  const total = formatAmount(amount + tip, currency);
  const most = formatAmount(maxTip, currency);
  const onKey = (key: KeypadKey) => {
    const outcome = applyKey(keypad, key, { maxTotal: maxTip, maxItems: MAX_ITEMS });
    setRefused(!outcome.accepted && outcome.reason === 'max_total');
    if (outcome.accepted) setKeypad(outcome.state);
  };
  return (
    <section aria-label={t`Custom tip`} className="tip-custom grid min-h-0 flex-1 gap-3">
      <div className="flex flex-col items-center justify-center rounded-3xl bg-panel p-3 text-center shadow-sm [grid-area:shown]">
        <p className="text-lg text-ink-soft">{t`Tip`}</p>
        <output className="text-5xl font-extrabold tabular-nums" data-testid="custom-tip" aria-live="polite">
          {formatAmount(tip, currency)}
        </output>
        <p className="text-xl tabular-nums">{t`Total ${total}`}</p>
        <p role="status" className="min-h-6 text-base text-warn">
          {refused && t`The most a tip can be here is ${most}.`}
        </p>
      </div>
      <div className="min-h-0 [grid-area:keys]">
        <Keypad onKey={onKey} disabled={busy} withAddItem={false} />
      </div>
      <div className="flex gap-3 [grid-area:actions]">
        <Button className="flex-1" disabled={busy} onClick={onBack}>
          {t`Back`}
        </Button>
        <Button variant="primary" className="flex-[2] text-2xl" disabled={busy || tip <= 0} onClick={() => onTip(tip)}>
          {t`Add tip`}
          {busy && <Spinner />}
        </Button>
      </div>
    </section>
  );
}
