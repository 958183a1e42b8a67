import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testProxy, type TestProxy } from '../test-support/harness';

// Sunday 22 November 2026, 11:00 in Berlin.
const NOW = Date.parse('2026-11-22T10:00:00.000Z');

beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: NOW }));
afterEach(() => vi.useRealTimers());

/** Sells on the demo wallet at a given time; `pay` settles it (optionally later). */
async function sell(proxy: TestProxy, at: string, body: Record<string, unknown>, pay: boolean | string = true) {
  vi.setSystemTime(Date.parse(at));
  // A session of that moment (a token may not be used before it was issued).
  const token = (await proxy.call('POST', '/api/session', { body: { pin: proxy.config.pins.cashier } })).body.token as string;
  const created = await proxy.call('POST', '/api/invoices', { token, body: { currency: 'USD', ...body } });
  if (pay) {
    if (typeof pay === 'string') vi.setSystemTime(Date.parse(pay));
    proxy.demo.pay(created.body.id);
  }
  vi.setSystemTime(NOW);
  return created.body as { id: string };
}

async function manager(proxy: TestProxy) {
  // Manager tokens last 30 minutes: take one at the current (fake) time.
  const res = await proxy.call('POST', '/api/session', { body: { pin: proxy.config.pins.manager } });
  const token = res.body.token as string;
  return (path: string) => proxy.call('GET', path, { token });
}

describe('manager-only', () => {
  it.each(['/api/payments', '/api/history', '/api/cashup?date=2026-11-22'])('%s: 403 for a cashier, 401 without a session', async (path) => {
    const proxy = testProxy();
    const cashier = await proxy.call('GET', path, { token: await proxy.login('cashier') });
    expect(cashier.status).toBe(403);
    expect(cashier.body.error.code).toBe('forbidden');
    expect((await proxy.call('GET', path)).status).toBe(401);
    expect((await (await manager(proxy))(path)).status).toBe(200);
  });
});

