/**
 * The provider contract: what every provider must do for the POS, written once and run against
 * every adapter in every mode of its fake (test-support/modes.ts) — the demo wallet, LNbits on
 * SQLite and on PostgreSQL 1.4, BTCPay 1.x, 2.0 and 2.4 with lazy payment methods, and Strike.
 * Only the HTTP API and the fakes' controls are used; every answer is parsed with the contract's
 * schemas. What is particular to one vendor is tested beside its adapter.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorBody, Invoice, MANAGER_AS_CASHIER, Session } from '../../contract/api';
import { Cashup, History, PaymentsPage, Shift } from '../../contract/reports';
import { amountSatsOf, decodePaymentRequest } from '../bolt11';
import { cashierIdOf } from '../staff';
import { MemoryStore } from '../store';
import { cashier, type CallResult, type ProviderProxy } from '../test-support/harness';
import { MODES, type ModeRun, type ProviderMode } from '../test-support/modes';
import { z } from '../zod';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const at = (ms: number) => vi.setSystemTime(T0 + ms);
const TODAY = '2026-11-22';

const invoiceOf = (res: CallResult) => {
  expect(res.status, res.text).toBeLessThan(300);
  return z.parse(Invoice, res.body);
};
const errorOf = (res: CallResult) => z.parse(ErrorBody, res.body).error;

async function manager(proxy: ProviderProxy) {
  const token = await proxy.login('manager');
  return {
    payments: async (query = '') => z.parse(PaymentsPage, (await proxy.call('GET', `/api/payments${query}`, { token })).body),
    history: async (query = '') => z.parse(History, (await proxy.call('GET', `/api/history${query}`, { token })).body),
    cashup: async (date = TODAY) => z.parse(Cashup, (await proxy.call('GET', `/api/cashup?date=${date}`, { token })).body),
  };
}

const ids = (page: { data: { id: string }[] }) => page.data.map((invoice) => invoice.id);

/** A shop with named cashiers, each with a PIN of their own. */
const STAFF = { POS_CASHIER_PIN: '', POS_CASHIERS: 'Alice:2468,Bob:1357' };
const ALICE = { id: cashierIdOf('Alice'), name: 'Alice' };
const BOB = { id: cashierIdOf('Bob'), name: 'Bob' };

/** A named cashier's session on the proxy's test tablet: they type their own PIN. */
async function cashierByPin(proxy: ProviderProxy, pin: string) {
  const token = z.parse(Session, (await proxy.unlock(pin)).body).token;
  return {
    create: async (body: unknown) => invoiceOf(await proxy.call('POST', '/api/invoices', { token, body })),
    shift: async (query = '') => proxy.call('GET', `/api/shift${query}`, { token }),
  };
}

