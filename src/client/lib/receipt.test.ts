import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../contract/api';
import { receiptOf } from '../../contract/receipts';
import { impliedBtcPrice } from './receipt';

const paid: Invoice = {
  id: 'inv1',
  status: 'paid',
  paymentRequest: 'lnbcrt1',
  paymentHash: 'ab'.repeat(32),
  amount: 1234,
  tip: 185,
  currency: 'USD',
  amountSats: 14_190,
  memo: '2 coffees',
  createdAt: '2026-11-22T10:00:00.000Z',
  expiresAt: '2026-11-22T10:10:00.000Z',
  paidAt: '2026-11-22T10:01:00.000Z',
};
const store = { storeName: 'Café Nord', timezone: 'Europe/Berlin' };

describe('receipts', () => {
  it('are made of paid invoices only, without the BOLT11', () => {
    expect(receiptOf(paid, { ...store, storeAddress: '1 Main St' })).toEqual({
      storeName: 'Café Nord',
      storeAddress: '1 Main St',
      timezone: 'Europe/Berlin',
      amount: 1234,
      tip: 185,
      currency: 'USD',
      amountSats: 14_190,
      memo: '2 coffees',
      paidAt: '2026-11-22T10:01:00.000Z',
      paymentHash: 'ab'.repeat(32),
    });
    expect(receiptOf({ ...paid, status: 'pending', paidAt: null }, store)).toBeNull();
  });

  it.each([
    [1419, 'USD', 14_190, 10_000_000], // $14.19 for 14,190 sats: $100,000.00 a BTC
    [1000, 'USD', 1_029, 97_181_730], // 97,181,729.8 ¢: rounded half up to the cent
    [1500, 'JPY', 10_000, 15_000_000], // ¥1,500 for 10,000 sats: ¥15,000,000 a BTC
    [500, 'SAT', 500, null],
    [1000, 'USD', 0, null], // an old Strike invoice whose sats are not known
  ])('the rate %i %s for %i sats is %s minor units a BTC', (total, currency, sats, price) => {
    expect(impliedBtcPrice(total, currency, sats)).toBe(price);
  });
});
