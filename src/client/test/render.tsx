/**
 * Component tests: a screen with the app's query client, a seeded config, a memory router, a fake
 * proxy, in the language the test speaks (English unless it says otherwise: ./i18n.ts).
 */
import { i18n } from '@lingui/core';
import { I18nProvider } from '@lingui/react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { vi } from 'vitest';
import type { AppConfig, Invoice } from '../../contract/api';
import { configKeys } from '../api/config';
import { createQueryClient } from '../app/queryClient';
import { unlocked } from '../stores/session';

export const testConfig: AppConfig = {
  provider: 'demo',
  currency: 'USD',
  timezone: 'UTC',
  storeName: 'Test Store',
  demo: true,
  maxInvoiceSats: 10_000_000,
  pairingRequired: false,
  tipPercents: [10, 15, 20],
  capabilities: { renewsQr: false },
};

export function invoiceOf(overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: 'inv1',
    status: 'pending',
    paymentRequest: 'lnbcrt123400n1test',
    paymentHash: 'ab'.repeat(32),
    amount: 1234,
    tip: 0,
    currency: 'USD',
    amountSats: 12_340,
    memo: '',
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    expiresAt: new Date(Date.now() + 540_000).toISOString(),
    paidAt: null,
    ...overrides,
  };
}

export interface ProxyCall {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

/**
 * Stands in for the proxy: `answer(call)` gives each request's status and JSON. Returns the calls
 * made, in order.
 */
export function fakeProxy(answer: (call: ProxyCall) => { status?: number; body: unknown } | undefined): ProxyCall[] {
  const calls: ProxyCall[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const call: ProxyCall = {
        method: init.method ?? 'GET',
        path: String(input).replace(/^\/api/, ''),
        headers: new Headers(init.headers),
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      };
      calls.push(call);
      const reply = answer(call) ?? { status: 404, body: { error: { code: 'not_found', message: 'Not here.' } } };
      return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200, headers: { 'Content-Type': 'application/json' } });
    }),
  );
  return calls;
}

/** Renders `ui` unlocked as a cashier at `path`; `history` records where the screen navigated. */
export function renderScreen(ui: ReactElement, { config = testConfig, path = '/' }: { config?: AppConfig; path?: string } = {}) {
  unlocked({ token: 'a.b.c', role: 'cashier', expiresAt: new Date(Date.now() + 3600_000).toISOString() });
  const queryClient: QueryClient = createQueryClient();
  queryClient.setQueryData(configKeys.all, config);
  const location = memoryLocation({ path, record: true });
  const view = render(
    <I18nProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <Router hook={location.hook}>{ui}</Router>
      </QueryClientProvider>
    </I18nProvider>,
  );
  return { ...view, queryClient, history: location.history };
}
