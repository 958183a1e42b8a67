/**
 * The fake Bolt Card service's own behaviour, as the browser tests drive it over HTTP: cards made
 * and switched through the control routes, links in each form with fresh p and c, replays refused,
 * and a card paying through the POS's demo wallet with a manager's session.
 */
import { bech32 } from '@scure/base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cashier, loopbackForProxy, testProxy, type TestProxy } from '../../src/server/test-support/harness';
import { createFakeBoltcard, type FakeCard } from './boltcard';
import { listen, type RunningFake } from './common';

const fake = createFakeBoltcard();
let server: RunningFake;

beforeAll(async () => {
  server = await listen(fake.app);
});
afterAll(() => server.close());

const control = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${server.url}/__fake${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const linkOf = async (id: string, form = 'lnurlw') => String((await control('GET', `/cards/${id}/tap?form=${form}`)).body.link);

describe('control routes', () => {
  it('make a card, give fresh links in each form, and switch its mode', async () => {
    const made = await control('POST', '/cards', { mode: 'declined' });
    expect(made.status).toBe(201);
    const card = made.body as unknown as FakeCard;
    expect(card).toMatchObject({ id: expect.stringMatching(/^card-[0-9a-f]{12}$/), mode: 'declined', payments: [] });

    const first = await linkOf(card.id);
    const second = await linkOf(card.id);
    expect(first).toMatch(new RegExp(`^lnurlw://127\\.0\\.0\\.1:${server.port}/ln/${card.id}\\?p=[0-9A-F]{32}&c=[0-9A-F]{16}$`));
    expect(second).not.toBe(first);

    const encoded = await linkOf(card.id, 'bech32');
    expect(encoded).toMatch(/^LNURL1[0-9A-Z]+$/);
    const decoded = bech32.decodeUnsafe(encoded, 2048);
    expect(new TextDecoder().decode(bech32.fromWords(decoded!.words))).toMatch(new RegExp(`^${server.url}/ln/${card.id}\\?p=`));
    expect(await linkOf(card.id, 'lightning')).toMatch(/^lightning:LNURL1/);

    expect((await control('POST', `/cards/${card.id}/mode`, { mode: 'ok' })).body.mode).toBe('ok');
    expect((await control('GET', `/cards/${card.id}`)).body.mode).toBe('ok');
    expect((await control('POST', `/cards/${card.id}/mode`, { mode: 'nonsense' })).status).toBe(400);
    expect((await control('GET', '/cards/card-unknown')).status).toBe(404);
  });

  it('answers a fresh tap with a withdrawRequest whose callback has a query, and refuses a replayed one', async () => {
    const card = fake.addCard();
    const link = (await linkOf(card.id)).replace('lnurlw://', 'http://');
    const offer = (await (await fetch(link)).json()) as Record<string, unknown>;
    expect(offer).toEqual({
      tag: 'withdrawRequest',
      callback: `${server.url}/cb/${card.id}?card=${card.id}`,
      k1: expect.stringMatching(/^[0-9a-f]{32}$/),
      defaultDescription: 'Bolt Card payment',
      minWithdrawable: 1000,
      maxWithdrawable: 10_000_000_000,
    });
    expect(await (await fetch(link)).json()).toEqual({ status: 'ERROR', reason: 'counter not increasing' });
  });
});

describe('paying through the POS demo wallet', () => {
  let pos: Awaited<ReturnType<typeof loopbackForProxy>>;
  let proxy: TestProxy;

  beforeAll(async () => {
    pos = await loopbackForProxy();
    proxy = testProxy({ POS_TEST_CARD_LOOPBACK_PORTS: String(server.port) });
    pos.attach(proxy.app);
  });
  afterAll(() => pos.close());

  it('finds the invoice by its BOLT11 with a manager session and pays it', async () => {
    const manager = await proxy.login('manager');
    const card = (await control('POST', '/cards', { wallet: { kind: 'pos-demo', url: pos.url, token: manager } })).body as unknown as FakeCard;
    const { create, read, token } = await cashier(proxy);
    const invoice = (await create({ amount: 500, currency: 'USD' })).body as { id: string };
    const tap = await proxy.call('POST', `/api/invoices/${invoice.id}/withdraw`, { token, body: { lnurl: await linkOf(card.id) } });
    expect(tap.status).toBe(200);
    await fake.settled();
    expect((await control('GET', `/cards/${card.id}`)).body.payments).toEqual([expect.objectContaining({ paid: true, error: null, amountSats: 5000 })]);
    expect((await read(invoice.id)).body.status).toBe('paid');
  });

  it('records why a payment failed: a card without a wallet', async () => {
    const card = fake.addCard();
    const { create, token } = await cashier(proxy);
    const invoice = (await create({ amount: 700, currency: 'USD' })).body as { id: string };
    await proxy.call('POST', `/api/invoices/${invoice.id}/withdraw`, { token, body: { lnurl: await linkOf(card.id) } });
    await fake.settled();
    expect(card.payments).toEqual([expect.objectContaining({ paid: false, error: 'this card has no wallet' })]);
  });
});
