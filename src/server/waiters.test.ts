import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Invoice } from '../contract/api';
import { invoiceVersion } from '../contract/wait';
import type { Provider, ProviderInvoice } from './providers/provider';
import { callResult, providerProxy, stubProvider, testProxy, type CallResult } from './test-support/harness';
import { DemoWallet } from './providers/demo';
import { LocalWaiters, MAX_HELD_PER_TABLET } from './waiters';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');

/** Timers and the clock are fake: a held read can only answer when the test lets time pass or something announces a change. */
beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: NOW }));
afterEach(() => vi.useRealTimers());

/** A request in flight, with whether (and when) it has answered. */
function inFlight(response: Promise<CallResult>) {
  const state: { result?: CallResult; answeredAt?: number } = {};
  const done = response.then((result) => {
    state.result = result;
    state.answeredAt = Date.now();
    return result;
  });
  return { state, done };
}

/** Lets every request in progress run as far as it can without time passing. */
const settle = () => vi.advanceTimersByTimeAsync(0);

async function demoCheckout(env: Record<string, string> = {}) {
  const waiters = new LocalWaiters();
  const proxy = testProxy(env, { waiters, clientId: (c) => c.req.header('X-Test-Client') ?? 'tablet-ip' });
  const token = await proxy.login('cashier');
  const created = await proxy.call('POST', '/api/invoices', { token, body: { amount: 500, currency: 'USD' } });
  const invoice = created.body as Invoice;
  const hold = (query: string, options: { token?: string; headers?: Record<string, string> } = {}) =>
    inFlight(proxy.call('GET', `/api/invoices/${invoice.id}?${query}`, { token: options.token ?? token, ...(options.headers ? { headers: options.headers } : {}) }));
  return { proxy, waiters, token, invoice, hold };
}

