/**
 * Every sale carries its cashier, kept with the invoice *at the provider*: through each adapter
 * and its fake (demo, LNbits, Strike, BTCPay) a sale made by one cashier reads back as theirs in a
 * proxy started afresh on an empty store (a restart, or another instance), in the payments list,
 * its cashier filter, the cash-up split by cashier and each cashier's own shift.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeBtcpay, type FakeBtcpay } from '../../e2e/fakes/btcpay';
import { listen, type RunningFake } from '../../e2e/fakes/common';
import { createFakeLnbits, type FakeLnbits } from '../../e2e/fakes/lnbits';
import { createFakeStrike, type FakeStrike } from '../../e2e/fakes/strike';
import type { Invoice } from '../contract/api';
import { MemoryStore, type KeyValueStore } from './store';
import { cashierIdOf } from './staff';
import { providerProxy, type ProviderProxy } from './test-support/harness';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const STAFF = { POS_CASHIERS: 'Alice:2468,Bob:1357', POS_MANAGER_PIN: '975310', POS_SESSION_SECRET: 'attribution-session-secret-0123456789' };
const ALICE = { id: cashierIdOf('Alice'), name: 'Alice' };
const BOB = { id: cashierIdOf('Bob'), name: 'Bob' };

interface Rig {
  env: Record<string, string>;
  /** The customer pays. */
  pay(proxy: ProviderProxy, id: string): Promise<void>;
  /** What the provider itself keeps of the sale's cashier. */
  kept(id: string): unknown;
  close(): Promise<void>;
}

async function demoRig(): Promise<Rig> {
  return {
    env: { POS_PROVIDER: 'demo' },
    pay: async (proxy, id) => void (proxy as ProviderProxy & { demo: { pay(id: string): unknown } }).demo.pay(id),
    kept: () => null,
    close: async () => {},
  };
}

async function lnbitsRig(): Promise<Rig> {
  const fake: FakeLnbits = createFakeLnbits({ btcPrices: { USD: 100_000 } });
  const server: RunningFake = await listen(fake.app);
  return {
    env: { POS_PROVIDER: 'lnbits', LNBITS_URL: server.url, LNBITS_INVOICE_KEY: fake.invoiceKey },
    pay: (_, id) => fake.settle(id),
    kept: (id) => (fake.payments().find((p) => p.paymentHash === id)?.extra.pos as { cashier?: unknown } | undefined)?.cashier,
    close: () => server.close(),
  };
}

async function strikeRig(): Promise<Rig> {
  const fake: FakeStrike = createFakeStrike({ btcPrices: { USD: 100_000 } });
  const server: RunningFake = await listen(fake.app);
  return {
    env: { POS_PROVIDER: 'strike', STRIKE_API_URL: server.url, STRIKE_API_KEY: fake.apiKey },
    pay: (_, id) => fake.pay(id),
    kept: (id) => fake.invoices().find((i) => i.invoiceId === id)?.correlationId,
    close: () => server.close(),
  };
}

async function btcpayRig(): Promise<Rig> {
  const fake: FakeBtcpay = createFakeBtcpay({ permissions: ['btcpay.store.cancreateinvoice', 'btcpay.store.canviewinvoices'] });
  const server: RunningFake = await listen(fake.app);
  return {
    env: { POS_PROVIDER: 'btcpay', BTCPAY_URL: server.url, BTCPAY_API_KEY: fake.apiKey, BTCPAY_STORE_ID: fake.storeId },
    pay: (_, id) => fake.pay(id),
    kept: (id) => (fake.invoices().find((i) => i.id === id)?.metadata.pos as { cashier?: unknown } | undefined)?.cashier,
    close: async () => {
      expect(fake.schemaViolations()).toEqual([]);
      fake.dispose();
      await server.close();
    },
  };
}

const rigs: [string, () => Promise<Rig>, (id: string, cashier: typeof ALICE) => unknown][] = [
  ['demo', demoRig, () => null],
  ['LNbits (extra.pos.cashier)', lnbitsRig, (_, cashier) => cashier],
  // Strike keeps 40 characters of correlationId: the cashier's id, not the name.
  ['Strike (correlationId)', strikeRig, (_, cashier) => expect.stringMatching(new RegExp(`^pos2-[0-9a-f]{16,24}-\\d+-${cashier.id}$`))],
  ['BTCPay (metadata.pos.cashier)', btcpayRig, (_, cashier) => cashier],
];

beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: T0 }));
afterEach(() => vi.useRealTimers());

