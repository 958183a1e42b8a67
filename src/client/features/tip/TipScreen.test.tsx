import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { emptyKeypad } from '../../lib/keypad';
import { useSaleStore } from '../../sale/store';
import { fakeProxy, invoiceOf, renderScreen, testConfig } from '../../test/render';
import TipScreen from './TipScreen';

const rate = { currency: 'USD', satsPerUnit: 1000, btcPrice: 100_000, source: 'demo', at: new Date().toISOString() };

function proxyMakingInvoices() {
  return fakeProxy((call) => {
    if (call.path === '/rate') return { body: rate };
    if (call.path === '/invoices' && call.method === 'POST') {
      const body = call.body as { amount: number; tip?: number; currency: string };
      return { status: 201, body: invoiceOf({ id: 'inv42', amount: body.amount, tip: body.tip ?? 0, currency: body.currency }) };
    }
    return undefined;
  });
}

const creates = (calls: ReturnType<typeof fakeProxy>) => calls.filter((call) => call.path === '/invoices' && call.method === 'POST');

beforeEach(() => useSaleStore.setState({ keypad: { items: [], entry: 1234 }, memo: 'Cake', charge: null, parkedInvoiceId: null }));

describe('the tip screen', () => {
  it('offers each preset with its tip and the total, No tip, and a custom amount', () => {
    proxyMakingInvoices();
    renderScreen(<TipScreen />, { path: '/tip' });
    expect(screen.getByRole('button', { name: '10% +$1.23 Total $13.57' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '15% +$1.85 Total $14.19' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '20% +$2.47 Total $14.81' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'No tip Total $12.34' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Custom tip Any amount' })).toBeTruthy();
  });

  it('rounds to the currency: whole yen in a JPY store', () => {
    proxyMakingInvoices();
    useSaleStore.setState({ keypad: { items: [], entry: 990 } });
    renderScreen(<TipScreen />, { path: '/tip', config: { ...testConfig, currency: 'JPY', tipPercents: [15] } });
    expect(screen.getByRole('button', { name: '15% +¥149 Total ¥1,139' })).toBeTruthy();
  });

  it('a preset makes the invoice for amount + tip, once, and opens its checkout', async () => {
    const calls = proxyMakingInvoices();
    const { history } = renderScreen(<TipScreen />, { path: '/tip' });
    const fifteen = screen.getByRole('button', { name: /^15%/ });
    fireEvent.click(fifteen);
    fireEvent.click(fifteen);
    await waitFor(() => expect(history.at(-1)).toBe('/checkout/inv42'));
    expect(creates(calls)).toHaveLength(1);
    expect(creates(calls)[0]!.body).toEqual({ amount: 1234, currency: 'USD', memo: 'Cake', tip: 185 });
    expect(creates(calls)[0]!.headers.get('Idempotency-Key')).toBe(useSaleStore.getState().charge?.idempotencyKey);
    expect(useSaleStore.getState().charge?.invoiceId).toBe('inv42');
  });

  it('No tip sends no tip', async () => {
    const calls = proxyMakingInvoices();
    renderScreen(<TipScreen />, { path: '/tip' });
    fireEvent.click(screen.getByRole('button', { name: /^No tip/ }));
    await waitFor(() => expect(creates(calls)).toHaveLength(1));
    expect(creates(calls)[0]!.body).toEqual({ amount: 1234, currency: 'USD', memo: 'Cake' });
  });

  it('a custom tip is typed on a keypad, within the largest invoice', async () => {
    const calls = proxyMakingInvoices();
    useSaleStore.setState({ keypad: { items: [], entry: 999_500 } }); // $9,995.00 of at most $10,000.00
    renderScreen(<TipScreen />, { path: '/tip' });
    fireEvent.click(screen.getByRole('button', { name: /^Custom tip/ }));
    await screen.findByText(/^Total \$9,995\.00$/);
    for (const key of ['5', '0', '0']) fireEvent.click(screen.getByRole('button', { name: key }));
    await waitFor(() => expect(screen.getByTestId('custom-tip').textContent).toBe('$5.00'));
    fireEvent.click(screen.getByRole('button', { name: '1' }));
    expect(screen.getByTestId('custom-tip').textContent).toBe('$5.00');
    expect(screen.getByText('The most a tip can be here is $5.00.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Add tip' }));
    await waitFor(() => expect(creates(calls)).toHaveLength(1));
    expect(creates(calls)[0]!.body).toMatchObject({ amount: 999_500, tip: 500 });
  });

  it('with nothing on the keypad there is nothing to tip: back to the keypad', () => {
    proxyMakingInvoices();
    useSaleStore.setState({ keypad: emptyKeypad });
    const { history } = renderScreen(<TipScreen />, { path: '/tip' });
    expect(history.at(-1)).toBe('/');
  });
});