describe('GET /api/invoices/:id?wait=N', () => {
  it('holds a pending read until the invoice is paid, and answers at once when it is', async () => {
    const { proxy, waiters, token, invoice, hold } = await demoCheckout();
    const held = hold('wait=25');
    await settle();
    expect(held.state.result).toBeUndefined();
    expect(waiters.waiting(invoice.id)).toBe(1);

    await vi.advanceTimersByTimeAsync(3_000);
    expect(held.state.result).toBeUndefined();
    // The customer's wallet pays (the demo's pay route, from another client).
    expect((await proxy.call('POST', `/api/demo/invoices/${invoice.id}/pay`, { token })).status).toBe(200);
    await settle();
    expect(held.state.result).toMatchObject({ status: 200, body: { id: invoice.id, status: 'paid' } });
    expect(held.state.answeredAt).toBe(NOW + 3_000);
    expect(waiters.waiting()).toBe(0);
  });

  it('answers on a cancel', async () => {
    const { proxy, token, invoice, hold } = await demoCheckout();
    const held = hold('wait=25');
    await vi.advanceTimersByTimeAsync(1_500);
    expect(held.state.result).toBeUndefined();
    await proxy.call('POST', `/api/invoices/${invoice.id}/cancel`, { token });
    await settle();
    expect(held.state.result?.body).toMatchObject({ status: 'cancelled' });
    expect(held.state.answeredAt).toBe(NOW + 1_500);
  });

  it('answers unchanged when the wait ends, exactly as a read without wait would', async () => {
    const { proxy, token, invoice, hold } = await demoCheckout();
    const held = hold('wait=5');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(held.state.result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(held.state.result?.status).toBe(200);
    const plain = await proxy.call('GET', `/api/invoices/${invoice.id}`, { token });
    expect(held.state.result?.body).toEqual(plain.body);
    expect(held.state.result?.body).toEqual(invoice);
  });

  it('answers when the invoice expires during the wait', async () => {
    const { invoice, hold } = await demoCheckout({ DEMO_INVOICE_EXPIRY: '3' });
    expect(Date.parse(invoice.expiresAt)).toBe(NOW + 3_000);
    const held = hold('wait=25');
    await vi.advanceTimersByTimeAsync(2_999);
    expect(held.state.result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(held.state.result?.body).toMatchObject({ status: 'expired' });
    expect(held.state.answeredAt).toBe(NOW + 3_000);
  });

  it('answers at once when the invoice is no longer what the tablet shows (since), or is final', async () => {
    const { proxy, token, invoice, hold } = await demoCheckout();
    // A tablet still showing an older quote (Strike re-quotes) gets the current invoice at once.
    const stale = hold(`wait=25&since=${invoiceVersion({ status: 'pending', paymentRequest: 'lnbc1older' })}`);
    await settle();
    expect(stale.state.result?.body).toEqual(invoice);

    const current = hold(`wait=25&since=${invoiceVersion(invoice)}`);
    await settle();
    expect(current.state.result).toBeUndefined();

    await proxy.call('POST', `/api/demo/invoices/${invoice.id}/pay`, { token });
    await settle();
    const paid = hold('wait=25');
    await settle();
    expect(paid.state.result?.body).toMatchObject({ status: 'paid' });
    expect(current.state.result?.body).toMatchObject({ status: 'paid' });
  });

  it('releases the waiter at once when the tablet goes away', async () => {
    const { proxy, waiters, token, invoice } = await demoCheckout();
    const leaving = new AbortController();
    const request = new Request(`http://localhost/api/invoices/${invoice.id}?wait=25`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: leaving.signal,
    });
    const held = inFlight(Promise.resolve(proxy.app.request(request)).then(callResult));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(waiters.waiting(invoice.id)).toBe(1);
    leaving.abort();
    await settle();
    expect(waiters.waiting()).toBe(0);
    expect(held.state.answeredAt).toBe(NOW + 2_000);
    expect(vi.getTimerCount()).toBe(0);

    // Its slot is free again: the tablet may hold as many reads as before.
    const again = await Promise.all(Array.from({ length: MAX_HELD_PER_TABLET }, () => demoHold(proxy, token, invoice.id)));
    await settle();
    expect(again.every((h) => h.state.result === undefined)).toBe(true);
    expect(waiters.waiting(invoice.id)).toBe(MAX_HELD_PER_TABLET);
  });

  it(`refuses a tablet's ${MAX_HELD_PER_TABLET + 1}th held read, and the process's past POS_WAIT_MAX_HELD, with 429 rate_limited`, async () => {
    const { proxy, token, invoice, hold } = await demoCheckout({ POS_WAIT_MAX_HELD: String(MAX_HELD_PER_TABLET + 2) });
    const mine = Array.from({ length: MAX_HELD_PER_TABLET }, () => hold('wait=25'));
    await settle();
    expect(mine.every((h) => h.state.result === undefined)).toBe(true);

    const tooMany = hold('wait=25');
    await settle();
    expect(tooMany.state.result?.status).toBe(429);
    expect(tooMany.state.result?.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('This tablet already has 4 status reads waiting') });
    expect(tooMany.state.result?.headers.get('Retry-After')).toBe('1');
    // Without wait the same tablet is answered as always.
    expect((await proxy.call('GET', `/api/invoices/${invoice.id}`, { token })).status).toBe(200);

    // Other tablets fill what the process allows, then are refused too.
    const others = ['198.51.100.7', '198.51.100.8'].map((ip) => hold('wait=25', { headers: { 'X-Test-Client': ip } }));
    await settle();
    expect(others.every((h) => h.state.result === undefined)).toBe(true);
    const full = hold('wait=25', { headers: { 'X-Test-Client': '198.51.100.9' } });
    await settle();
    expect(full.state.result?.status).toBe(429);
    expect(full.state.result?.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('as many status reads as it may') });
    expect(full.state.result?.headers.get('Retry-After')).toBe('5');

    await vi.advanceTimersByTimeAsync(25_000);
    expect([...mine, ...others].every((h) => h.state.result?.status === 200)).toBe(true);
    expect(hold('wait=1').state.result).toBeUndefined();
  });

  it('refuses a wait outside 1–25 seconds, or a malformed since, with 400 naming the field', async () => {
    const { proxy, token, invoice } = await demoCheckout();
    for (const wait of ['0', '26', '-1', '1.5', 'abc', '', '1e1', '100']) {
      const res = await proxy.call('GET', `/api/invoices/${invoice.id}?wait=${wait}`, { token });
      expect(res.status, wait).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(Object.keys(res.body.error.details)).toEqual(['wait']);
    }
    const twice = await proxy.call('GET', `/api/invoices/${invoice.id}?wait=2&wait=3`, { token });
    expect(twice.status).toBe(400);
    const since = await proxy.call('GET', `/api/invoices/${invoice.id}?wait=2&since=nonsense`, { token });
    expect(since.status).toBe(400);
    expect(Object.keys(since.body.error.details)).toEqual(['since']);
    expect((await proxy.call('GET', `/api/invoices/0123456789abcdef?wait=2`, { token })).status).toBe(404);
    expect((await proxy.call('GET', `/api/invoices/${invoice.id}?wait=2`)).status).toBe(401);
  });

  it('holds no longer than POS_WAIT_MAX_SECONDS, and not at all with 0', async () => {
    const short = await demoCheckout({ POS_WAIT_MAX_SECONDS: '2' });
    const held = short.hold('wait=25');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(held.state.result?.body).toMatchObject({ status: 'pending' });
    expect(held.state.answeredAt).toBe(NOW + 2_000);

    const off = await demoCheckout({ POS_WAIT_MAX_SECONDS: '0' });
    const atOnce = off.hold('wait=25');
    await settle();
    expect(atOnce.state.result?.body).toMatchObject({ status: 'pending' });
  });
});

