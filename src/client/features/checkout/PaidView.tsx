import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import type { Invoice } from '../../../contract/api';
import { formatAmount, formatSats } from '../../lib/money';
import { Button } from '../../ui/Button';

/** How long the Paid screen stays before the keypad comes back by itself. */
export const PAID_SCREEN_MS = 15_000;

/** Unmistakable from across the counter: the whole screen turns green with a big check mark. */
export function PaidView({ invoice }: { invoice: Invoice }) {
  const [, navigate] = useLocation();
  const [left, setLeft] = useState(Math.round(PAID_SCREEN_MS / 1000));
  const next = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    next.current?.focus();
    const timer = setInterval(() => setLeft((s) => s - 1), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (left <= 0) navigate('/');
  }, [left, navigate]);

  return (
    <main className="fixed inset-0 z-50 flex flex-col items-center justify-center gap-6 bg-paid p-8 text-center text-white">
      <svg viewBox="0 0 120 120" className="size-40 landscape:size-36" aria-hidden="true">
        <circle cx="60" cy="60" r="56" fill="white" />
        <path d="M34 62 52 80 88 42" fill="none" stroke="#15803d" strokeWidth="12" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <h1 className="text-7xl font-extrabold tracking-tight">Paid</h1>
      <p className="text-5xl font-bold tabular-nums">{formatAmount(invoice.amount + invoice.tip, invoice.currency)}</p>
      {invoice.currency !== 'SAT' && <p className="text-2xl tabular-nums">{formatSats(invoice.amountSats)} received</p>}
      {invoice.memo && <p className="max-w-xl truncate text-2xl">{invoice.memo}</p>}
      <p className="text-2xl font-medium">Thank you!</p>
      <Button ref={next} variant="paid" size="large" className="mt-2 min-w-64" onClick={() => navigate('/')}>
        New sale
      </Button>
      <p className="text-lg" aria-live="off">
        Next sale in {Math.max(0, left)} s
      </p>
    </main>
  );
}
