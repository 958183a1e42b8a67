import { Session } from '../../contract/api';
import { apiRequest } from '../lib/api';

export const createSession = (pin: string) =>
  apiRequest(Session, '/session', { method: 'POST', body: { pin }, auth: false });