describe.each(MODES)('Provider contract: $name', (mode: ProviderMode) => {
  let run: ModeRun;
  const start = async (options: Parameters<ProviderMode['start']>[0] = {}) => {
    run = await mode.start(options);
    return run;
  };
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: T0 }));
  afterEach(async () => {
    await run?.close();
    vi.useRealTimers();
  });

  it('create → pending → paid: the BOLT11 says what the API says, and the sale is dated when it was paid', async () => {
    const { proxy, pay } = await start();
    const { create, read } = await cashier(proxy);
    const created = await create({ amount: 1234, currency: 'USD', memo: '2 coffees', tip: 100 }, 'contract-sale-1');
    expect(created.status).toBe(201);
    const invoice = invoiceOf(created);
    expect(invoice).toMatchObject({ status: 'pending', amount: 1234, tip: 100, currency: 'USD', memo: '2 coffees', paidAt: null });
    const bolt11 = decodePaymentRequest(invoice.paymentRequest);
    expect(invoice.amountSats).toBe(amountSatsOf(bolt11));
    expect(invoice.amountSats).toBeGreaterThanOrEqual(13_340);
    expect(invoice.paymentHash).toBe(bolt11.paymentHash);
    expect(Date.parse(invoice.expiresAt)).toBe(bolt11.expiresAt);

    at(1_000);
    expect(invoiceOf(await read(invoice.id)).status).toBe('pending');
    at(5_000);
    await pay(invoice.id);
    // Nobody looked until much later: the sale is still dated when the money arrived.
    at(100_000);
    const paid = invoiceOf(await read(invoice.id));
    expect(paid).toMatchObject({ status: 'paid', amount: 1234, tip: 100 });
    expect(paid.paidAt).toBe(new Date(T0 + 5_000).toISOString());
  });

  it('expiry: an unpaid sale past its time reads expired, and the expired list finds it', async () => {
    const { proxy } = await start();
    const { create, read } = await cashier(proxy);
    const invoice = invoiceOf(await create({ amount: 500, currency: 'USD' }));
    at(700_000);
    expect(invoiceOf(await read(invoice.id)).status).toBe('expired');
    const reports = await manager(proxy);
    expect(ids(await reports.payments('?status=expired'))).toEqual([invoice.id]);
    expect(ids(await reports.payments('?status=pending'))).toEqual([]);
    expect((await reports.cashup()).totals.expired.count).toBe(1);
  });

  it('cancel: a pending sale is cancelled and listed so; a paid one answers 409 and stays paid', async () => {
    const { proxy, pay } = await start();
    const { create, read, cancel } = await cashier(proxy);
    const first = invoiceOf(await create({ amount: 500, currency: 'USD' }));
    expect(invoiceOf(await cancel(first.id)).status).toBe('cancelled');
    at(2_000);
    expect(invoiceOf(await read(first.id)).status).toBe('cancelled');
    expect(ids(await (await manager(proxy)).payments('?status=cancelled'))).toEqual([first.id]);

    const second = invoiceOf(await create({ amount: 600, currency: 'USD' }));
    await pay(second.id);
    at(4_000);
    const refused = await cancel(second.id);
    expect(refused.status).toBe(409);
    expect(errorOf(refused).code).toBe('conflict');
    expect(invoiceOf(await read(second.id)).status).toBe('paid');
  });

  it(mode.revokesOnCancel ? 'a cancelled sale cannot be paid any more' : 'money that arrives after Cancel is a sale, everywhere', async () => {
    const { proxy, pay } = await start();
    const { create, read, cancel } = await cashier(proxy);
    const invoice = invoiceOf(await create({ amount: 700, currency: 'USD', tip: 50 }));
    expect(invoiceOf(await cancel(invoice.id)).status).toBe('cancelled');
    at(5_000);
    if (mode.revokesOnCancel) {
      await expect(pay(invoice.id)).rejects.toThrow();
      at(30_000);
      expect(invoiceOf(await read(invoice.id)).status).toBe('cancelled');
      return;
    }
    // The QR was still on a phone; the customer paid it after all.
    await pay(invoice.id);
    at(30_000);
    expect(invoiceOf(await read(invoice.id))).toMatchObject({ status: 'paid', paidAt: new Date(T0 + 5_000).toISOString() });
    const reports = await manager(proxy);
    expect(ids(await reports.payments('?status=paid'))).toEqual([invoice.id]);
    expect((await reports.history()).data).toEqual([{ date: TODAY, count: 1, amountSats: invoice.amountSats, amount: 700, tip: 50 }]);
    expect((await reports.cashup()).totals.paid).toMatchObject({ count: 1, amount: 700, tip: 50 });
  });

  it('lists, history and cash-up count this POS’s sales only, whatever else the provider holds', async () => {
    const { proxy, pay, addForeign, requests } = await start();
    const { create } = await cashier(proxy);
    at(5 * 60_000);
    const paid = invoiceOf(await create({ amount: 1000, currency: 'USD', tip: 100 }));
    await pay(paid.id);
    at(6 * 60_000);
    const open = invoiceOf(await create({ amount: 300, currency: 'USD' }));
    await addForeign();
    at(7 * 60_000);
    const reports = await manager(proxy);
    const before = requests().length;
    const page = await reports.payments();
    expect(page.total).toBe(2);
    expect(ids(page)).toEqual([open.id, paid.id]);
    expect((await reports.history()).data).toEqual([{ date: TODAY, count: 1, amountSats: paid.amountSats, amount: 1000, tip: 100 }]);
    const day = await reports.cashup();
    expect(day.totals.paid).toMatchObject({ count: 1, amount: 1000, tip: 100 });
    expect(day.totals.pending.count).toBe(1);
    expect(day.payments.map((i) => i.id).sort()).toEqual([open.id, paid.id].sort());
    // Reports read; they never make anything at the provider (a payment method, an invoice).
    expect(requests().slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('attribution: each sale keeps its cashier at the provider; a proxy on an empty store reads it back by cashier', async () => {
    const { proxy, pay, another } = await start({ env: STAFF });
    const byAlice = await (await cashierByPin(proxy, '2468')).create({ amount: 1000, currency: 'USD', tip: 150, memo: 'Lunch' });
    expect(byAlice.cashier).toEqual(ALICE);
    at(2_000);
    // Lock, and the next cashier types their PIN on the same tablet (Alice's session ends).
    const bob = await cashierByPin(proxy, '1357');
    const byBob = await bob.create({ amount: 500, currency: 'USD' });
    expect(byBob.cashier).toEqual(BOB);
    at(4_000);
    const bobsOpen = await bob.create({ amount: 700, currency: 'USD' });
    const byManager = invoiceOf(await (await cashier(proxy, 'manager')).create({ amount: 200, currency: 'USD' }));
    expect(byManager.cashier).toEqual(MANAGER_AS_CASHIER);
    await pay(byAlice.id);
    await pay(byBob.id);
    at(60_000);

    // A restart, or another instance: nothing of the sales is in the proxy's store (the demo
    // wallet lives in the proxy's process, so it is the same proxy there).
    const fresh = mode.provider === 'demo' ? proxy : await another({ env: STAFF, store: new MemoryStore() });
    const reports = await manager(fresh);
    const all = await reports.payments();
    const cashierOf = new Map(all.data.map((invoice) => [invoice.id, invoice.cashier]));
    expect(cashierOf.get(byAlice.id)).toEqual(ALICE);
    expect(cashierOf.get(byBob.id)).toEqual(BOB);
    expect(cashierOf.get(byManager.id)).toEqual(MANAGER_AS_CASHIER);
    expect(all.data.find((invoice) => invoice.id === byAlice.id)).toMatchObject({ amount: 1000, tip: 150, status: 'paid' });

    const bobs = await reports.payments(`?cashier=${BOB.id}`);
    expect(ids(bobs).sort()).toEqual([byBob.id, bobsOpen.id].sort());
    expect(bobs.total).toBe(2);
    expect((await reports.payments(`?cashier=${BOB.id}&status=paid`)).total).toBe(1);
    expect((await reports.payments('?cashier=none')).total).toBe(0);

    expect((await reports.cashup()).cashiers.map(({ cashier: who, count, amount, tip }) => ({ who, count, amount, tip }))).toEqual([
      { who: ALICE, count: 1, amount: 1000, tip: 150 },
      { who: BOB, count: 1, amount: 500, tip: 0 },
    ]);

    const bobsDay = z.parse(Shift, (await (await cashierByPin(fresh, '1357')).shift()).body);
    expect(bobsDay).toMatchObject({ date: TODAY, cashier: BOB, totals: { count: 1, amount: 500, tip: 0 } });
    expect(bobsDay.sales.map((invoice) => invoice.id).sort()).toEqual([byBob.id, bobsOpen.id].sort());
  });

  it('attribution: a sale made before cashiers were recorded counts as nobody’s, on a line of its own', async () => {
    const { proxy, pay } = await start({ env: STAFF });
    // What a release before attribution wrote: the sale without a cashier.
    const old = await proxy.provider.createInvoice(
      { reference: 'a-sale-before-cashiers', amount: 300, tip: 20, currency: 'USD', memo: '' },
      { signal: AbortSignal.timeout(10_000), purpose: 'checkout' },
    );
    const byAlice = await (await cashierByPin(proxy, '2468')).create({ amount: 1000, currency: 'USD' });
    await pay(old.id);
    await pay(byAlice.id);
    at(60_000);
    const reports = await manager(proxy);
    expect((await reports.payments()).data.find((invoice) => invoice.id === old.id)).toMatchObject({ amount: 300, tip: 20, cashier: null });
    expect(ids(await reports.payments('?cashier=none'))).toEqual([old.id]);
    expect(ids(await reports.payments(`?cashier=${ALICE.id}`))).toEqual([byAlice.id]);
    const split = (await reports.cashup()).cashiers;
    expect(split.map(({ cashier: who, count, amount, tip }) => ({ who, count, amount, tip }))).toEqual([
      { who: ALICE, count: 1, amount: 1000, tip: 0 },
      { who: null, count: 1, amount: 300, tip: 20 },
    ]);
  });

  it('a sale first seen paid by a report lands in its real day and hour', async () => {
    const { proxy, pay } = await start();
    const { create } = await cashier(proxy);
    at(59 * 60_000);
    const invoice = invoiceOf(await create({ amount: 450, currency: 'USD' }));
    at(59 * 60_000 + 20_000);
    await pay(invoice.id);
    // The tablet went away; the manager looks at 11:05.
    at(65 * 60_000);
    const hours = await (await manager(proxy)).history(`?group=hour&from=${TODAY}`);
    expect(hours.data).toEqual([{ date: `${TODAY}T10`, count: 1, amountSats: invoice.amountSats, amount: 450, tip: 0 }]);
  });

  it('for any amount and tip, amountSats is exactly what the BOLT11 asks, and at least the amount’s worth', async () => {
    const { proxy } = await start();
    const { create } = await cashier(proxy);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 500_000 }), fc.integer({ min: 0, max: 500 }), async (amount, tip) => {
        const invoice = invoiceOf(await create({ amount, tip, currency: 'USD' }));
        const bolt11 = decodePaymentRequest(invoice.paymentRequest);
        expect(invoice).toMatchObject({ amount, tip, amountSats: amountSatsOf(bolt11), paymentHash: bolt11.paymentHash });
        // Every provider here prices 1 BTC at $100,000 (1,000 sats a dollar); LNbits truncates to whole sats.
        expect(invoice.amountSats).toBeGreaterThanOrEqual((amount + tip) * 10 - (mode.provider === 'lnbits' ? 1 : 0));
      }),
      { numRuns: 4 },
    );
  });

  it('amounts: more than 10,000,000 sats is refused and nothing payable is left; exactly that is made', async () => {
    const { proxy } = await start();
    const { create } = await cashier(proxy);
    expect((await create({ amount: 10_000_001, currency: 'SAT' })).status).toBe(400);
    expect(invoiceOf(await create({ amount: 10_000_000, currency: 'SAT' })).amountSats).toBe(10_000_000);
    // Without a price yet (BTCPay with a least-privilege key), the provider's invoice is checked and cancelled.
    expect((await create({ amount: 1_000_001, currency: 'USD' })).status).toBe(400);
    expect(invoiceOf(await create({ amount: 1_000_000, currency: 'USD' })).amountSats).toBe(10_000_000);
    expect((await (await manager(proxy)).payments('?status=pending')).total).toBe(2);
  });

  it('ids the POS never made cost the provider at most a few reads, and answer 404', async () => {
    const { proxy, requests, madeUpId } = await start();
    const { read } = await cashier(proxy);
    const before = requests().length;
    for (let i = 0; i < 30; i++) {
      const res = await read(madeUpId());
      expect(res.status).toBe(404);
      expect(errorOf(res).code).toBe('not_found');
    }
    expect(requests().length - before).toBeLessThanOrEqual(5);
  });

  describe.runIf(mode.faults)('a provider in trouble', () => {
    it.each([
      ['error', 503, 'provider_unavailable'],
      ['unavailable', 503, 'provider_unavailable'],
      ['rate-limited', 503, 'provider_unavailable'],
      ['garbage', 502, 'provider_error'],
      ['hang', 504, 'provider_timeout'],
    ] as const)('create while it answers %s: %i %s with its name, then the same key makes one sale', async (fault, status, code) => {
      const { proxy, invoiceCount, fault: setFault } = await start({ timeoutMs: 500 });
      const { create } = await cashier(proxy);
      setFault({ mode: fault, scope: 'create' });
      const failed = await create({ amount: 250, currency: 'USD' }, `fault-${fault}`);
      expect(failed.status).toBe(status);
      expect(errorOf(failed)).toMatchObject({ code });
      expect(errorOf(failed).message).toMatch(/LNbits|Strike|BTCPay/);
      setFault({ mode: 'none' });
      at(61_000); // past any pause a 429 asked for
      const retried = await create({ amount: 250, currency: 'USD' }, `fault-${fault}`);
      expect(invoiceOf(retried).status).toBe('pending');
      expect(invoiceCount()).toBe(1);
    });

    it('a lost create response: the retry finds the sale instead of making a second', async () => {
      const { proxy, invoiceCount, fault } = await start();
      const { create } = await cashier(proxy);
      fault({ mode: 'drop', scope: 'create', times: 1 });
      const first = await create({ amount: 900, currency: 'USD', memo: 'Lost' }, 'lost-1');
      const again = first.status === 201 ? first : await create({ amount: 900, currency: 'USD', memo: 'Lost' }, 'lost-1');
      expect(invoiceOf(again)).toMatchObject({ amount: 900, memo: 'Lost', status: 'pending' });
      expect(invoiceCount()).toBe(1);
    });

    it('reads held back (429) while the sale is paid: never expired on the way, paid once reads resume', async () => {
      const { proxy, pay, fault } = await start();
      const { create, read } = await cashier(proxy);
      const invoice = invoiceOf(await create({ amount: 800, currency: 'USD' }));
      at(1_000);
      await read(invoice.id);
      fault({ mode: 'rate-limited', scope: 'read' });
      at(5_000);
      await pay(invoice.id);
      for (const ms of [10_000, 40_000, Date.parse(invoice.expiresAt) - T0 + 1_000, 650_000]) {
        at(ms);
        const res = await read(invoice.id);
        if (res.status === 200) expect(invoiceOf(res).status, `at ${ms} ms`).not.toBe('expired');
        else expect(errorOf(res).code).toBe('provider_unavailable');
      }
      fault({ mode: 'none' });
      at(720_000);
      expect(invoiceOf(await read(invoice.id)).status).toBe('paid');
    });
  });

  describe.runIf(mode.webhooks)('webhooks', () => {
    it('a verified webhook makes the next poll see paid at once; its replay reads nothing more', async () => {
      const { proxy, pay, requests, redeliverLast } = await start({ webhooks: true });
      const { create, read } = await cashier(proxy);
      const invoice = invoiceOf(await create({ amount: 500, currency: 'USD' }));
      expect(invoiceOf(await read(invoice.id)).status).toBe('pending');
      await pay(invoice.id);
      // No time has passed: only the webhook can have made the proxy read again.
      expect(invoiceOf(await read(invoice.id)).status).toBe('paid');
      const reads = requests().filter((r) => r.method === 'GET').length;
      await redeliverLast();
      expect(requests().filter((r) => r.method === 'GET').length).toBe(reads);
    });

    it('a webhook without a valid signature or token is refused and reads nothing', async () => {
      const { proxy, requests, quiet } = await start({ webhooks: true });
      const { create } = await cashier(proxy);
      await create({ amount: 500, currency: 'USD' });
      await quiet(); // BTCPay tells of the new invoice, and the proxy reads it
      const before = requests().length;
      const forged = await proxy.call('POST', `/api/webhooks/${mode.provider}?ref=x&token=${'0'.repeat(64)}`, {
        body: { invoiceId: 'x', deliveryId: 'd', type: 'InvoiceSettled', timestamp: Math.floor(T0 / 1000), id: 'e', eventType: 'invoice.updated' },
        headers: { 'X-Webhook-Signature': '00'.repeat(32), 'BTCPay-Sig': `sha256=${'00'.repeat(32)}` },
      });
      expect(forged.status).toBe(401);
      expect(errorOf(forged).code).toBe('invalid_signature');
      expect(requests().length).toBe(before);
    });
  });
});
