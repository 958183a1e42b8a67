import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { invoiceKeys } from '../../api/invoices';
import { useSaleStore } from '../../sale/store';
import { fakeProxy, invoiceOf, renderScreen, testConfig } from '../../test/render';
import CheckoutScreen from './CheckoutScreen';

const expired = () =>
  invoiceOf({
    status: 'expired',
    createdAt: new Date(Date.now() - 11 * 60_000).toISOString(),
    expiresAt: new Date(Date.now() - 60_000).toISOString(),
  });

function proxy(invoice: () => ReturnType<typeof invoiceOf>) {
  return fakeProxy((call) => {
    if (call.path === '/invoices/inv1') return { body: invoice() };
    if (call.path === '/receipts') return { body: { token: 'inv1~00', path: '/r/inv1~00' } };
    if (call.path === '/invoices' && call.method === 'POST') return { status: 201, body: invoiceOf({ id: 'inv2' }) };
    return undefined;
  });
}

beforeEach(() =>
  useSaleStore.setState({
    keypad: { items: [], entry: 1234 },
    memo: '',
    charge: { idempotencyKey: 'k1', request: { amount: 1234, currency: 'USD' }, invoiceId: 'inv1', startedAt: Date.now() - 700_000, failed: false },
    parkedInvoiceId: null,
  }),
);

describe('the checkout of an expired invoice', () => {
  it('says it is still watching, and turns to Paid when a late payment arrives', async () => {
    let current = expired();
    proxy(() => current);
    const { queryClient } = renderScreen(<CheckoutScreen id="inv1" />, { path: '/checkout/inv1' });
    await screen.findByRole('heading', { name: 'Expired' });
    expect(screen.getByText('Still watching for a late payment…')).toBeTruthy();

    current = invoiceOf({ status: 'paid', paidAt: new Date().toISOString(), createdAt: current.createdAt, expiresAt: current.expiresAt });
    await act(() => queryClient.refetchQueries({ queryKey: invoiceKeys.detail('inv1') }));
    await screen.findByRole('heading', { name: 'Paid' });
    // The sale is done: the keypad is fresh for the next customer.
    await waitFor(() => expect(useSaleStore.getState().charge).toBeNull());
    expect(useSaleStore.getState().keypad.entry).toBe(0);
  });

  it('New invoice while still watching warns that the customer may have paid, and makes nothing until confirmed', async () => {
    const calls = proxy(expired);
    const { history } = renderScreen(<CheckoutScreen id="inv1" />, { path: '/checkout/inv1' });
    await screen.findByRole('heading', { name: 'Expired' });
    fireEvent.click(screen.getByRole('button', { name: 'New invoice' }));
    expect(screen.getByRole('dialog', { name: 'The customer may already have paid' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Keep watching' }));
    expect(calls.filter((call) => call.method === 'POST')).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'New invoice' }));
    fireEvent.click(screen.getByRole('button', { name: 'Make a new invoice' }));
    await waitFor(() => expect(history.at(-1)).toBe('/checkout/inv2'));
    const post = calls.find((call) => call.path === '/invoices' && call.method === 'POST')!;
    expect(post.headers.get('Idempotency-Key')).not.toBe('k1'); // a new attempt, a new key
  });

  it('past the watch, New invoice makes the new invoice at once', async () => {
    const long = () =>
      invoiceOf({ status: 'expired', createdAt: new Date(Date.now() - 40 * 60_000).toISOString(), expiresAt: new Date(Date.now() - 30 * 60_000).toISOString() });
    proxy(long);
    const { history } = renderScreen(<CheckoutScreen id="inv1" />, { path: '/checkout/inv1' });
    await screen.findByRole('heading', { name: 'Expired' });
    expect(screen.queryByText('Still watching for a late payment…')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'New invoice' }));
    await waitFor(() => expect(history.at(-1)).toBe('/checkout/inv2'));
  });
});

describe('the pending checkout', () => {
  it('says the QR refreshes where the provider renews it, and when it expires elsewhere', async () => {
    proxy(() => invoiceOf());
    renderScreen(<CheckoutScreen id="inv1" />, { path: '/checkout/inv1', config: { ...testConfig, capabilities: { renewsQr: true } } });
    expect(await screen.findByText(/This QR refreshes in/)).toBeTruthy();
  });

  it('a plain provider: Expires in', async () => {
    proxy(() => invoiceOf());
    renderScreen(<CheckoutScreen id="inv1" />, { path: '/checkout/inv1' });
    expect(await screen.findByText(/Expires in/)).toBeTruthy();
    expect(screen.queryByText(/refreshes/)).toBeNull();
  });

  it('Cancel goes back to the keypad with the amount', async () => {
    fakeProxy((call) => {
      if (call.path === '/invoices/inv1') return { body: invoiceOf() };
      if (call.path === '/invoices/inv1/cancel') return { body: invoiceOf({ status: 'cancelled' }) };
      return undefined;
    });
    const { history } = renderScreen(<CheckoutScreen id="inv1" />, { path: '/checkout/inv1' });
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(history.at(-1)).toBe('/'));
    expect(useSaleStore.getState().charge).toBeNull();
    expect(useSaleStore.getState().keypad.entry).toBe(1234);
  });
});
