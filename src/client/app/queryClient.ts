import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../lib/api';
import { deviceForgotten } from '../stores/device';
import { locked } from '../stores/session';

/**
 * The app's query client. A request the proxy refuses for want of a session (401) locks the POS,
 * whichever query or mutation made it: the unlock screen then brings the cashier back to where
 * they were. The sale in progress is not touched. A tablet the proxy no longer knows as paired
 * (a manager un-paired it) forgets its credential: the pairing screen then says so.
 */
export function createQueryClient(): QueryClient {
  const onError = (error: Error) => {
    if (error instanceof ApiError && error.endsSession) locked();
    if (error instanceof ApiError && error.code === 'device_not_paired') deviceForgotten();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        // Faults of the network or the provider are retried; a refused request is not.
        retry: (failureCount, error) => failureCount < 3 && error instanceof ApiError && error.isTransient,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
