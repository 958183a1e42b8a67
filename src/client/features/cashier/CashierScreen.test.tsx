import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { emptyKeypad } from '../../lib/keypad';
import { useSaleStore } from '../../sale/store';
import { fakeProxy, invoiceOf, renderScreen, testConfig } from '../../test/render';
import { CashierScreen } from './CashierScreen';

const rateAt = (at: number) => ({ currency: 'USD', satsPerUnit: 1000, btcPrice: 100_000, source: 'lnbits', at: new Date(at).toISOString() });

function proxy(rate: unknown = rateAt(Date.now())) {
  return fakeProxy((call) => {
    if (call.path === '/rate') return rate === null ? { status: 503, body: { error: { code: 'provider_unavailable', message: 'Down.' } } } : { body: rate };
    if (call.path === '/invoices' && call.method === 'POST') return { status: 201, body: invoiceOf({ id: 'inv7' }) };
    return undefined;
  });
}

const type = (digits: string) => {
  for (const digit of digits) fireEvent.click(screen.getByRole('button', { name: digit }));
};

beforeEach(() => useSaleStore.setState({ keypad: emptyKeypad, memo: '', charge: null, parkedInvoiceId: null }));

describe('the cashier screen', () => {
  it('with tips on, Charge hands the tablet to the customer (no invoice yet)', async () => {
    const calls = proxy();
    const { history } = renderScreen(<CashierScreen warmUp={() => {}} />);
    type('1234');
    fireEvent.click(screen.getByRole('button', { name: 'Charge' }));
    expect(history.at(-1)).toBe('/tip');
    expect(calls.some((call) => call.method === 'POST')).toBe(false);
  });

  it('with tips off, Charge makes the invoice and opens its checkout', async () => {
    const calls = proxy();
    const { history } = renderScreen(<CashierScreen warmUp={() => {}} />, { config: { ...testConfig, tipPercents: [] } });
    type('1234');
    fireEvent.click(screen.getByRole('button', { name: 'Charge' }));
    await waitFor(() => expect(history.at(-1)).toBe('/checkout/inv7'));
    expect(calls.find((call) => call.method === 'POST')?.body).toEqual({ amount: 1234, currency: 'USD' });
  });

  it('the sats preview says where the rate comes from and how old it is', async () => {
    proxy(rateAt(Date.now() - 2 * 60_000));
    renderScreen(<CashierScreen warmUp={() => {}} />);
    type('1234');
    await waitFor(() => expect(screen.getByTestId('rate-note').textContent).toBe('Rate 1 BTC = $100,000 (LNbits, 2 min ago)'));
    expect(screen.getByText('≈ 12,340 sats')).toBeTruthy();
  });

  it('a stale rate says so', async () => {
    proxy(rateAt(Date.now() - 20 * 60_000));
    renderScreen(<CashierScreen warmUp={() => {}} />);
    await waitFor(() =>
      expect(screen.getByTestId('rate-note').textContent).toBe('Stale rate 1 BTC = $100,000 (LNbits, 20 min ago): the invoice’s own amount counts'),
    );
  });

  it('no rate: says so, and shows no sats', async () => {
    proxy(null);
    renderScreen(<CashierScreen warmUp={() => {}} />);
    type('5');
    await waitFor(() => expect(screen.getByTestId('rate-note').textContent).toBe('No exchange rate right now: the invoice shows the sats.'), { timeout: 10_000 });
    expect(screen.queryByText(/≈/)).toBeNull();
  }, 15_000);

  it('a sale that has its invoice goes back to its checkout', () => {
    proxy();
    useSaleStore.setState({ charge: { idempotencyKey: 'k', request: { amount: 5, currency: 'USD' }, invoiceId: 'inv3', startedAt: Date.now(), failed: false } });
    const { history } = renderScreen(<CashierScreen warmUp={() => {}} />);
    expect(history.at(-1)).toBe('/checkout/inv3');
  });
});
