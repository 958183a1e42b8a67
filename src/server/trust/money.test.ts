/**
 * A manager's day on the set-ups that broke reports: LNbits 1.4 on PostgreSQL (500 on any time
 * filter, expired invoices turned failed, the wallet's other payments) and a BTCPay store with
 * lazy payment methods holding the store's other business, an archived sale, a sale paid after
 * Cancel and one paid after its expiry. The payments list, the history and the cash-up must say
 * exactly what was sold. (docs/providers.md, "Measured", records how long each answer took:
 * `MEASURE=1 npx vitest run src/server/trust/money.test.ts` prints the figures.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeBtcpay, type FakeBtcpay } from '../../../e2e/fakes/btcpay';
import { listen, type RunningFake } from '../../../e2e/fakes/common';
import { createFakeLnbits, type FakeLnbits } from '../../../e2e/fakes/lnbits';
import { Invoice } from '../../contract/api';
import { Cashup, History, PaymentsPage } from '../../contract/reports';
import { cashier, providerProxy, type CallResult, type ProviderProxy } from '../test-support/harness';
import { btcpayEnv } from '../test-support/modes';
import { z } from '../zod';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const TODAY = '2026-11-22';
const at = (ms: number) => vi.setSystemTime(T0 + ms);

/** How long every API answer of a case took (wall clock), printed with MEASURE=1. */
const timings: { what: string; ms: number }[] = [];

function timed(proxy: ProviderProxy): ProviderProxy {
  return {
    ...proxy,
    call: async (method, path, options) => {
      const started = performance.now();
      try {
        return await proxy.call(method, path, options);
      } finally {
        timings.push({ what: `${method} ${path.replace(/[A-Za-z0-9]{20,}/g, ':id')}`, ms: performance.now() - started });
      }
    },
  };
}

const invoiceOf = (res: CallResult) => {
  expect(res.status, res.text).toBeLessThan(300);
  return z.parse(Invoice, res.body);
};

async function reports(proxy: ProviderProxy) {
  const token = await proxy.login('manager');
  const get = async (path: string) => {
    const res = await proxy.call('GET', path, { token });
    expect(res.status, `${path}: ${res.text}`).toBe(200);
    return res.body;
  };
  return {
    payments: async (query = '') => z.parse(PaymentsPage, await get(`/api/payments?limit=100${query}`)),
    history: async (query = '') => z.parse(History, await get(`/api/history${query}`)),
    cashup: async () => z.parse(Cashup, await get(`/api/cashup?date=${TODAY}`)),
  };
}

const sorted = (ids: string[]) => [...ids].sort();
const idsOf = (page: { data: { id: string }[] }) => sorted(page.data.map((i) => i.id));

let server: RunningFake | undefined;
beforeEach(() => {
  timings.length = 0;
  vi.useFakeTimers({ toFake: ['Date'], now: T0 });
});
afterEach(async (context) => {
  await server?.close();
  server = undefined;
  vi.useRealTimers();
  if (process.env.MEASURE && timings.length) {
    const ms = timings.map((t) => t.ms).sort((a, b) => a - b);
    const slowest = timings.reduce((a, b) => (b.ms > a.ms ? b : a));
    console.log(
      `${context.task.name}: ${timings.length} API answers, median ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms, ` +
        `slowest ${slowest.ms.toFixed(1)} ms (${slowest.what})`,
    );
  }
});

