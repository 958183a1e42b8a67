import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { invoiceKeys } from '../api/invoices';
import { useSaleStore } from '../sale/store';
import { fakeProxy, invoiceOf, renderScreen } from '../test/render';
import { TopBar } from './TopBar';

const charged = () =>
  useSaleStore.setState({
    keypad: { items: [], entry: 1234 },
    memo: 'Cake',
    charge: { idempotencyKey: 'k', request: { amount: 1234, currency: 'USD' }, invoiceId: 'inv1', startedAt: Date.now(), failed: false },
    parkedInvoiceId: null,
  });

describe('Sell in the top bar', () => {
  it('on a pending checkout parks the sale: the keypad is free, the invoice is remembered as parked', () => {
    fakeProxy(() => undefined);
    charged();
    const { queryClient, history } = renderScreen(<TopBar storeName="Test Store" role="cashier" />, { path: '/checkout/inv1' });
    queryClient.setQueryData(invoiceKeys.detail('inv1'), invoiceOf());
    fireEvent.click(screen.getByRole('link', { name: 'Sell' }));
    expect(history.at(-1)).toBe('/');
    expect(useSaleStore.getState()).toMatchObject({ charge: null, keypad: { entry: 0 }, memo: '', parkedInvoiceId: 'inv1' });
  });

  it('on an expired checkout goes back to the keypad with the amount', () => {
    fakeProxy(() => undefined);
    charged();
    const { queryClient } = renderScreen(<TopBar storeName="Test Store" role="cashier" />, { path: '/checkout/inv1' });
    queryClient.setQueryData(invoiceKeys.detail('inv1'), invoiceOf({ status: 'expired' }));
    fireEvent.click(screen.getByRole('link', { name: 'Sell' }));
    expect(useSaleStore.getState()).toMatchObject({ charge: null, keypad: { entry: 1234 }, memo: 'Cake' });
  });

  it('shows the store name, and History only to a manager', () => {
    fakeProxy(() => undefined);
    renderScreen(<TopBar storeName="Test Store" role="cashier" />);
    expect(screen.getByTestId('store-name').textContent).toBe('Test Store');
    expect(screen.queryByRole('link', { name: 'History' })).toBeNull();
  });
});
