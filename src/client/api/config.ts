/**
 * The proxy's start-up configuration and the exchange rate: server state, read through the query
 * cache like every other answer of the proxy (never copied into a context or a store).
 */
import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { AppConfig, Rate } from '../../contract/api';
import { apiRequest } from '../lib/api';

export const configKeys = { all: ['config'] as const };

/** What the SPA needs to start; it changes only when the proxy restarts. */
export const configQuery = () =>
  queryOptions({
    queryKey: configKeys.all,
    queryFn: ({ signal }) => apiRequest(AppConfig, '/config', { signal, auth: false }),
    staleTime: Infinity,
  });

/**
 * The config, for screens the app shell renders only once it has loaded: the cache already holds
 * it, so this never suspends there (and a component test seeds the cache the same way).
 */
export const useConfig = (): AppConfig => useSuspenseQuery(configQuery()).data;

export const rateKeys = { all: ['rate'] as const, current: () => [...rateKeys.all, 'current'] as const };

export const RATE_REFRESH_MS = 60_000;

/** The provider's price, for the approximate sats under the keypad (the proxy caches 60 s). */
export const rateQuery = () =>
  queryOptions({
    queryKey: rateKeys.current(),
    queryFn: ({ signal }) => apiRequest(Rate, '/rate', { signal }),
    staleTime: RATE_REFRESH_MS,
    refetchInterval: RATE_REFRESH_MS,
  });
