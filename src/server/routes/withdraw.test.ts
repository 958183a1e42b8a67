/**
 * `POST /api/invoices/:id/withdraw` through the whole proxy (`app.request`), with the fake Bolt
 * Card service on loopback: who may ask, the limits per tablet and per sale, one tap at a time,
 * what is logged, the test-only loopback switch, and a card paying on the demo wallet and on
 * LNbits (its fake).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeBoltcard, type CardMode, type FakeBoltcard } from '../../../e2e/fakes/boltcard';
import { listen, type RunningFake } from '../../../e2e/fakes/common';
import { createFakeLnbits } from '../../../e2e/fakes/lnbits';
import { ConfigError, parseConfig, type Env } from '../config';
import { cashier, providerProxy, testProxy, type ProviderProxy, type TestProxy } from '../test-support/harness';
import { CARD_TAPS_PER_INVOICE } from './withdraw';

let fake: FakeBoltcard;
let server: RunningFake;

beforeAll(async () => {
  fake = createFakeBoltcard();
  server = await listen(fake.app);
});
afterAll(() => server.close());
beforeEach(() => fake.control.resetLog());

const loopback = () => ({ POS_TEST_CARD_LOOPBACK_PORTS: String(server.port) });

/** A demo proxy that allows the fake's port, with the client named by a header (for per-tablet limits). */
function demoProxy(env: Env = {}): TestProxy {
  return testProxy({ ...loopback(), ...env }, { clientId: (c) => c.req.header('X-Test-Tablet') ?? 'tablet-1' });
}

/** A card whose wallet is the proxy's demo wallet. */
function demoCard(proxy: TestProxy, mode: CardMode = 'ok') {
  return fake.addCard({
    mode,
    pay: async (paymentRequest) => {
      const invoice = proxy.demo.all().find((item) => item.paymentRequest === paymentRequest);
      if (!invoice) throw new Error('no such invoice');
      proxy.demo.pay(invoice.id);
    },
  });
}

async function sell(proxy: ProviderProxy) {
  const session = await cashier(proxy);
  const created = await session.create({ amount: 1234, currency: 'USD' });
  expect(created.status).toBe(201);
  const id = String(created.body.id);
  const tap = (lnurl: string, options: { token?: string | null; tablet?: string } = {}) =>
    proxy.call('POST', `/api/invoices/${id}/withdraw`, {
      token: options.token === undefined ? session.token : options.token,
      body: { lnurl },
      ...(options.tablet ? { headers: { 'X-Test-Tablet': options.tablet } } : {}),
    });
  return { ...session, id, tap, invoice: created.body };
}

const linkOf = (cardId: string) => fake.tap(cardId, server.url);

describe('a tap that pays', () => {
  it('the card service accepts; the invoice reads paid once it paid', async () => {
    const proxy = demoProxy();
    const sale = await sell(proxy);
    const res = await sale.tap(linkOf(demoCard(proxy).id));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'accepted', invoice: expect.objectContaining({ id: sale.id, status: 'pending' }) });
    await fake.settled();
    expect((await sale.read(sale.id)).body.status).toBe('paid');
  });

  it('on LNbits too: the card service pays the LNbits invoice', async () => {
    const lnbits = createFakeLnbits();
    const lnbitsServer = await listen(lnbits.app);
    try {
      const proxy = providerProxy({
        POS_PROVIDER: 'lnbits',
        POS_CASHIER_PIN: '1234',
        POS_MANAGER_PIN: '975310',
        LNBITS_URL: lnbitsServer.url,
        LNBITS_INVOICE_KEY: lnbits.invoiceKey,
        ...loopback(),
      });
      const sale = await sell(proxy);
      const card = fake.addCard({ wallet: { kind: 'lnbits', url: lnbitsServer.url } });
      expect((await sale.tap(linkOf(card.id))).status).toBe(200);
      await fake.settled();
      expect(card.payments).toEqual([expect.objectContaining({ paid: true, error: null, amountSats: 12_340 })]);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // past LNbits' read interval
      expect((await sale.read(sale.id)).body.status).toBe('paid');
    } finally {
      await lnbitsServer.close();
    }
  });
});

