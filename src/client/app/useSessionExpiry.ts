import { useEffect } from 'react';
import { locked, useSession } from '../stores/session';

/** Locks the POS when the session token expires, so the cashier unlocks before the next request fails. */
export function useSessionExpiry(): void {
  const session = useSession();
  useEffect(() => {
    if (!session) return;
    const left = Date.parse(session.expiresAt) - Date.now();
    if (left <= 0) {
      locked();
      return;
    }
    // setTimeout cannot wait longer than ~24.8 days; tokens live hours at most.
    const timer = setTimeout(locked, left);
    return () => clearTimeout(timer);
  }, [session]);
}
