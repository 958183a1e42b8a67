/**
 * Webhooks, the proxy's own rules whatever the provider: a delivery counts as handled only once
 * the provider was read because of it; LNbits' unsigned webhooks are accepted only with a token
 * the proxy made with its own key, for one sale and for a while, and only for that sale's payment;
 * webhooks for providers the POS does not use are not found. (How each vendor signs, replays and
 * dates its deliveries is part of the provider contract and the adapters' own tests.)
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../store';
import { cashier, testProxy, type ProviderProxy } from '../test-support/harness';
import { lnbitsMode, STRIKE_WEBHOOK_SECRET, strikeMode, type ModeRun } from '../test-support/modes';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
let run: ModeRun;

beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: T0 }));
afterEach(async () => {
  await run?.close();
  vi.useRealTimers();
});

function strikeDelivery(invoiceId: string, id: string) {
  const body = JSON.stringify({ id, eventType: 'invoice.updated', webhookVersion: 'v1', data: { entityId: invoiceId, changes: ['state'] }, created: new Date(Date.now()).toISOString() });
  return { rawBody: body, headers: { 'Content-Type': 'application/json', 'X-Webhook-Signature': createHmac('sha256', STRIKE_WEBHOOK_SECRET).update(body).digest('hex') } };
}

describe('A webhook delivery', () => {
  it('counts as handled only once the provider was read: held back, it asks to be sent again', async () => {
    run = await strikeMode.start();
    const { proxy, pay, requests, fault } = run;
    const { create, read } = await cashier(proxy);
    const sale = (await create({ amount: 500, currency: 'USD' })).body.id as string;
    // Strike asks the POS to slow its reads down; meanwhile the customer pays.
    fault({ mode: 'rate-limited', scope: 'read' });
    vi.setSystemTime(T0 + 2_000);
    await read(sale);
    fault({ mode: 'none' });
    await pay(sale);
    const delivery = strikeDelivery(sale, 'evt-held');
    const reads = () => requests().filter((r) => r.method === 'GET' && r.path === `/v1/invoices/${sale}`).length;
    const before = reads();
    const held = await proxy.call('POST', '/api/webhooks/strike', delivery);
    expect(held.status).toBe(503);
    expect(reads()).toBe(before);
    // Strike sends it again once the pause is over: now it is read, and the sale shows paid.
    vi.setSystemTime(T0 + 70_000);
    expect((await proxy.call('POST', '/api/webhooks/strike', delivery)).status).toBe(204);
    expect(reads()).toBe(before + 1);
    expect((await read(sale)).body.status).toBe('paid');
    // Handled: a replay is answered and read nothing.
    expect((await proxy.call('POST', '/api/webhooks/strike', delivery)).status).toBe(204);
    expect(reads()).toBe(before + 1);
  });

  it('for an invoice this POS never made, reads nothing', async () => {
    run = await strikeMode.start();
    const before = run.requests().length;
    expect((await run.proxy.call('POST', '/api/webhooks/strike', strikeDelivery(crypto.randomUUID(), 'evt-other'))).status).toBe(204);
    expect(run.requests().length).toBe(before);
  });

  it('for a provider the POS does not use, is not found', async () => {
    const demo = testProxy();
    for (const name of ['demo', 'lnbits', 'strike', 'btcpay', 'paypal', '..', 'STRIKE']) {
      expect((await demo.call('POST', `/api/webhooks/${name}`, { body: {} })).status, name).toBe(404);
    }
  });
});

describe('LNbits webhook tokens', () => {
  /** The webhook URL the POS gave LNbits for the last sale it made. */
  const webhookOf = (r: ModeRun) => new URL(JSON.parse(r.requests().filter((q) => q.method === 'POST').at(-1)!.body).webhook);
  const paidBody = (paymentHash: string) => JSON.stringify(JSON.stringify({ payment_hash: paymentHash, status: 'success' }));
  const post = (proxy: ProviderProxy, url: URL, paymentHash: string) =>
    proxy.call('POST', `/api/webhooks/lnbits${url.search}`, { rawBody: paidBody(paymentHash), headers: { 'Content-Type': 'application/json' } });

  async function lnbits() {
    const store = new MemoryStore();
    run = await lnbitsMode('1.5.1', 'sqlite').start({ env: { POS_PUBLIC_URL: 'https://pos.example.com' }, store });
    return { store, ...(await cashier(run.proxy)) };
  }

  it('come from a key of the proxy’s own: a new session secret leaves open sales’ webhooks working', async () => {
    const { store, create } = await lnbits();
    const sale = (await create({ amount: 500, currency: 'USD' })).body.id as string;
    const url = webhookOf(run);
    const restarted = await run.another({ env: { POS_PUBLIC_URL: 'https://pos.example.com', POS_SESSION_SECRET: 'a-rotated-session-secret-0123456789abcdef' }, store });
    expect((await post(restarted, url, sale)).status).toBe(204);
  });

  it('name one sale: its token with another sale’s payment is refused after the read', async () => {
    const { create, read } = await lnbits();
    const first = (await create({ amount: 500, currency: 'USD' })).body.id as string;
    const firstUrl = webhookOf(run);
    const second = (await create({ amount: 600, currency: 'USD' })).body.id as string;
    const refused = await post(run.proxy, firstUrl, second);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_signature');
    // Refused is not handled: the second sale's own webhook still works.
    await run.pay(second);
    expect((await post(run.proxy, webhookOf(run), second)).status).toBe(204);
    expect((await read(second)).body.status).toBe('paid');
    expect((await post(run.proxy, firstUrl, first)).status).toBe(204);
  });

  it('last a while: past the sale’s life and an hour, a token is refused; so is a forged or old-style one', async () => {
    const { create } = await lnbits();
    const sale = (await create({ amount: 500, currency: 'USD' })).body.id as string;
    const url = webhookOf(run);
    expect(Number(url.searchParams.get('exp')) * 1000).toBe(T0 + 600_000 + 3600_000);
    const oldStyle = new URL(url);
    oldStyle.searchParams.delete('exp');
    const forged = new URL(url);
    forged.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 86_400));
    for (const bad of [oldStyle, forged]) expect((await post(run.proxy, bad, sale)).status).toBe(401);
    vi.setSystemTime(T0 + 600_000 + 3600_000 + 1_000);
    expect((await post(run.proxy, url, sale)).status).toBe(401);
  });

  it('a valid token with a payment LNbits says is unpaid marks nothing paid', async () => {
    const { create, read } = await lnbits();
    const sale = (await create({ amount: 500, currency: 'USD' })).body.id as string;
    expect((await post(run.proxy, webhookOf(run), sale)).status).toBe(204);
    expect((await read(sale)).body.status).toBe('pending');
  });
});
