/**
 * The session token from the unlock screen. Persisted so a reload keeps the tablet unlocked;
 * cleared by "Lock", by a 401, or when it expires. The sale in progress lives elsewhere and is
 * never touched by locking.
 */
import * as z from 'zod/mini';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { Session } from '../../contract/api';
import { validatedMerge } from '../lib/persist';

interface SessionState {
  session: Session | null;
}

export const useSessionStore = create<SessionState>()(
  persist((): SessionState => ({ session: null }), {
    name: 'pos-session',
    version: 1,
    storage: createJSONStorage(() => localStorage),
    merge: validatedMerge(z.object({ session: z.nullable(Session) })),
  }),
);

export function unlocked(session: Session): void {
  useSessionStore.setState({ session });
}

/** "Lock", or a token the proxy no longer accepts. */
export function locked(): void {
  useSessionStore.setState({ session: null });
}

export function currentToken(): string | null {
  const { session } = useSessionStore.getState();
  if (!session) return null;
  return Date.parse(session.expiresAt) > Date.now() ? session.token : null;
}

export const useSession = () => useSessionStore((state) => state.session);
