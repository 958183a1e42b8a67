import { useLingui } from '@lingui/react/macro';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'wouter';
import type { Invoice, Role, SaleCashier } from '../../contract/api';
import { invoiceKeys } from '../api/invoices';
import { lock } from '../api/session';
import { cashierName } from '../lib/cashier';
import { checkoutLeft } from '../sale/store';
import { soundToggled, useSoundOn } from '../stores/settings';
import { BoltIcon, LockIcon, SpeakerIcon } from '../ui/icons';

/**
/**
 * Store name, who is signed in (a named cashier, or the manager; nothing for the shared PIN of a
 * shop without named cashiers), the screens this role may open (a cashier's own shift, the
 * manager's history), sound on/off and Lock. On a phone the store name keeps the room it needs,
 * who is signed in is said to screen readers only (My shift and the checkout name the cashier), and
 * Sound and Lock show as icons (their names stay "Sound" and "Lock", in every language: the
 * screens' names are what is left to be written out).
 */
export function TopBar({ storeName, role, cashier }: { storeName: string; role: Role; cashier?: SaleCashier | undefined }) {
  const { t } = useLingui();
  const who = role === 'manager' ? t`Manager` : cashierName(cashier);
  const [location] = useLocation();
  const queryClient = useQueryClient();
  const soundOn = useSoundOn();
  const selling = location === '/' || location === '/tip' || location.startsWith('/checkout');
  const linkClass = (active: boolean) =>
    `inline-flex min-h-12 items-center rounded-key px-1.5 text-[0.9375rem] font-semibold sm:min-h-touch sm:px-5 sm:text-lg ${
      active ? 'bg-white/15 text-ink-inverse' : 'text-gray-300 hover:bg-white/10'
    }`;

  // Sell from a checkout: a sale still payable is parked (watched in Recent sales), an ended one
  // goes back to the keypad; either way the keypad is what comes next.
  const onSell = () => {
    const checkout = /^\/checkout\/([^/]+)$/.exec(location);
    if (!checkout?.[1]) return;
    const id = decodeURIComponent(checkout[1]);
    checkoutLeft(id, queryClient.getQueryData<Invoice>(invoiceKeys.detail(id))?.status);
  };

  return (
    <header className="flex items-center gap-1 bg-bar px-2 py-1 text-ink-inverse sm:gap-3 sm:px-3 print:hidden">
      <span className="mr-auto flex min-w-16 items-center gap-2 pl-1 text-base font-bold sm:pl-2 sm:text-lg" title={storeName} data-testid="store-name">
        <BoltIcon className="size-6 shrink-0 text-brand max-sm:hidden" />
        <span className="truncate">{storeName}</span>
      </span>
      {who && (
        <span className="shrink-0 truncate text-lg text-gray-300 max-sm:sr-only sm:max-w-48" title={who} data-testid="signed-in">
          <span className="sr-only">{t`Signed in:`} </span>
          {who}
        </span>
      )}
      <nav aria-label={t`Screens`} className="flex shrink-0 gap-1">
        <Link href="/" onClick={onSell} aria-current={location === '/' ? 'page' : undefined} className={linkClass(selling)}>
          {t`Sell`}
        </Link>
        {role === 'cashier' && (
          <Link href="/shift" aria-current={location === '/shift' ? 'page' : undefined} className={linkClass(location === '/shift')}>
            {t({ message: 'My shift', context: 'top bar link: a word or two, it must fit a phone' })}
          </Link>
        )}
        {role === 'manager' && (
          <Link href="/history" aria-current={location.startsWith('/history') ? 'page' : undefined} className={linkClass(location.startsWith('/history'))}>
            {t`History`}
          </Link>
        )}
      </nav>
      <button
        type="button"
        aria-pressed={soundOn}
        onClick={soundToggled}
        className="inline-flex min-h-12 min-w-12 shrink-0 items-center justify-center rounded-key px-2 text-lg font-semibold text-gray-200 hover:bg-white/10 sm:min-h-touch sm:min-w-touch sm:px-4"
      >
        <SpeakerIcon muted={!soundOn} className="size-6 sm:mr-2" />
        <span className="max-sm:sr-only">{t`Sound`}</span>
      </button>
      <button
        type="button"
        onClick={lock}
        className="inline-flex min-h-12 min-w-12 shrink-0 items-center justify-center rounded-key border-2 border-gray-500 px-2 text-base font-semibold sm:text-lg text-ink-inverse hover:bg-white/10 sm:min-h-touch sm:min-w-touch sm:px-5"
      >
        <LockIcon className="size-6 sm:hidden" />
        <span className="max-sm:sr-only">{t`Lock`}</span>
      </button>
    </header>
  );
}