describe.each(rigs)('attribution through %s', (name, makeRig, expectedKept) => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await makeRig();
  });
  afterEach(() => rig.close());

  const proxyOn = (store: KeyValueStore) => providerProxy({ ...STAFF, ...rig.env }, { store });

  async function sell(proxy: ProviderProxy, pin: string, body: Record<string, unknown>): Promise<Invoice> {
    const token = (await proxy.unlock(pin)).body.token as string;
    const created = await proxy.call('POST', '/api/invoices', { token, body });
    expect(created.status).toBe(201);
    return created.body as Invoice;
  }

  it('keeps the cashier with the sale at the provider, and reads it back after a restart', async () => {
    const counter = proxyOn(new MemoryStore());
    const byAlice = await sell(counter, '2468', { amount: 1000, currency: 'USD', tip: 150, memo: 'Lunch' });
    expect(byAlice.cashier).toEqual(ALICE);
    vi.setSystemTime(T0 + 2_000);
    const byBob = await sell(counter, '1357', { amount: 500, currency: 'USD' });
    expect(byBob.cashier).toEqual(BOB);
    vi.setSystemTime(T0 + 4_000);
    const unpaid = await sell(counter, '1357', { amount: 700, currency: 'USD' });
    await rig.pay(counter, byAlice.id);
    await rig.pay(counter, byBob.id);
    if (name !== 'demo') {
      expect(rig.kept(byAlice.id)).toEqual(expectedKept(byAlice.id, ALICE));
      expect(rig.kept(byBob.id)).toEqual(expectedKept(byBob.id, BOB));
    }
    vi.setSystemTime(T0 + 60_000);

    // The demo wallet lives in the proxy's process: its "restart" is the same wallet on a new store.
    const fresh = name === 'demo' ? counter : proxyOn(new MemoryStore());
    const manager = (await fresh.unlock('975310')).body.token as string;
    const all = await fresh.call('GET', '/api/payments', { token: manager });
    expect(all.status).toBe(200);
    const byId = new Map((all.body.data as Invoice[]).map((invoice) => [invoice.id, invoice]));
    expect(byId.get(byAlice.id)?.cashier).toEqual(ALICE);
    expect(byId.get(byBob.id)?.cashier).toEqual(BOB);
    expect(byId.get(byAlice.id)).toMatchObject({ amount: 1000, tip: 150, status: 'paid' });

    const bobs = await fresh.call('GET', `/api/payments?cashier=${BOB.id}`, { token: manager });
    expect((bobs.body.data as Invoice[]).map((i) => i.id).sort()).toEqual([byBob.id, unpaid.id].sort());
    expect(bobs.body.total).toBe(2);

    const cashup = await fresh.call('GET', '/api/cashup?date=2026-11-22', { token: manager });
    // A Strike invoice does not keep its quote: a proxy on an empty store no longer knows its sats.
    const sats = (amountSats: number) => (name.startsWith('Strike') ? 0 : amountSats);
    expect(cashup.body.cashiers).toEqual([
      { cashier: ALICE, count: 1, amount: 1000, tip: 150, amountSats: sats(11_500) },
      { cashier: BOB, count: 1, amount: 500, tip: 0, amountSats: sats(5_000) },
    ]);

    const bob = (await fresh.unlock('1357')).body.token as string;
    const shift = await fresh.call('GET', '/api/shift', { token: bob });
    expect(shift.status).toBe(200);
    expect(shift.body).toMatchObject({ date: '2026-11-22', cashier: BOB, totals: { count: 1, amount: 500, tip: 0 } });
    expect((shift.body.sales as Invoice[]).map((i) => i.id).sort()).toEqual([byBob.id, unpaid.id].sort());
  });
});

describe('Strike: what its 40-character correlationId can and cannot keep', () => {
  let rig: Rig;
  let fake: FakeStrike;
  let server: RunningFake;
  beforeEach(async () => {
    fake = createFakeStrike({ btcPrices: { USD: 100_000 } });
    server = await listen(fake.app);
    rig = {
      env: { POS_PROVIDER: 'strike', STRIKE_API_URL: server.url, STRIKE_API_KEY: fake.apiKey },
      pay: (_, id) => fake.pay(id),
      kept: () => null,
      close: () => server.close(),
    };
  });
  afterEach(() => rig.close());

  it('reads a sale from before cashiers as nobody\'s, and a retired cashier\'s by id without a name', async () => {
    // A sale of an earlier release: `pos1-<24 hex>-<tip>`, no cashier.
    const old = await fetch(`${server.url}/v1/invoices`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${fake.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ correlationId: `pos1-${'a'.repeat(24)}-25`, amount: { amount: '2.25', currency: 'USD' } }),
    });
    expect(old.status).toBe(201);
    const before = providerProxy({ ...STAFF, ...rig.env }, { store: new MemoryStore() });
    const bobToken = (await before.unlock('1357')).body.token as string;
    const bobs = (await before.call('POST', '/api/invoices', { token: bobToken, body: { amount: 300, currency: 'USD' } })).body as Invoice;
    await fake.pay(bobs.id);

    // Bob has left: the list names him no more, but his sales stay his.
    const after = providerProxy({ ...STAFF, POS_CASHIERS: 'Alice:2468', ...rig.env }, { store: new MemoryStore() });
    const manager = (await after.unlock('975310')).body.token as string;
    const listed = (await after.call('GET', '/api/payments', { token: manager })).body.data as Invoice[];
    expect(listed.find((i) => i.id === bobs.id)?.cashier).toEqual({ id: BOB.id, name: '' });
    const oldOne = listed.find((i) => i.id !== bobs.id);
    expect(oldOne).toMatchObject({ amount: 200, tip: 25, cashier: null });
    expect((await after.call('GET', `/api/payments?cashier=${BOB.id}`, { token: manager })).body.total).toBe(1);
    expect((await after.call('GET', '/api/payments?cashier=none', { token: manager })).body.data.map((i: Invoice) => i.id)).toEqual([oldOne!.id]);
  });
});
