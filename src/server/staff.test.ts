import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';
import { configProblems } from './test-support/config';
import { UNNAMED_CASHIER_ID, type Invoice } from '../contract/api';
import { cashierIdOf } from './staff';
import { testProxy } from './test-support/harness';
import { MemoryStore } from './store';

const problems = configProblems;

const real = { POS_PROVIDER: 'lnbits', POS_MANAGER_PIN: '975310', POS_SESSION_SECRET: 's'.repeat(32), POS_SETUP_CODE: 'c'.repeat(20) };

describe('POS_CASHIERS', () => {
  it('gives every cashier a name, a PIN and an id made from the name', () => {
    const config = parseConfig({ POS_CASHIERS: ' Alice:2468 , José María:1357,Li Wei:8642' });
    expect(config.cashiers).toEqual([
      { id: cashierIdOf('Alice'), name: 'Alice', pin: '2468' },
      { id: cashierIdOf('José María'), name: 'José María', pin: '1357' },
      { id: cashierIdOf('Li Wei'), name: 'Li Wei', pin: '8642' },
    ]);
    expect(new Set(config.cashiers.map((c) => c.id)).size).toBe(3);
    expect(config.pins.cashier).toBe('2468');
    expect(config.defaultPins).toBe(false);
  });

  it('keeps a cashier\'s id when only the PIN, the case or the spacing of the name changes', () => {
    expect(cashierIdOf('alice')).toBe(cashierIdOf('Alice'));
    expect(cashierIdOf('Li  Wei ')).toBe(cashierIdOf('Li Wei'));
    const before = parseConfig({ POS_CASHIERS: 'Alice:2468' }).cashiers[0]!;
    const after = parseConfig({ POS_CASHIERS: 'Alice:9753' }).cashiers[0]!;
    expect(after.id).toBe(before.id);
    expect(cashierIdOf('Bob')).not.toBe(before.id);
  });

  it('keeps the single POS_CASHIER_PIN working as one cashier without a name', () => {
    const config = parseConfig({ ...real, POS_CASHIER_PIN: '2468' });
    expect(config.cashiers).toEqual([{ id: cashierIdOf(''), name: '', pin: '2468' }]);
    expect(parseConfig({}).cashiers).toEqual([{ id: cashierIdOf(''), name: '', pin: '1234' }]);
    expect(cashierIdOf('')).toBe(UNNAMED_CASHIER_ID); // the contract's constant is the unnamed cashier's id
  });

  it('is accepted outside the demo in place of POS_CASHIER_PIN', () => {
    expect(problems({ ...real, POS_CASHIERS: 'Alice:2468,Bob:1357' })).toEqual([]);
  });

  it.each([
    ['Alice', 'POS_CASHIERS: cashier 1 must be written Name:PIN (cashiers are separated by commas, as in Alice:2468,Bob:1357)'],
    ['Alice:2468,,Bob:1357', 'POS_CASHIERS: cashier 2 must be written Name:PIN (cashiers are separated by commas, as in Alice:2468,Bob:1357)'],
    [':2468', 'POS_CASHIERS: cashier 1 has no name before the colon'],
    [`${'A'.repeat(31)}:2468`, `POS_CASHIERS: cashier 1 (${'A'.repeat(31)}): the name must be at most 30 characters`],
    ['<b>Eve</b>:2468', "POS_CASHIERS: cashier 1 (<b>Eve</b>): the name may hold only letters, digits, spaces and . ' - (and must begin with a letter or digit)"],
    ['=HYPERLINK("x"):2468', "POS_CASHIERS: cashier 1 (=HYPERLINK(\"x\")): the name may hold only letters, digits, spaces and . ' - (and must begin with a letter or digit)"],
    ['Alice:24', 'POS_CASHIERS: cashier 1 (Alice): the PIN must be 4 to 12 digits'],
    ['Alice:abcd', 'POS_CASHIERS: cashier 1 (Alice): the PIN must be 4 to 12 digits'],
    ['Alice:9999', "POS_CASHIERS: cashier 1 (Alice): the PIN is the manager's (POS_MANAGER_PIN); every PIN must be different"],
    ['Alice:2468,alice:1357', 'POS_CASHIERS: cashiers 1 and 2 are both named alice; every cashier needs a name of their own'],
    ['Alice:2468,Bob:2468', 'POS_CASHIERS: cashiers 1 and 2 (Alice, Bob) have the same PIN; every cashier needs a PIN of their own'],
    [Array.from({ length: 51 }, (_, i) => `C${i}:${1000 + i}`).join(','), 'POS_CASHIERS: lists 51 cashiers; at most 50 are supported'],
  ])('refuses %j with one clear line', (value, problem) => {
    expect(problems({ POS_CASHIERS: value })).toEqual([problem]);
  });

  it('names every problem at once, one line each, and never prints a PIN', () => {
    const found = problems({ POS_CASHIERS: 'Alice:9999,Bob:24,Carol:5555,Dave:5555' });
    expect(found).toEqual([
      "POS_CASHIERS: cashier 1 (Alice): the PIN is the manager's (POS_MANAGER_PIN); every PIN must be different",
      'POS_CASHIERS: cashier 2 (Bob): the PIN must be 4 to 12 digits',
      'POS_CASHIERS: cashiers 3 and 4 (Carol, Dave) have the same PIN; every cashier needs a PIN of their own',
    ]);
    for (const line of found) {
      expect(line).not.toContain('\n');
      expect(line).not.toMatch(/5555|9999/);
    }
  });

  it('refuses POS_CASHIERS together with POS_CASHIER_PIN', () => {
    expect(problems({ POS_CASHIERS: 'Alice:2468', POS_CASHIER_PIN: '1357' })).toEqual([
      'POS_CASHIER_PIN: set POS_CASHIERS or POS_CASHIER_PIN, not both (with POS_CASHIERS every cashier has a PIN of their own; remove the shared one)',
    ]);
  });

  it('is required outside the demo unless POS_CASHIER_PIN is set', () => {
    expect(problems(real)).toEqual([
      "POS_CASHIERS: is required with POS_PROVIDER=lnbits (each cashier's name and PIN, as in Alice:2468,Bob:1357; or POS_CASHIER_PIN for one shared PIN)",
    ]);
  });
});

