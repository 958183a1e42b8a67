import * as z from 'zod/mini';
import { Session } from '../../contract/api';
import { apiRequest } from '../lib/api';
import { locked } from '../stores/session';

export const createSession = (pin: string) =>
  apiRequest(Session, '/session', { method: 'POST', body: { pin }, auth: false, device: true });

/**
 * Lock: the tablet forgets its session at once, and the proxy is told to end it (so the token is
 * worthless even if it was copied). Offline, the session ends at its expiry instead.
 */
export function lock(): void {
  // The request takes the token before `locked` forgets it.
  apiRequest(z.undefined(), '/session', { method: 'DELETE' }).catch(() => {});
  locked();
}