describe('who may tap', () => {
  it('only a session: 401 without a token, and the card service is never asked', async () => {
    const proxy = demoProxy();
    const sale = await sell(proxy);
    const res = await sale.tap(linkOf(demoCard(proxy).id), { token: null });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(fake.control.requests).toHaveLength(0);
  });

  it('a manager may do what a cashier may', async () => {
    const proxy = demoProxy();
    const sale = await sell(proxy);
    const res = await sale.tap(linkOf(demoCard(proxy).id), { token: await proxy.login('manager') });
    expect(res.status).toBe(200);
  });

  it.each([
    ['no lnurl', {}],
    ['an empty lnurl', { lnurl: '' }],
    ['a number', { lnurl: 5 }],
    ['an overlong lnurl', { lnurl: `lnurlw://card.example.com/${'x'.repeat(2100)}` }],
  ])('400 for %s', async (_title, body) => {
    const proxy = demoProxy();
    const sale = await sell(proxy);
    const res = await proxy.call('POST', `/api/invoices/${sale.id}/withdraw`, { token: sale.token, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });

  it('404 for an unknown invoice, 409 for one that is not pending', async () => {
    const proxy = demoProxy();
    const sale = await sell(proxy);
    const card = demoCard(proxy);
    const unknown = await proxy.call('POST', '/api/invoices/nope/withdraw', { token: sale.token, body: { lnurl: linkOf(card.id) } });
    expect(unknown.status).toBe(404);
    proxy.demo.pay(sale.id);
    const paid = await sale.tap(linkOf(card.id));
    expect(paid.status).toBe(409);
    expect(paid.body.error).toEqual({ code: 'conflict', message: 'This invoice is paid, so a card cannot pay it.', details: { status: 'paid' } });
    expect(fake.control.requests).toHaveLength(0);
  });
});

describe('what the tablet is told', () => {
  it.each([
    ['declined', 422, 'card_declined', { reason: 'Daily limit reached' }],
    ['limit-low', 422, 'card_limit', { maxSats: 5000, amountSats: 12_340 }],
    ['wrong-tag', 422, 'card_not_withdraw', undefined],
    ['redirect-private', 422, 'card_link_refused', { reason: expect.stringContaining('169.254.169.254') }],
  ] as const)('%s: %i %s, in the error shape of the API', async (mode, status, code, details) => {
    const proxy = demoProxy();
    const sale = await sell(proxy);
    const res = await sale.tap(linkOf(demoCard(proxy, mode).id));
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: { code, message: expect.any(String), ...(details ? { details } : {}) } });
    expect((await sale.read(sale.id)).body.status).toBe('pending');
  });

  it('a link to a plain web page is not a card that pays', async () => {
    const proxy = demoProxy();
    const sale = await sell(proxy);
    const res = await sale.tap('https://shop.example.com/');
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 422, code: 'card_not_withdraw' });
  });

  it('without the test switch, the fake on loopback is refused like any loopback address', async () => {
    const proxy = testProxy();
    const sale = await sell(proxy);
    const res = await sale.tap(linkOf(fake.addCard().id));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('card_link_refused');
    expect(fake.control.requests).toHaveLength(0);
  });
});

describe('limits', () => {
  it(`a sale takes ${CARD_TAPS_PER_INVOICE} taps, then 429 until the window passes`, async () => {
    const proxy = demoProxy();
    const sale = await sell(proxy);
    for (let i = 0; i < CARD_TAPS_PER_INVOICE; i++) expect((await sale.tap('https://shop.example.com/')).status).toBe(422);
    const refused = await sale.tap(linkOf(demoCard(proxy).id));
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(fake.control.requests).toHaveLength(0);
    // Another sale on the same tablet is not held up.
    const next = await sell(proxy);
    expect((await next.tap(linkOf(demoCard(proxy).id))).status).toBe(200);
  });

  it('a tablet takes POS_CARD_TAP_LIMIT taps a minute, whatever the sale; other tablets are not held up', async () => {
    const proxy = demoProxy({ POS_CARD_TAP_LIMIT: '3' });
    const sales = await Promise.all([sell(proxy), sell(proxy), sell(proxy), sell(proxy)]);
    for (const sale of sales.slice(0, 3)) expect((await sale.tap('https://shop.example.com/')).status).toBe(422);
    const refused = await sales[3].tap(linkOf(demoCard(proxy).id));
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toBe('Too many card taps in a minute from this tablet. Wait a moment, or scan the QR.');
    expect((await sales[3].tap(linkOf(demoCard(proxy).id), { tablet: 'tablet-2' })).status).toBe(200);
  });

  it('one tap at a time per sale: a second while the first is out gets 409, and changes nothing', async () => {
    const proxy = demoProxy();
    const sale = await sell(proxy);
    const card = demoCard(proxy, 'declined');
    fake.control.setFault({ mode: 'slow', delayMs: 400, match: `/ln/${card.id}`, times: 1 });
    const first = sale.tap(linkOf(card.id));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await sale.tap(linkOf(card.id));
    expect(second.status).toBe(409);
    expect(second.body.error.message).toBe('A card is already paying this invoice. Wait for its answer.');
    expect((await first).body.error.code).toBe('card_declined');
    // Answered, the first tap lets go: the next one is asked again.
    expect((await sale.tap(linkOf(card.id))).body.error.code).toBe('card_declined');
    expect(fake.control.requests.filter((r) => r.path === `/ln/${card.id}`)).toHaveLength(2);
  });
});