describe('cashier sessions', () => {
  const env = { POS_CASHIERS: 'Alice:2468,Bob:1357' };

  it('say who is signed in', async () => {
    const proxy = testProxy(env);
    const alice = await proxy.unlock('2468');
    expect(alice.body).toMatchObject({ role: 'cashier', cashier: { id: cashierIdOf('Alice'), name: 'Alice' } });
    const manager = await proxy.unlock('9999');
    expect(manager.body.role).toBe('manager');
    expect(manager.body.cashier).toBeUndefined();
    expect((await proxy.unlock('1234')).status).toBe(401); // the demo's shared PIN is not one of them
  });

  it('end at once when the restart took the cashier off the list, and the PIN no longer unlocks', async () => {
    const store = new MemoryStore();
    const before = testProxy(env, { store });
    const bob = (await before.unlock('1357')).body.token as string;
    const alice = (await before.unlock('2468')).body.token as string;
    expect((await before.call('GET', '/api/rate', { token: bob })).status).toBe(200);

    // The same store and secret (as after a restart, or on another instance), Bob retired.
    const after = testProxy({ POS_CASHIERS: 'Alice:2468' }, { store });
    const refused = await after.call('GET', '/api/rate', { token: bob });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');
    expect((await after.unlock('1357')).body.error.code).toBe('invalid_pin');
    expect((await after.call('GET', '/api/rate', { token: alice })).status).toBe(200);
  });

  it('end when the cashier\'s PIN changed, and not when another cashier\'s did', async () => {
    const store = new MemoryStore();
    const before = testProxy(env, { store });
    const alice = (await before.unlock('2468')).body.token as string;
    const bob = (await before.unlock('1357')).body.token as string;
    const after = testProxy({ POS_CASHIERS: 'Alice:2468,Bob:8642' }, { store });
    expect((await after.call('GET', '/api/rate', { token: bob })).status).toBe(401);
    expect((await after.call('GET', '/api/rate', { token: alice })).status).toBe(200);
  });
});

