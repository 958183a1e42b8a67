import { describe, expect, it } from 'vitest';
import { RESUME_WINDOW_MS, step, type Charge, type ChargeEvent } from './rules';

const T = 1_800_000_000_000;
const sale = { amount: 1234, currency: 'USD', memo: '2 coffees' };
const withTip = { ...sale, tip: 185 };

const onItsWay: Charge = { idempotencyKey: 'k1', request: sale, invoiceId: null, startedAt: T, failed: false };
const failed: Charge = { ...onItsWay, failed: true };
const invoiced: Charge = { ...onItsWay, invoiceId: 'inv1' };

type Row = [name: string, before: Charge | null, event: ChargeEvent, after: Partial<Charge> | null, sends: 'k1' | 'k2' | null, extra?: { clearSale?: boolean; refused?: boolean; parked?: boolean }];

const tap = (request = sale, inFlight = false, now = T + 1000): ChargeEvent => ({ type: 'tapped', request, now, newKey: 'k2', inFlight });

const table: Row[] = [
  // Charge
  ['first tap: a new attempt with a new key, sent', null, tap(), { idempotencyKey: 'k2', invoiceId: null }, 'k2'],
  ['double tap: the second tap while the first is on its way sends nothing', onItsWay, tap(sale, true), { idempotencyKey: 'k1' }, null],
  ['tap on a sale that has its invoice: nothing sent', invoiced, tap(), { invoiceId: 'inv1' }, null, { refused: true }],
  ['a tip makes it another request: a new key', onItsWay, tap(withTip), { idempotencyKey: 'k2', request: withTip }, 'k2'],
  // Lost answer
  ['lost answer (network): the attempt keeps its key, marked failed', onItsWay, { type: 'failed', key: 'k1', transient: true, leavingPage: false }, { idempotencyKey: 'k1', failed: true }, null],
  ['the retry after a lost answer reuses the key', failed, tap(), { idempotencyKey: 'k1', failed: false }, 'k1'],
  ['a refusal (4xx) drops the attempt: the next tap starts anew', onItsWay, { type: 'failed', key: 'k1', transient: false, leavingPage: false }, null, null],
  ['an abort because the page is leaving is not a failure', onItsWay, { type: 'failed', key: 'k1', transient: true, leavingPage: true }, { failed: false }, null],
  ['a failure of an attempt already replaced changes nothing', onItsWay, { type: 'failed', key: 'old', transient: false, leavingPage: false }, { idempotencyKey: 'k1' }, null],
  ['the answer records the invoice', onItsWay, { type: 'answered', key: 'k1', invoiceId: 'inv1' }, { invoiceId: 'inv1' }, null],
  ['a late answer for another attempt is ignored', onItsWay, { type: 'answered', key: 'old', invoiceId: 'inv0' }, { invoiceId: null }, null],
  // Reload
  ['reload mid-charge: the attempt on its way is re-sent with its key', onItsWay, { type: 'resumed', now: T + 5000, inFlight: false }, { idempotencyKey: 'k1' }, 'k1'],
  ['reload after a failure the cashier saw: nothing is sent by itself', failed, { type: 'resumed', now: T + 5000, inFlight: false }, { failed: true }, null],
  ['reload with the invoice known: nothing to send (the checkout shows it)', invoiced, { type: 'resumed', now: T + 5000, inFlight: false }, { invoiceId: 'inv1' }, null],
  ['resume window: just inside it, re-sent', onItsWay, { type: 'resumed', now: T + RESUME_WINDOW_MS - 1, inFlight: false }, {}, 'k1'],
  ['resume window: past it, left for the cashier to tap', onItsWay, { type: 'resumed', now: T + RESUME_WINDOW_MS, inFlight: false }, { idempotencyKey: 'k1' }, null],
  ['past the window, the tap re-sends with the same key', onItsWay, tap(sale, false, T + RESUME_WINDOW_MS + 1), { idempotencyKey: 'k1' }, 'k1'],
  ['resume while this tab is already sending: nothing twice', onItsWay, { type: 'resumed', now: T + 10, inFlight: true }, {}, null],
  // Expiry
  ['new attempt after expiry: always a new key', invoiced, { type: 'newInvoice', request: sale, now: T + 700_000, newKey: 'k2' }, { idempotencyKey: 'k2', invoiceId: null }, 'k2'],
  // Editing
  ['typing drops an attempt without invoice (the sale changed)', failed, { type: 'edited' }, null, null],
  ['typing while the sale has its invoice is refused', invoiced, { type: 'edited' }, { invoiceId: 'inv1' }, null, { refused: true }],
  // Cancel, park, back, paid
  ['cancel: back to the keypad with the amount', invoiced, { type: 'left', invoiceId: 'inv1', status: 'cancelled' }, null, null, { clearSale: false }],
  ['back from expired: the amount stays on the keypad', invoiced, { type: 'left', invoiceId: 'inv1', status: 'expired' }, null, null, { clearSale: false }],
  ['park (Sell while pending): the keypad is freed, the invoice stays watched elsewhere', invoiced, { type: 'left', invoiceId: 'inv1', status: 'pending' }, null, null, { clearSale: true, parked: true }],
  ['leaving before the status is known parks too', invoiced, { type: 'left', invoiceId: 'inv1', status: undefined }, null, null, { clearSale: true, parked: true }],
  ['leaving another invoice’s checkout leaves this sale alone', invoiced, { type: 'left', invoiceId: 'other', status: 'pending' }, { invoiceId: 'inv1' }, null, { clearSale: false }],
  ['paid: a fresh keypad', invoiced, { type: 'paid', invoiceId: 'inv1' }, null, null, { clearSale: true }],
  ['another invoice paid (a recent sale): this sale goes on', invoiced, { type: 'paid', invoiceId: 'other' }, { invoiceId: 'inv1' }, null, { clearSale: false }],
];

describe('the charge attempt', () => {
  it.each(table)('%s', (_name, before, event, after, sends, extra = {}) => {
    const result = step(before, event);
    if (after === null) expect(result.charge).toBeNull();
    else expect(result.charge).toMatchObject(after);
    expect(result.send?.idempotencyKey ?? null).toBe(sends);
    if (result.send) expect(result.send).toBe(result.charge); // what is sent is what is remembered
    expect(result.clearSale).toBe(extra.clearSale ?? false);
    expect(result.refused).toBe(extra.refused ?? false);
    expect(result.parked).toBe(extra.parked ?? false);
  });

  it('never sends two keys for one sale however the taps, failures and reloads interleave', () => {
    // Every sequence of these events must send at most one key until the sale is refused or changed.
    const events: ChargeEvent[] = [
      tap(),
      tap(sale, true),
      { type: 'failed', key: 'k2', transient: true, leavingPage: false },
      { type: 'failed', key: 'k2', transient: true, leavingPage: true },
      { type: 'resumed', now: T + 2000, inFlight: false },
      { type: 'answered', key: 'k2', invoiceId: 'inv9' },
    ];
    const sequences = (length: number): ChargeEvent[][] =>
      length === 0 ? [[]] : sequences(length - 1).flatMap((rest) => events.map((event) => [event, ...rest]));
    for (const sequence of sequences(4)) {
      let charge: Charge | null = null;
      const keys = new Set<string>();
      for (const event of sequence) {
        const result = step(charge, event);
        charge = result.charge;
        if (result.send) keys.add(result.send.idempotencyKey);
      }
      expect(keys.size).toBeLessThanOrEqual(1);
    }
  });
});
