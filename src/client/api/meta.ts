import { queryOptions } from '@tanstack/react-query';
import { AppConfig, Rate } from '../../contract/api';
import { apiRequest } from '../lib/api';

/** What the SPA needs to start; it changes only when the proxy restarts. */
export const configQuery = () =>
  queryOptions({
    queryKey: ['config'],
    queryFn: ({ signal }) => apiRequest(AppConfig, '/config', { signal, auth: false }),
    staleTime: Infinity,
  });

/** The provider's price, for the approximate sats under the keypad (the proxy caches 60 s). */
export const rateQuery = () =>
  queryOptions({
    queryKey: ['rate'],
    queryFn: ({ signal }) => apiRequest(Rate, '/rate', { signal }),
    staleTime: 60_000,
    refetchInterval: 60_000,
  });