describe('A manager’s day', () => {
  it('LNbits 1.4 on PostgreSQL: paid, paid after Cancel, expired (LNbits: failed), open; the wallet’s other payments left out', async () => {
    const fake: FakeLnbits = createFakeLnbits({ version: '1.4.0', database: 'postgres' });
    server = await listen(fake.app);
    const proxy = timed(
      providerProxy({ POS_PROVIDER: 'lnbits', POS_CASHIER_PIN: '1234', POS_MANAGER_PIN: '999999', LNBITS_URL: server.url, LNBITS_INVOICE_KEY: fake.invoiceKey }),
    );
    await proxy.ready;
    const { create, read, cancel } = await cashier(proxy);

    const paid = invoiceOf(await create({ amount: 1000, currency: 'USD', tip: 100 }));
    const paidAfterCancel = invoiceOf(await create({ amount: 500, currency: 'USD' }));
    const expired = invoiceOf(await create({ amount: 300, currency: 'USD' }));
    at(60_000);
    await fake.settle(paid.id);
    expect(invoiceOf(await cancel(paidAfterCancel.id)).status).toBe('cancelled');
    at(180_000);
    await fake.settle(paidAfterCancel.id); // the QR was still on the customer's phone
    fake.addExternalPayment({ amountMsat: 42_000_000, memo: 'LNURL tip jar', tag: 'lnurlp' });
    fake.addExternalPayment({ amountMsat: 5_000_000, direction: 'out', memo: 'paid a supplier' });
    at(30 * 60_000);
    // LNbits turns the expired invoice failed when it is next read; the POS still calls it expired.
    expect(invoiceOf(await read(expired.id)).status).toBe('expired');
    expect(fake.payments().find((p) => p.paymentHash === expired.id)?.status).toBe('failed');
    const open = invoiceOf(await create({ amount: 200, currency: 'USD' }));
    at(31 * 60_000);

    const manager = await reports(proxy);
    const all = await manager.payments();
    expect(all.total).toBe(4);
    expect(idsOf(all)).toEqual(sorted([paid.id, paidAfterCancel.id, expired.id, open.id]));
    expect(idsOf(await manager.payments('&status=paid'))).toEqual(sorted([paid.id, paidAfterCancel.id]));
    expect(idsOf(await manager.payments('&status=expired'))).toEqual([expired.id]);
    expect((await manager.history()).data).toEqual([
      { date: TODAY, count: 2, amountSats: paid.amountSats + paidAfterCancel.amountSats, amount: 1500, tip: 100 },
    ]);
    const day = await manager.cashup();
    expect(day.totals.paid).toMatchObject({ count: 2, amount: 1500, tip: 100 });
    expect(day.totals.expired.count).toBe(1);
    expect(day.totals.pending.count).toBe(1);
    expect(day.totals.cancelled.count).toBe(0);
    // Not one request with a time filter reached this server (it answers them 500).
    expect(fake.control.requests.filter((r) => r.path.includes('time'))).toEqual([]);
  });

  describe.each(['2.0.0', '2.4.1'])('BTCPay %s with lazy payment methods', (version) => {
    let fake: FakeBtcpay;
    afterEach(() => {
      expect(fake.schemaViolations()).toEqual([]);
      fake.dispose();
    });

    it('paid, paid after Cancel, paid after expiry, archived, expired, open; the store’s other business left out', async () => {
      fake = createFakeBtcpay({
        version,
        lazyPaymentMethods: true,
        permissions: ['btcpay.store.cancreateinvoice', 'btcpay.store.canviewinvoices', 'btcpay.store.canmodifyinvoices'],
      });
      server = await listen(fake.app);
      const proxy = timed(providerProxy(btcpayEnv(fake, server.url)));
      await proxy.ready;
      const { create, read, cancel } = await cashier(proxy);

      const paid = invoiceOf(await create({ amount: 1000, currency: 'USD', tip: 100 }));
      const paidAfterCancel = invoiceOf(await create({ amount: 500, currency: 'USD' }));
      const paidLate = invoiceOf(await create({ amount: 400, currency: 'USD' }));
      const expired = invoiceOf(await create({ amount: 300, currency: 'USD' }));
      at(60_000);
      await fake.pay(paid.id);
      expect(invoiceOf(await cancel(paidAfterCancel.id)).status).toBe('cancelled');
      at(180_000);
      await fake.pay(paidAfterCancel.id);
      at(200_000);
      const archived = invoiceOf(await create({ amount: 800, currency: 'USD' }));
      await fake.pay(archived.id);
      fake.archive(archived.id);
      at(620_000);
      await fake.pay(paidLate.id);
      // The store's own business: on-chain only, a LNURL prompt, its PoS app (paid), a payment
      // request; with lazy payment methods the Lightning ones have no destination yet.
      const foreign = (['onchain', 'lnurl', 'pos-app', 'payment-request'] as const).map((kind) => fake.addForeign(kind));
      await fake.pay(foreign[2]!);
      at(30 * 60_000);
      const open = invoiceOf(await create({ amount: 200, currency: 'USD' }));
      expect(open.paymentRequest).toMatch(/^lnbc/);
      at(31 * 60_000);
      expect(invoiceOf(await read(paidAfterCancel.id)).status).toBe('paid');

      const manager = await reports(proxy);
      const before = fake.control.requests.length;
      const all = await manager.payments();
      expect(all.total).toBe(6);
      expect(idsOf(all)).toEqual(sorted([paid.id, paidAfterCancel.id, paidLate.id, expired.id, archived.id, open.id]));
      const paidIds = sorted([paid.id, paidAfterCancel.id, paidLate.id, archived.id]);
      expect(idsOf(await manager.payments('&status=paid'))).toEqual(paidIds);
      expect(idsOf(await manager.payments('&status=expired'))).toEqual([expired.id]);
      expect(idsOf(await manager.payments('&status=cancelled'))).toEqual([]);
      const sats = [paid, paidAfterCancel, paidLate, archived].reduce((sum, i) => sum + i.amountSats, 0);
      expect((await manager.history()).data).toEqual([{ date: TODAY, count: 4, amountSats: sats, amount: 2700, tip: 100 }]);
      // Each sale in the hour it was paid: all before 11:00 here.
      expect((await manager.history(`?group=hour&from=${TODAY}`)).data).toEqual([{ date: `${TODAY}T10`, count: 4, amountSats: sats, amount: 2700, tip: 100 }]);
      const day = await manager.cashup();
      expect(day.totals.paid).toMatchObject({ count: 4, amount: 2700, tip: 100 });
      expect(day.totals.expired.count).toBe(1);
      expect(day.totals.pending.count).toBe(1);
      expect(day.totals.cancelled.count).toBe(0);
      expect(sorted(day.payments.map((i) => i.id))).toEqual(idsOf(all));
      // Reports only read: nothing activated, nothing made for the store's other invoices.
      expect(fake.control.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
    });
  });
});
