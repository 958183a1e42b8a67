import { useQuery } from '@tanstack/react-query';
import type { AppConfig, Rate } from '../../contract/api';
import { amountForSats, priceInMinorUnits, SAT, satsFor } from '../../contract/money';
import { rateQuery, useConfig } from '../api/config';

/** Until the rate is known, the proxy's own limit check is the only one. */
export const FALLBACK_MAX_TOTAL = 9_999_999_999;
export const MAX_ITEMS = 50;

/** The largest amount + tip one invoice may have, in the store currency's minor units. */
export function maxTotalFor(config: Pick<AppConfig, 'currency' | 'maxInvoiceSats'>, rate: Rate | undefined): number {
  if (config.currency === SAT) return config.maxInvoiceSats;
  if (!rate) return FALLBACK_MAX_TOTAL;
  return amountForSats(config.maxInvoiceSats, config.currency, priceInMinorUnits(rate.btcPrice, config.currency));
}

/** The sale's limits and the sats an amount is worth now, from the provider's rate. */
export function useSaleLimits() {
  const config = useConfig();
  const rate = useQuery(rateQuery());
  const priceMinor = config.currency !== SAT && rate.data ? priceInMinorUnits(rate.data.btcPrice, config.currency) : null;
  return {
    rate,
    maxTotal: maxTotalFor(config, rate.data),
    /** Approximate sats for `amount`, or null while no rate is known. */
    approxSats: (amount: number) => (config.currency === SAT ? amount : priceMinor && amount > 0 ? satsFor(amount, config.currency, priceMinor) : null),
  };
}