describe('reports by cashier', () => {
  const env = { POS_CASHIERS: 'Alice:2468,Bob:1357' };
  const ALICE = cashierIdOf('Alice');
  const BOB = cashierIdOf('Bob');

  async function day() {
    const proxy = testProxy(env);
    const alice = (await proxy.unlock('2468')).body.token as string;
    const bob = (await proxy.unlock('1357')).body.token as string;
    const manager = (await proxy.unlock('9999')).body.token as string;
    const sell = async (token: string, amount: number, tip = 0) => {
      const res = await proxy.call('POST', '/api/invoices', { token, body: { amount, currency: 'USD', tip } });
      proxy.demo.pay(res.body.id);
      return res.body.id as string;
    };
    // A sale from before the POS recorded cashiers: the provider has no cashier for it.
    const before = await proxy.demo.createInvoice({ reference: 'old', amount: 300, tip: 0, currency: 'USD', memo: '' });
    proxy.demo.pay(before.id);
    const ids = { alice1: await sell(alice, 1000, 100), alice2: await sell(alice, 200), bob: await sell(bob, 500, 50), manager: await sell(manager, 50) };
    return { proxy, alice, bob, manager, ids, before: before.id };
  }

  it('splits the cash-up by cashier, with a line for sales made before cashiers were recorded', async () => {
    const { proxy, manager } = await day();
    const today = new Date().toISOString().slice(0, 10);
    const cashup = await proxy.call('GET', `/api/cashup?date=${today}`, { token: manager });
    expect(cashup.body.cashiers).toEqual([
      { cashier: { id: ALICE, name: 'Alice' }, count: 2, amount: 1200, tip: 100, amountSats: expect.any(Number) },
      { cashier: { id: BOB, name: 'Bob' }, count: 1, amount: 500, tip: 50, amountSats: expect.any(Number) },
      { cashier: { id: 'manager', name: 'Manager' }, count: 1, amount: 50, tip: 0, amountSats: expect.any(Number) },
      { cashier: null, count: 1, amount: 300, tip: 0, amountSats: expect.any(Number) },
    ]);
    expect(cashup.body.totals.paid).toMatchObject({ count: 5, amount: 2050, tip: 150 });
  });

  it('filters the payments list by cashier, and by none for the sales before', async () => {
    const { proxy, manager, ids, before } = await day();
    const ofAlice = await proxy.call('GET', `/api/payments?cashier=${ALICE}&limit=1`, { token: manager });
    expect(ofAlice.body.total).toBe(2);
    expect(ofAlice.body.data.map((i: Invoice) => i.id)).toEqual([ids.alice2]);
    const none = await proxy.call('GET', '/api/payments?cashier=none', { token: manager });
    expect(none.body.data.map((i: Invoice) => i.id)).toEqual([before]);
    expect((await proxy.call('GET', '/api/payments?cashier=Alice', { token: manager })).status).toBe(400);
  });

  it('shows a cashier their own day only, and refuses them anyone else\'s figures (403)', async () => {
    const { proxy, alice, bob, manager, ids } = await day();
    const own = await proxy.call('GET', '/api/shift', { token: alice });
    expect(own.status).toBe(200);
    expect(own.body.cashier).toEqual({ id: ALICE, name: 'Alice' });
    expect(own.body.totals).toMatchObject({ count: 2, amount: 1200, tip: 100 });
    expect(own.body.sales.map((i: Invoice) => i.id).sort()).toEqual([ids.alice1, ids.alice2].sort());
    expect((await proxy.call('GET', `/api/shift?cashier=${ALICE}`, { token: alice })).status).toBe(200);

    for (const [path, token] of [
      [`/api/shift?cashier=${BOB}`, alice],
      [`/api/shift?cashier=${ALICE}`, bob],
      ['/api/shift?cashier=none', bob],
      [`/api/payments?cashier=${BOB}`, alice],
      ['/api/payments', alice],
      [`/api/cashup?date=2026-01-01`, bob],
      ['/api/history', bob],
    ] as const) {
      const refused = await proxy.call('GET', path, { token });
      expect(refused.status, path).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    }

    const bobs = await proxy.call('GET', `/api/shift?cashier=${BOB}`, { token: manager });
    expect(bobs.body.totals).toMatchObject({ count: 1, amount: 500, tip: 50 });
    expect((await proxy.call('GET', '/api/shift?cashier=0badcafe', { token: manager })).status).toBe(404);
  });
});
