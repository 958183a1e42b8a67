import { plural, t } from '@lingui/core/macro';
import { useLingui } from '@lingui/react/macro';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ProviderId, Rate } from '../../../contract/api';
import { intlLocale } from '../../i18n/format';
import { formatSats } from '../../lib/money';
import { useNow } from '../../lib/useNow';

/** A rate older than this is shown as stale (the proxy refreshes it every minute while it can). */
export const RATE_STALE_MS = 5 * 60_000;

/** "2 min ago" for an age, in the POS's language; "just now" under 10 seconds. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 10) return t`just now`;
  if (seconds < 60) return plural(seconds, { other: '# s ago' });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return plural(minutes, { other: '# min ago' });
  return plural(Math.round(minutes / 60), { other: '# h ago' });
}

/**
 * The approximate sats under the amount, with where the rate comes from and how old it is. A
 * stale or missing rate says so: the invoice's own amount in sats is what counts.
 */
export default function RateNote({ rate, approxSats, currency }: { rate: UseQueryResult<Rate>; approxSats: number | null; currency: string }) {
  const { t } = useLingui();
  const now = useNow(5_000);
  if (currency === 'SAT') return <p className="min-h-6" />;
  if (!rate.data) {
    return (
      <p className="min-h-6 text-sm text-ink-soft sm:text-base" data-testid="rate-note">
        {rate.isError ? t`No exchange rate right now: the invoice shows the sats.` : t`Getting the exchange rate…`}
      </p>
    );
  }
  const sourceNames: Record<ProviderId, string> = { demo: t`demo wallet`, lnbits: 'LNbits', strike: 'Strike', btcpay: 'BTCPay' };
  const age = formatAge(now - Date.parse(rate.data.at));
  const stale = now - Date.parse(rate.data.at) > RATE_STALE_MS;
  const price = formatBtcPrice(rate.data.btcPrice, currency);
  const source = sourceNames[rate.data.source];
  return (
    <div className="min-h-6">
      {approxSats !== null && <p className="text-xl text-ink-soft tabular-nums sm:text-2xl">≈ {formatSats(approxSats)}</p>}
      <p className={`text-sm sm:text-base ${stale ? 'font-semibold text-warn' : 'text-ink-soft'}`} data-testid="rate-note">
        {stale
          ? t`Stale rate 1 BTC = ${price} (${source}, ${age}): the invoice’s own amount counts`
          : t`Rate 1 BTC = ${price} (${source}, ${age})`}
      </p>
    </div>
  );
}

function formatBtcPrice(btcPrice: number, currency: string): string {
  return new Intl.NumberFormat(intlLocale(), { style: 'currency', currency, maximumFractionDigits: 0 }).format(btcPrice);
}