/** A provider whose answers the test sets (starting from a real demo invoice), with webhooks, counting its status reads. */
async function scriptedProvider(minAgeMs: number) {
  const demo = new DemoWallet({ currency: 'USD', btcPriceMinor: 10_000_000n, invoiceExpirySec: 600, network: 'regtest', storeName: 'Test' });
  let answer = await demo.createInvoice({ reference: 'held', amount: 100, tip: 0, currency: 'USD', memo: '' });
  let reads = 0;
  let stall: Promise<void> | null = null;
  const provider: Provider = stubProvider({
    id: 'lnbits',
    readPolicy: { minAgeMs },
    getInvoice: async () => {
      reads++;
      // The provider answers as things stood when the request reached it.
      const asked = answer;
      if (stall) await stall;
      return asked;
    },
    webhooks: { verify: async () => ({ invoiceId: answer.id, deliveryId: null, sentAt: null }) },
  });
  return {
    id: answer.id,
    first: answer,
    provider,
    reads: () => reads,
    set: (changes: Partial<ProviderInvoice>) => (answer = { ...answer, ...changes }),
    stallReads: (until: Promise<void> | null) => {
      stall = until;
    },
  };
}

/** Waiters that count the waits they are asked for. */
class CountingWaiters extends LocalWaiters {
  waits = 0;
  override wait(id: string, version: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    this.waits++;
    return super.wait(id, version, timeoutMs, signal);
  }
}

async function scriptedCheckout(minAgeMs: number, changes: Partial<ProviderInvoice> = {}) {
  const script = await scriptedProvider(minAgeMs);
  script.set(changes);
  const waiters = new CountingWaiters();
  const proxy = providerProxy({ POS_PROVIDER: 'lnbits', POS_CASHIER_PIN: '1234', POS_MANAGER_PIN: '975310' }, { provider: script.provider, waiters });
  const token = await proxy.login('cashier');
  // The tablet's first read, as after a create: the proxy has an answer, and the token is verified
  // (that takes real time, which the fake clock would run past).
  expect((await proxy.call('GET', `/api/invoices/${script.id}`, { token })).status).toBe(200);
  const hold = (query: string) => inFlight(proxy.call('GET', `/api/invoices/${script.id}?${query}`, { token }));
  return { ...script, proxy, token, hold, waits: () => waiters.waits };
}

