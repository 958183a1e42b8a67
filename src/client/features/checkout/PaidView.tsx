import { plural } from '@lingui/core/macro';
import { useLingui } from '@lingui/react/macro';
import { useQuery } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import type { Invoice } from '../../../contract/api';
import { useConfig } from '../../api/config';
import { receiptLinkQuery } from '../../api/receipts';
import { cashierName } from '../../lib/cashier';
import { formatAmount, formatSats } from '../../lib/money';
import { receiptOf } from '../../../contract/receipts';
import { Button } from '../../ui/Button';
import { PrintReceipt } from '../../ui/receipt/PrintReceipt';

/** How long the Paid screen stays before the keypad comes back by itself. */
export const PAID_SCREEN_MS = 20_000;

/**
 * Unmistakable from across the counter: the whole screen turns green with a big check mark. The
 * customer can scan a receipt to keep on their phone; the cashier can print one. Printing stops
 * the way back to the keypad by itself (the cashier taps New sale when done).
 */
export function PaidView({ invoice }: { invoice: Invoice }) {
  const { t } = useLingui();
  const config = useConfig();
  const [, navigate] = useLocation();
  const [left, setLeft] = useState(Math.round(PAID_SCREEN_MS / 1000));
  const [staying, setStaying] = useState(false);
  const next = useRef<HTMLButtonElement>(null);
  const link = useQuery(receiptLinkQuery(invoice.id));
  const receipt = receiptOf(invoice, config);

  useEffect(() => {
    next.current?.focus();
    const timer = setInterval(() => setLeft((s) => s - 1), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (left <= 0 && !staying) navigate('/');
  }, [left, staying, navigate]);

  const receiptUrl = link.data ? (link.data.url ?? `${window.location.origin}${link.data.path}`) : null;
  const amount = formatAmount(invoice.amount, invoice.currency);
  const tip = formatAmount(invoice.tip, invoice.currency);
  const sats = formatSats(invoice.amountSats);
  const servedBy = cashierName(invoice.cashier);
  const seconds = Math.max(0, left);

  return (
    <main className="paid-layout fixed inset-0 z-50 overflow-auto bg-paid p-4 text-center text-white sm:p-8">
      <div className="flex flex-col items-center justify-center gap-2 [grid-area:outcome] sm:gap-4">
        <div className="flex items-center gap-4">
          <svg viewBox="0 0 120 120" className="size-14 shrink-0 sm:size-32" aria-hidden="true">
            <circle cx="60" cy="60" r="56" fill="white" />
            <path d="M34 62 52 80 88 42" fill="none" stroke="#15803d" strokeWidth="12" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <h1 className="text-5xl font-extrabold tracking-tight sm:text-7xl">{t`Paid`}</h1>
        </div>
        <p className="text-4xl font-bold tabular-nums sm:text-5xl" data-testid="paid-total">
          {formatAmount(invoice.amount + invoice.tip, invoice.currency)}
        </p>
        {invoice.tip > 0 && (
          <p className="text-xl tabular-nums sm:text-2xl" data-testid="paid-tip">
            {t`${amount} + tip ${tip}`}
          </p>
        )}
        {invoice.currency !== 'SAT' && <p className="text-xl tabular-nums sm:text-2xl">{t`${sats} received`}</p>}
        {invoice.memo && <p className="max-w-xl truncate text-xl sm:text-2xl">{invoice.memo}</p>}
        {servedBy && (
          <p className="text-xl sm:text-2xl" data-testid="paid-cashier">
            {t`Served by ${servedBy}`}
          </p>
        )}
        <p className="text-xl font-medium sm:text-2xl">{t`Thank you!`}</p>
      </div>

      <div className="flex flex-col items-center justify-center gap-3 [grid-area:receipt]">
        <figure className="flex items-center gap-3 rounded-2xl bg-white p-2 text-ink sm:flex-col sm:gap-1 sm:p-3">
          {receiptUrl ? (
            <QRCodeSVG value={receiptUrl} level="M" marginSize={2} size={256} role="img" aria-label={t`Receipt QR code`} className="block size-28 sm:size-40" />
          ) : (
            <div className="grid size-28 place-items-center text-base text-ink-soft sm:size-40">{link.isError ? t`No receipt link` : t`Receipt…`}</div>
          )}
          <figcaption className="max-w-40 text-base font-medium sm:max-w-none">{t`Scan to keep your receipt`}</figcaption>
        </figure>
        {receipt && (
          <div onClickCapture={() => setStaying(true)}>
            <PrintReceipt receipt={receipt} tone="paid" />
          </div>
        )}
      </div>

      <div className="flex flex-col items-center gap-1 [grid-area:next]">
        <Button ref={next} variant="paid" size="large" className="min-w-64 max-sm:min-h-16" onClick={() => navigate('/')}>
          {t`New sale`}
        </Button>
        <p className="text-lg" aria-live="off">
          {staying ? t`Tap New sale when done` : plural(seconds, { one: 'Next sale in # second', other: 'Next sale in # seconds' })}
        </p>
      </div>
    </main>
  );
}
