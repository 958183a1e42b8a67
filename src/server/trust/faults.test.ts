/**
 * The deadline, with its real length: whatever a provider does, every API answer comes within
 * 10 s. One deadline per API request, shared by every provider request it makes — a create that
 * hangs and the search for it after, every page of a report, a webhook's read. (How each fault
 * becomes 502/503/504 is part of the provider contract, providers/contract.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { API_DEADLINE_MS } from '../deadline';
import { cashier } from '../test-support/harness';
import { btcpayMode, lnbitsMode, strikeMode, type ModeRun } from '../test-support/modes';

const runs: ModeRun[] = [];
afterEach(async () => {
  await Promise.all(runs.splice(0).map((run) => run.close()));
});

const timed = async (what: string, call: () => Promise<{ status: number }>) => {
  const started = performance.now();
  const { status } = await call();
  return { what, status, ms: performance.now() - started };
};

describe('The deadline', () => {
  it('a provider that never answers: every route that asks it answers within 10 s, on every provider', async () => {
    expect(API_DEADLINE_MS).toBeLessThanOrEqual(9_000);
    const results = await Promise.all(
      [lnbitsMode('1.4.0', 'postgres'), strikeMode, btcpayMode('2.0.0')].map(async (mode) => {
        const run = await mode.start();
        runs.push(run);
        const { proxy } = run;
        const { create, read, cancel, token } = await cashier(proxy);
        const sale = (await create({ amount: 500, currency: 'USD' })).body.id as string;
        const manager = await proxy.login('manager');
        run.fault({ mode: 'hang', scope: 'all' });
        await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the read cache
        return Promise.all([
          // The create hangs, then so would the search for it: both within one deadline.
          timed(`${mode.name}: create`, () => create({ amount: 600, currency: 'USD' }, `hung-${mode.provider}`)),
          timed(`${mode.name}: read`, () => read(sale)),
          timed(`${mode.name}: cancel`, () => cancel(sale)),
          timed(`${mode.name}: payments`, () => proxy.call('GET', '/api/payments', { token: manager })),
          timed(`${mode.name}: history`, () => proxy.call('GET', '/api/history', { token: manager })),
          timed(`${mode.name}: cash-up`, () => proxy.call('GET', '/api/cashup?date=2026-11-22', { token: manager })),
          timed(`${mode.name}: rate`, () => proxy.call('GET', '/api/rate', { token })),
        ]);
      }),
    );
    // docs/providers.md, "Measured", records these: MEASURE=1 prints them.
    if (process.env.MEASURE) for (const result of results.flat()) console.log(`${result.what}: ${result.status} in ${Math.round(result.ms)} ms`);
    for (const result of results.flat()) {
      expect(result.ms, result.what).toBeLessThan(10_000);
      if (!result.what.endsWith('rate')) expect([503, 504], result.what).toContain(result.status);
    }
  }, 30_000);

  it.each([
    ['lnbits', { LNBITS_URL: 'http://127.0.0.1:9' }],
    ['strike', { STRIKE_API_URL: 'http://127.0.0.1:9' }],
    ['btcpay', { BTCPAY_URL: 'http://127.0.0.1:9' }],
  ] as const)('%s: a closed port is 503 at once', async (name, env) => {
    const mode = { lnbits: lnbitsMode('1.5.1', 'sqlite'), strike: strikeMode, btcpay: btcpayMode('2.4.1') }[name];
    const run = await mode.start();
    runs.push(run);
    const proxy = await run.another({ env });
    const started = performance.now();
    const res = await (await cashier(proxy)).create({ amount: 250, currency: 'USD' });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('provider_unavailable');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