describe('GET /api/payments', () => {
  it('pages newest first with the total, and filters by status and date', async () => {
    const proxy = testProxy({ DEMO_INVOICE_EXPIRY: '600' });
    for (let i = 0; i < 5; i++) await sell(proxy, `2026-11-22T0${i}:00:00.000Z`, { amount: 100 + i }, i % 2 === 0);
    await sell(proxy, '2026-11-21T12:00:00.000Z', { amount: 999 }, false);
    const get = await manager(proxy);

    const first = await get('/api/payments?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(6);
    expect(first.body.data.map((i: { amount: number }) => i.amount)).toEqual([104, 103]);
    const second = await get('/api/payments?limit=2&offset=2');
    expect(second.body.data.map((i: { amount: number }) => i.amount)).toEqual([102, 101]);

    const paid = await get('/api/payments?status=paid');
    expect(paid.body.data.map((i: { amount: number }) => i.amount)).toEqual([104, 102, 100]);
    // Unpaid ones past their expiry read expired, in the list too.
    const expired = await get('/api/payments?status=expired');
    expect(expired.body.data.map((i: { amount: number }) => i.amount)).toEqual([103, 101, 999]);

    const today = await get(`/api/payments?from=${encodeURIComponent('2026-11-22T00:00:00.000Z')}&to=${encodeURIComponent('2026-11-22T02:00:00.000Z')}`);
    expect(today.body.data.map((i: { amount: number }) => i.amount)).toEqual([101, 100]);
    const localDay = await get('/api/payments?from=2026-11-21&to=2026-11-22');
    expect(localDay.body.data.map((i: { amount: number }) => i.amount)).toEqual([999]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['offset=-1', 'offset'],
    ['status=refunded', 'status'],
    ['from=yesterday', 'from'],
    ['from=2026-13-01', 'from'],
    ['from=2026-11-22&to=2026-11-21', 'to'],
  ])('answers 400 for %s', async (query, field) => {
    const proxy = testProxy();
    const res = await (await manager(proxy))(`/api/payments?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toHaveProperty([field]);
  });
});

describe('GET /api/history', () => {
  it('buckets paid sales by paidAt in the store’s zone: 23:30 local stays on its day', async () => {
    const proxy = testProxy({ POS_TIMEZONE: 'Europe/Berlin' });
    await sell(proxy, '2026-11-21T22:25:00.000Z', { amount: 1000, tip: 100 }, '2026-11-21T22:30:00.000Z'); // 23:30 local, 21st
    await sell(proxy, '2026-11-21T23:10:00.000Z', { amount: 500 }, '2026-11-21T23:15:00.000Z'); // 00:15 local, 22nd
    await sell(proxy, '2026-11-22T09:00:00.000Z', { amount: 250 }, false); // never paid: not counted
    await sell(proxy, '2026-11-22T09:30:00.000Z', { amount: 21_000, currency: 'SAT' }); // sats only
    const res = await (await manager(proxy))('/api/history?group=day');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      timezone: 'Europe/Berlin',
      currency: 'USD',
      group: 'day',
      data: [
        { date: '2026-11-21', count: 1, amountSats: 11_000, amount: 1000, tip: 100 },
        { date: '2026-11-22', count: 2, amountSats: 26_000, amount: 500, tip: 0 },
      ],
    });
  });

  it('groups by hour and by month, and honours from/to', async () => {
    const proxy = testProxy({ POS_TIMEZONE: 'Europe/Berlin' });
    await sell(proxy, '2026-11-22T08:10:00.000Z', { amount: 100 });
    await sell(proxy, '2026-11-22T08:50:00.000Z', { amount: 200 });
    await sell(proxy, '2026-11-22T09:10:00.000Z', { amount: 300 });
    const get = await manager(proxy);
    const hours = await get('/api/history?group=hour&from=2026-11-22');
    expect(hours.body.data.map((b: { date: string; count: number }) => [b.date, b.count])).toEqual([
      ['2026-11-22T09', 2],
      ['2026-11-22T10', 1],
    ]);
    const months = await get('/api/history?group=month');
    expect(months.body.data).toEqual([{ date: '2026-11', count: 3, amountSats: 6_000, amount: 600, tip: 0 }]);
    const window = await get(`/api/history?from=${encodeURIComponent('2026-11-22T09:00:00.000Z')}&to=${encodeURIComponent('2026-11-22T09:30:00.000Z')}`);
    expect(window.body.data).toEqual([{ date: '2026-11-22', count: 1, amountSats: 3_000, amount: 300, tip: 0 }]);
  });

  it('defaults to the last 30 local days', async () => {
    const proxy = testProxy();
    await sell(proxy, '2026-10-23T12:00:00.000Z', { amount: 100 }); // 31 days ago: out
    await sell(proxy, '2026-10-24T12:00:00.000Z', { amount: 200 }); // 29 days ago: in
    const res = await (await manager(proxy))('/api/history');
    expect(res.body.data.map((b: { date: string }) => b.date)).toEqual(['2026-10-24']);
  });

  it('answers a long range from cached closed days without asking the provider again', async () => {
    const proxy = testProxy();
    for (let day = 1; day <= 20; day++) await sell(proxy, `2026-11-${String(day).padStart(2, '0')}T12:00:00.000Z`, { amount: day });
    const spy = vi.spyOn(proxy.demo, 'listSales');
    const get = await manager(proxy);
    const first = await get('/api/history?from=2026-11-01&to=2026-11-21');
    expect(first.body.data).toHaveLength(20);
    expect(spy).toHaveBeenCalledTimes(1);
    const again = await get('/api/history?from=2026-11-01&to=2026-11-21');
    expect(again.body).toEqual(first.body);
    expect(spy).toHaveBeenCalledTimes(1); // every day of it is closed and cached
    // Today is never cached: a sale now shows at once.
    await get('/api/history?from=2026-11-01');
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it.each([['group=week'], ['from=soon'], ['from=2026-11-22&to=2026-11-22'], ['from=2020-01-01']])('answers 400 for %s', async (query) => {
    const proxy = testProxy();
    expect((await (await manager(proxy))(`/api/history?${query}`)).status).toBe(400);
  });
});

describe('GET /api/cashup', () => {
  it('sums the day by status, with tips and the first and last sale', async () => {
    const proxy = testProxy({ POS_TIMEZONE: 'Europe/Berlin', DEMO_INVOICE_EXPIRY: '600' });
    await sell(proxy, '2026-11-21T22:55:00.000Z', { amount: 100 }, '2026-11-21T23:01:00.000Z'); // made the 21st, paid the 22nd
    await sell(proxy, '2026-11-22T07:00:00.000Z', { amount: 1000, tip: 150 }, '2026-11-22T07:01:00.000Z');
    await sell(proxy, '2026-11-22T08:00:00.000Z', { amount: 21_000, currency: 'SAT' }, '2026-11-22T08:02:00.000Z');
    await sell(proxy, '2026-11-22T08:30:00.000Z', { amount: 400 }, false); // expired by now
    const cancelled = await sell(proxy, '2026-11-22T09:55:00.000Z', { amount: 300 }, false);
    await proxy.call('POST', `/api/invoices/${cancelled.id}/cancel`, { token: await proxy.login('cashier') });
    await sell(proxy, '2026-11-22T09:58:00.000Z', { amount: 50 }, false); // still pending
    await sell(proxy, '2026-11-22T23:30:00.000Z', { amount: 7 }, false); // tomorrow in Berlin
    vi.setSystemTime(NOW);

    const res = await (await manager(proxy))('/api/cashup?date=2026-11-22');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      date: '2026-11-22',
      timezone: 'Europe/Berlin',
      currency: 'USD',
      storeName: 'Demo Store',
      from: '2026-11-21T23:00:00.000Z',
      to: '2026-11-22T23:00:00.000Z',
      totals: {
        paid: { count: 3, amount: 1100, tip: 150, amountSats: 1_000 + 11_500 + 21_000 },
        pending: { count: 1, amount: 50, tip: 0, amountSats: 500 },
        expired: { count: 1, amount: 400, tip: 0, amountSats: 4_000 },
        cancelled: { count: 1, amount: 300, tip: 0, amountSats: 3_000 },
      },
      firstSaleAt: '2026-11-21T23:01:00.000Z',
      lastSaleAt: '2026-11-22T08:02:00.000Z',
    });
    expect(res.body.payments).toHaveLength(6);
  });

  it('answers 400 for a date that is not one', async () => {
    const proxy = testProxy();
    for (const query of ['', '?date=2026-02-30x', '?date=22.11.2026', '?date=2026-11-31']) {
      const res = await (await manager(proxy))(`/api/cashup${query}`);
      expect([400]).toContain(res.status);
    }
  });
});
