// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../lib/api';
import { useSessionStore, unlocked } from '../stores/session';
import { createQueryClient } from './queryClient';

const session = () => unlocked({ token: 'a.b.c', role: 'cashier', expiresAt: new Date(Date.now() + 60_000).toISOString() });

describe('the query client', () => {
  it('locks the POS when a query is refused for want of a session', async () => {
    session();
    const client = createQueryClient();
    await client.fetchQuery({ queryKey: ['x'], queryFn: () => Promise.reject(new ApiError(401, 'unauthorized', 'Ended.', undefined, true)) }).catch(() => {});
    expect(useSessionStore.getState().session).toBeNull();
  });

  it('and when a mutation is', async () => {
    session();
    const client = createQueryClient();
    const mutation = client.getMutationCache().build(client, { mutationFn: () => Promise.reject(new ApiError(401, 'unauthorized', 'Ended.', undefined, true)) });
    await mutation.execute(undefined).catch(() => {});
    expect(useSessionStore.getState().session).toBeNull();
  });

  it('a wrong PIN (401 without a session) or any other error leaves the session alone', async () => {
    session();
    const client = createQueryClient();
    await client.fetchQuery({ queryKey: ['pin'], queryFn: () => Promise.reject(new ApiError(401, 'invalid_pin', 'Wrong PIN.')) }).catch(() => {});
    await client.fetchQuery({ queryKey: ['gone'], queryFn: () => Promise.reject(new ApiError(404, 'not_found', 'Gone.', undefined, true)) }).catch(() => {});
    expect(useSessionStore.getState().session).not.toBeNull();
  });

  it('the fetcher itself never locks: it only reports', async () => {
    session();
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'Ended.' } }), { status: 401 })));
    const { apiRequest } = await import('../lib/api');
    const { Invoice } = await import('../../contract/api');
    const error = await apiRequest(Invoice, '/invoices/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).endsSession).toBe(true);
    expect(useSessionStore.getState().session).not.toBeNull();
  });
});