describe('logs', () => {
  it('name the card service’s host and the outcome, never the link, p, c or k1', async () => {
    const proxy = demoProxy();
    const sale = await sell(proxy);
    const links = [linkOf(demoCard(proxy, 'declined').id), linkOf(demoCard(proxy).id)];
    for (const link of links) await sale.tap(link);
    const logs = proxy.logs.join('\n');
    expect(proxy.logs.map((line) => JSON.parse(line))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: 'card tap failed', host: '127.0.0.1', code: 'card_declined', invoice: sale.id }),
        expect.objectContaining({ message: 'card tap accepted', host: '127.0.0.1', invoice: sale.id }),
      ]),
    );
    const k1s = fake.control.requests.flatMap((r) => r.query.k1 ?? []);
    expect(k1s.length).toBeGreaterThan(0);
    for (const link of links) {
      const url = new URL(link.replace('lnurlw://', 'http://'));
      for (const secret of [url.searchParams.get('p')!, url.searchParams.get('c')!, url.pathname]) expect(logs).not.toContain(secret);
    }
    for (const k1 of k1s) expect(logs).not.toContain(k1);
    expect(logs).not.toContain('lnurlw');
  });
});

describe('the test-only loopback switch (POS_TEST_CARD_LOOPBACK_PORTS)', () => {
  const problems = (env: Env) => {
    try {
      parseConfig(env);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };
  const real = { POS_CASHIER_PIN: '1234', POS_MANAGER_PIN: '975310', POS_SESSION_SECRET: 's'.repeat(32), POS_SETUP_CODE: 'setup-code-0123456789-abcdef' };

  it('is read as a list of ports, with the demo or fakes on loopback', () => {
    expect(parseConfig({ POS_TEST_CARD_LOOPBACK_PORTS: '3340,4340' }).cardLoopbackPorts).toEqual([3340, 4340]);
    expect(parseConfig({}).cardLoopbackPorts).toEqual([]);
    const rig = { ...real, POS_PROVIDER: 'lnbits', LNBITS_URL: 'http://127.0.0.1:3310', POS_TEST_CARD_LOOPBACK_PORTS: '3340' };
    expect(parseConfig(rig).cardLoopbackPorts).toEqual([3340]);
  });

  it.each([
    [{ ...real, POS_PROVIDER: 'lnbits', LNBITS_URL: 'https://lnbits.example.com' }],
    [{ ...real, POS_PROVIDER: 'strike' }],
    [{ ...real, POS_PROVIDER: 'btcpay', BTCPAY_URL: 'https://btcpay.example.com' }],
  ])('is refused with a real provider: %j', (env) => {
    expect(problems({ ...env, POS_TEST_CARD_LOOPBACK_PORTS: '3340' })).toContain(
      'POS_TEST_CARD_LOOPBACK_PORTS: is for test rigs only; it is refused with a real provider (set it only with POS_PROVIDER=demo or fake providers on loopback)',
    );
  });

  it.each(['0', '70000', 'abc', '3340,', ' 3340'])('refuses the value %j', (value) => {
    expect(problems({ POS_TEST_CARD_LOOPBACK_PORTS: value })).toHaveLength(1);
  });

  it('POS_CARD_TAP_LIMIT defaults to 20 a minute', () => {
    expect(parseConfig({}).cardTapLimitPerMinute).toBe(20);
    expect(parseConfig({ POS_CARD_TAP_LIMIT: '5' }).cardTapLimitPerMinute).toBe(5);
    expect(problems({ POS_CARD_TAP_LIMIT: '0' })).toEqual(['POS_CARD_TAP_LIMIT: must be at least 1']);
  });
});
