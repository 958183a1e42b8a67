/** The pairing routes: pairing this tablet, and the manager's list and controls of paired tablets. */
import { queryOptions } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { DeviceList, PairedDevice, PairingCode } from '../../../contract/api';
import { apiRequest } from '../../lib/api';

export const pairTablet = (code: string, name: string | undefined) =>
  apiRequest(PairedDevice, '/devices/pair', { method: 'POST', body: { code, ...(name ? { name } : {}) }, auth: false });

export const devicesQuery = () =>
  queryOptions({
    queryKey: ['devices'],
    queryFn: ({ signal }) => apiRequest(DeviceList, '/devices', { signal }),
    refetchInterval: 30_000,
  });

export const makePairingCode = () => apiRequest(PairingCode, '/devices/codes', { method: 'POST' });

const nothing = z.undefined();
export const unpairDevice = (id: string) => apiRequest(nothing, `/devices/${encodeURIComponent(id)}`, { method: 'DELETE' });
export const clearLockout = (id: string) => apiRequest(nothing, `/devices/${encodeURIComponent(id)}/lockout`, { method: 'DELETE' });
export const signOutEveryDevice = () => apiRequest(nothing, '/devices/sign-out', { method: 'POST' });

/** What a scanned pairing QR opens: this POS's pairing screen with the code in the fragment (never sent to a server). */
export const pairingLink = (code: string) => `${window.location.origin}/pair#${code}`;
