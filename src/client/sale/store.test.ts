// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { emptyKeypad } from '../lib/keypad';
import { chargeAnswered, chargeFailed, chargeResumed, chargeTapped, checkoutLeft, invoicePaid, keyPressed, memoChanged, useSaleStore } from './store';

const limits = { maxTotal: 1_000_000, maxItems: 50 };
const sale = { amount: 1234, currency: 'USD' };

beforeEach(() => useSaleStore.setState({ keypad: emptyKeypad, memo: '', charge: null, parkedInvoiceId: null }));

describe('the sale store', () => {
  it('keys and memo change the sale, and drop an attempt that has no invoice yet', () => {
    for (const key of ['1', '2', '3', '4'] as const) keyPressed(key, limits);
    expect(useSaleStore.getState().keypad).toEqual({ items: [], entry: 1234 });
    const attempt = chargeTapped(sale, false)!;
    chargeFailed(attempt.idempotencyKey, true, false);
    memoChanged('Cake');
    expect(useSaleStore.getState()).toMatchObject({ memo: 'Cake', charge: null });
  });

  it('while the sale has its invoice, the amount and memo cannot change', () => {
    useSaleStore.setState({ keypad: { items: [], entry: 1234 } });
    const attempt = chargeTapped(sale, false)!;
    chargeAnswered(attempt.idempotencyKey, 'inv1');
    expect(keyPressed('5', limits)).toMatchObject({ accepted: false, reason: 'no_effect' });
    memoChanged('changed');
    expect(useSaleStore.getState()).toMatchObject({ keypad: { entry: 1234 }, memo: '', charge: { invoiceId: 'inv1' } });
  });

  it('a second tap while the first is on its way sends nothing', () => {
    expect(chargeTapped(sale, false)).not.toBeNull();
    expect(chargeTapped(sale, true)).toBeNull();
  });

  it('a reload resumes the attempt on its way, from what was persisted', () => {
    const attempt = chargeTapped(sale, false)!;
    const persisted = JSON.parse(localStorage.getItem('pos-sale') ?? '{}') as { state: { charge: { idempotencyKey: string } } };
    expect(persisted.state.charge.idempotencyKey).toBe(attempt.idempotencyKey);
    expect(chargeResumed(false)?.idempotencyKey).toBe(attempt.idempotencyKey);
  });

  it('parking frees the keypad and remembers the parked invoice (not persisted)', () => {
    useSaleStore.setState({ keypad: { items: [], entry: 1234 }, memo: 'Cake' });
    chargeAnswered(chargeTapped(sale, false)!.idempotencyKey, 'inv1');
    checkoutLeft('inv1', 'pending');
    expect(useSaleStore.getState()).toMatchObject({ keypad: emptyKeypad, memo: '', charge: null, parkedInvoiceId: 'inv1' });
    expect(localStorage.getItem('pos-sale')).not.toContain('parkedInvoiceId');
    keyPressed('7', limits);
    expect(useSaleStore.getState().parkedInvoiceId).toBeNull();
  });

  it('paid: a fresh keypad; another invoice paid leaves the sale alone', () => {
    useSaleStore.setState({ keypad: { items: [], entry: 1234 } });
    chargeAnswered(chargeTapped(sale, false)!.idempotencyKey, 'inv1');
    invoicePaid('other');
    expect(useSaleStore.getState().charge?.invoiceId).toBe('inv1');
    invoicePaid('inv1');
    expect(useSaleStore.getState()).toMatchObject({ keypad: emptyKeypad, charge: null });
  });

  it('drops what does not parse from storage (an old version, a hand edit)', async () => {
    localStorage.setItem('pos-sale', JSON.stringify({ state: { keypad: { items: [-1], entry: 'x' }, memo: 3, charge: null }, version: 1 }));
    await useSaleStore.persist.rehydrate();
    expect(useSaleStore.getState().keypad).toEqual(emptyKeypad);
  });
});
