import type { UseQueryResult } from '@tanstack/react-query';
import type { ProviderId, Rate } from '../../../contract/api';
import { formatSats } from '../../lib/money';
import { useNow } from '../../lib/useNow';

/** A rate older than this is shown as stale (the proxy refreshes it every minute while it can). */
export const RATE_STALE_MS = 5 * 60_000;

const sourceNames: Record<ProviderId, string> = { demo: 'demo wallet', lnbits: 'LNbits', strike: 'Strike', btcpay: 'BTCPay' };

/** "2 min" for an age; "just now" under 10 seconds. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 10) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
}

/**
 * The approximate sats under the amount, with where the rate comes from and how old it is. A
 * stale or missing rate says so: the invoice's own amount in sats is what counts.
 */
export default function RateNote({ rate, approxSats, currency }: { rate: UseQueryResult<Rate>; approxSats: number | null; currency: string }) {
  const now = useNow(5_000);
  if (currency === 'SAT') return <p className="min-h-6" />;
  if (!rate.data) {
    return (
      <p className="min-h-6 text-sm text-ink-soft sm:text-base" data-testid="rate-note">
        {rate.isError ? 'No exchange rate right now: the invoice shows the sats.' : 'Getting the exchange rate…'}
      </p>
    );
  }
  const age = now - Date.parse(rate.data.at);
  const stale = age > RATE_STALE_MS;
  return (
    <div className="min-h-6">
      {approxSats !== null && <p className="text-xl text-ink-soft tabular-nums sm:text-2xl">≈ {formatSats(approxSats)}</p>}
      <p className={`text-sm sm:text-base ${stale ? 'font-semibold text-warn' : 'text-ink-soft'}`} data-testid="rate-note">
        {stale ? 'Stale rate' : 'Rate'} 1 BTC = {formatBtcPrice(rate.data.btcPrice, currency)} ({sourceNames[rate.data.source]}, {formatAge(age)})
        {stale && ': the invoice’s own amount counts'}
      </p>
    </div>
  );
}

function formatBtcPrice(btcPrice: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(btcPrice);
}