describe('held reads and the provider', () => {
  it('a verified webhook wakes the held read (after its provider read), with no re-check in between', async () => {
    // Reads younger than a minute are served from the proxy's cache: only the webhook's read can tell.
    const { proxy, hold, set, reads } = await scriptedCheckout(60_000);
    const held = hold('wait=25');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(held.state.result).toBeUndefined();
    expect(reads()).toBe(1);

    set({ status: 'paid', paidAt: new Date(Date.now()).toISOString() });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(held.state.result).toBeUndefined(); // paid at the provider, but nobody has said so yet
    const webhook = await proxy.call('POST', '/api/webhooks/lnbits', { body: {} });
    expect(webhook.status).toBe(204);
    await settle();
    expect(reads()).toBe(2);
    expect(held.state.result?.body).toMatchObject({ status: 'paid' });
    expect(held.state.answeredAt).toBe(NOW + 12_000);
  });

  it('re-checks at the provider’s read pace through the shared reads: no more provider reads than polling', async () => {
    const { hold, reads, set } = await scriptedCheckout(900);
    const tablets = [hold('wait=20'), hold('wait=20'), hold('wait=20')];
    await vi.advanceTimersByTimeAsync(10_000);
    // Three screens on one invoice for 10 s: one read a second at most, shared by all of them.
    expect(reads()).toBeGreaterThanOrEqual(9);
    expect(reads()).toBeLessThanOrEqual(11);
    expect(tablets.every((t) => t.state.result === undefined)).toBe(true);

    // Without any webhook, a change the provider reports is seen at the next re-check.
    set({ paymentRequest: 'lnbc1requoted' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(tablets.every((t) => t.state.result?.body.paymentRequest === 'lnbc1requoted')).toBe(true);
  });

  it('answers at the deadline with the last answer even when a re-check hangs', async () => {
    const { hold, stallReads, first } = await scriptedCheckout(900);
    const held = hold('wait=3');
    await vi.advanceTimersByTimeAsync(1_500);
    stallReads(new Promise(() => {}));
    await vi.advanceTimersByTimeAsync(1_500);
    expect(held.state.result?.body).toMatchObject({ status: 'pending', paymentRequest: first.paymentRequest });
    expect(held.state.answeredAt).toBe(NOW + 3_000);
  });

  it('a re-check stuck at the provider does not keep an announced change waiting', async () => {
    const script = await scriptedCheckout(900);
    script.provider.cancelInvoice = async () => script.set({ status: 'cancelled' });
    const held = script.hold('wait=20');
    await vi.advanceTimersByTimeAsync(500);
    script.stallReads(new Promise(() => {}));
    await vi.advanceTimersByTimeAsync(2_000); // a re-check is now waiting on the provider
    expect(held.state.result).toBeUndefined();
    expect((await script.proxy.call('POST', `/api/invoices/${script.id}/cancel`, { token: script.token })).status).toBe(200);
    await settle();
    expect(held.state.result?.body).toMatchObject({ status: 'cancelled' });
    expect(held.state.answeredAt).toBe(NOW + 2_500);
  });

  it('at the expiry it reads the provider again: a payment in the last second is Paid, and no read in time is no answer', async () => {
    const paidLate = await scriptedCheckout(900, { expiresAt: new Date(NOW + 2_500).toISOString() });
    const held = paidLate.hold('wait=10');
    await vi.advanceTimersByTimeAsync(2_400);
    paidLate.set({ status: 'paid', paidAt: new Date(NOW + 2_400).toISOString() });
    await vi.advanceTimersByTimeAsync(100);
    expect(held.state.result?.body).toMatchObject({ status: 'paid' });
    expect(held.state.answeredAt).toBe(NOW + 2_500);

    // The read after the expiry hangs until the wait ends: the proxy does not say "expired" unread.
    const start = Date.now();
    const stuck = await scriptedCheckout(900, { expiresAt: new Date(start + 10_000).toISOString() });
    const waiting = stuck.hold('wait=15');
    await vi.advanceTimersByTimeAsync(9_990);
    stuck.stallReads(new Promise(() => {}));
    await vi.advanceTimersByTimeAsync(10);
    expect(waiting.state.result).toBeUndefined();
    const waitsAtExpiry = stuck.waits();
    await vi.advanceTimersByTimeAsync(5_000);
    // Meanwhile it waited at the re-check pace, once a second, not in a loop.
    expect(stuck.waits() - waitsAtExpiry).toBeLessThanOrEqual(6);
    expect(waiting.state.result?.status).toBe(504);
    expect(waiting.state.result?.body.error.code).toBe('provider_timeout');
    expect(waiting.state.answeredAt).toBe(start + 15_000);
  });

  it('a webhook that comes while a re-check is on its way to the provider is not answered by that re-check', async () => {
    const { proxy, hold, set, reads, stallReads } = await scriptedCheckout(900);
    const held = hold('wait=20');
    await vi.advanceTimersByTimeAsync(500);
    let answerReCheck: () => void = () => {};
    stallReads(new Promise<void>((resolve) => (answerReCheck = resolve)));
    await vi.advanceTimersByTimeAsync(600); // the re-check asked the provider before the payment
    expect(reads()).toBe(2);
    set({ status: 'paid', paidAt: new Date(Date.now()).toISOString() });
    stallReads(null);
    const webhook = proxy.call('POST', '/api/webhooks/lnbits', { body: {} });
    await vi.advanceTimersByTimeAsync(100);
    answerReCheck();
    expect((await webhook).status).toBe(204);
    await settle();
    expect(reads()).toBe(3); // the webhook's own read, after the one that was running
    expect(held.state.result?.body).toMatchObject({ status: 'paid' });
    expect(held.state.answeredAt).toBe(NOW + 1_200);
  });

  it('a failed re-check answers with the error, as a read without wait would', async () => {
    const script = await scriptedCheckout(900);
    const held = script.hold('wait=10');
    await vi.advanceTimersByTimeAsync(500);
    script.provider.getInvoice = () => Promise.reject(new Error('connection reset'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(held.state.result?.status).toBe(500);
    expect(held.state.result?.body.error.code).toBe('internal_error');
  });
});

describe('LocalWaiters', () => {
  it('wakes only waiters of that invoice whose version differs from the one announced', async () => {
    const waiters = new LocalWaiters();
    const woken: string[] = [];
    const wait = (name: string, id: string, version: string) => void waiters.wait(id, version, 1_000).then((notified) => notified && woken.push(name));
    wait('a', 'inv1', 'pending.00000001');
    wait('b', 'inv1', 'pending.00000002');
    wait('c', 'inv2', 'pending.00000001');
    await waiters.notify('inv1', 'pending.00000002');
    await settle();
    expect(woken).toEqual(['a']);
    expect(waiters.waiting()).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(woken).toEqual(['a']);
    expect(waiters.waiting()).toBe(0);
  });
});

async function demoHold(proxy: ReturnType<typeof testProxy>, token: string, id: string) {
  return inFlight(proxy.call('GET', `/api/invoices/${id}?wait=25`, { token }));
}
