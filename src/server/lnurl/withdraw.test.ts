/**
 * LNURL-withdraw against the fake Bolt Card service (e2e/fakes/boltcard.ts) on loopback, over the
 * real Node transport: every way a card can pay, refuse or fail, and what the proxy says each time.
 * Shapes the fake cannot produce (a callback into a private network, endless redirects, a hostile
 * reason text) come from a stub transport.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeBoltcard, type CardMode, type FakeBoltcard } from '../../../e2e/fakes/boltcard';
import { listen, type RunningFake } from '../../../e2e/fakes/common';
import { ApiError } from '../errors';
import { DemoWallet } from '../providers/demo';
import { cleanReason, REASON_MAX_CHARS } from './errors';
import { CARD_ANSWER_MAX_BYTES, CARD_CALL_TIMEOUT_MS, CARD_MAX_REDIRECTS, type CardTransport } from './fetch';
import type { CardUrlPolicy } from './policy';
import { nodeCardTransport } from './transport-node';
import { withdrawWithCard, withInvoice, type CardTapDeps } from './withdraw';

let fake: FakeBoltcard;
let server: RunningFake;
let policy: CardUrlPolicy;
let deps: CardTapDeps;
let demo: DemoWallet;

beforeAll(async () => {
  fake = createFakeBoltcard();
  server = await listen(fake.app);
  policy = { loopbackPorts: [server.port] };
  deps = { transport: nodeCardTransport(), policy, now: Date.now };
});
afterAll(() => server.close());

beforeEach(() => {
  fake.control.resetLog();
  demo = new DemoWallet({ currency: 'USD', btcPriceMinor: 10_000_000n, invoiceExpirySec: 600, network: 'regtest', storeName: 'Test' });
});

/** $12.34 at $100,000: 12,340 sats. */
const sale = () => demo.createInvoice({ reference: crypto.randomUUID(), amount: 1234, tip: 0, currency: 'USD', memo: 'coffee' });

/** A card whose wallet is the demo: it pays the invoice whose BOLT11 it is handed. */
function card(mode: CardMode = 'ok') {
  return fake.addCard({
    mode,
    pay: async (paymentRequest) => {
      const invoice = demo.all().find((item) => item.paymentRequest === paymentRequest);
      if (!invoice) throw new Error('no such invoice');
      demo.pay(invoice.id);
    },
  });
}

const tapOf = (cardId: string, form?: 'lnurlw' | 'bech32' | 'lightning') => fake.tap(cardId, server.url, form);

async function failure(run: Promise<unknown>): Promise<ApiError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('the tap did not fail');
}

describe('a card pays', () => {
  it.each(['lnurlw', 'bech32', 'lightning'] as const)('through its link in %s form', async (form) => {
    const invoice = await sale();
    const { id } = card();
    await expect(withdrawWithCard(tapOf(id, form), invoice, deps)).resolves.toEqual({ host: '127.0.0.1' });
    await fake.settled();
    expect((await demo.getInvoice(invoice.id))?.status).toBe('paid');
  });

  it('hands the callback k1 and this invoice, appended with & to the callback’s own query', async () => {
    const invoice = await sale();
    const { id } = card();
    await withdrawWithCard(tapOf(id), invoice, deps);
    const [link, callback] = fake.control.requests;
    expect(link).toMatchObject({ method: 'GET', path: `/ln/${id}` });
    expect(callback).toMatchObject({ method: 'GET', path: `/cb/${id}` });
    expect(callback!.query).toEqual({ card: [id], k1: [expect.stringMatching(/^[0-9a-f]{32}$/)], pr: [invoice.paymentRequest] });
  });

  it('follows a redirect to the card service’s other path', async () => {
    const invoice = await sale();
    const { id } = card('redirect');
    await withdrawWithCard(tapOf(id), invoice, deps);
    expect(fake.control.requests.map((r) => r.path)).toEqual([`/ln/${id}`, `/ln2/${id}`, `/cb/${id}`]);
  });
});

describe('a card refuses', () => {
  it.each([
    ['limit-low', 422, 'card_limit', 'This card allows at most 5,000 sats per payment; this sale is 12,340 sats.'],
    ['below-min', 422, 'card_limit', 'This card pays at least 1,000,000 sats; this sale is only 12,340 sats.'],
    ['declined', 422, 'card_declined', 'The card was declined: Daily limit reached'],
    ['disabled', 422, 'card_declined', 'The card was declined: Card is disabled'],
    ['wrong-tag', 422, 'card_not_withdraw', 'This card cannot pay here'],
    ['pin', 422, 'card_needs_pin', 'This card asks for its PIN from 1 sat'],
    ['redirect-private', 422, 'card_link_refused', 'redirects to a URL that points at 169.254.169.254, which is a link-local address'],
    ['oversize', 502, 'card_bad_answer', "The card's service (127.0.0.1) sent an answer the POS does not understand."],
  ] as const)('%s: %i %s', async (mode, status, code, message) => {
    const invoice = await sale();
    const { id } = card(mode);
    const error = await failure(withdrawWithCard(tapOf(id), invoice, deps));
    expect({ status: error.status, code: error.code }).toEqual({ status, code });
    expect(error.message).toContain(message);
    // The limit is checked before the callback: the card's service never got this invoice.
    if (mode !== 'declined') expect(fake.control.requests.some((r) => r.path.startsWith('/cb/'))).toBe(false);
    expect((await demo.getInvoice(invoice.id))?.status).toBe('pending');
  });

  it('a replayed tap (the same p and c twice) is the card service’s refusal', async () => {
    const invoice = await sale();
    const { id } = card('declined');
    const link = tapOf(id);
    await failure(withdrawWithCard(link, invoice, deps));
    const again = await failure(withdrawWithCard(link, invoice, deps));
    expect(again.message).toBe('The card was declined: counter not increasing. Scan the QR, or try another card.');
  });

  it('a declined card can be tapped again and pay', async () => {
    const invoice = await sale();
    const { id } = card('declined');
    await failure(withdrawWithCard(tapOf(id), invoice, deps));
    fake.setMode(id, 'ok');
    await withdrawWithCard(tapOf(id), invoice, deps);
    await fake.settled();
    expect((await demo.getInvoice(invoice.id))?.status).toBe('paid');
  });
});

describe('a card service fails', () => {
  it.each([
    ['link', 'error', 502, 'card_unreachable', 'is having problems (HTTP 500)'],
    ['link', 'unavailable', 502, 'card_unreachable', 'is having problems (HTTP 503)'],
    ['link', 'garbage', 502, 'card_bad_answer', 'does not understand'],
    ['callback', 'error', 502, 'card_unreachable', 'is having problems (HTTP 500)'],
    ['callback', 'garbage', 502, 'card_bad_answer', 'does not understand'],
  ] as const)('%s answers %s: %i %s', async (where, mode, status, code, message) => {
    const invoice = await sale();
    const { id } = card();
    fake.control.setFault({ mode, match: where === 'link' ? `/ln/${id}` : `/cb/${id}` });
    const error = await failure(withdrawWithCard(tapOf(id), invoice, deps));
    expect({ status: error.status, code: error.code }).toEqual({ status, code });
    expect(error.message).toContain(message);
  });

  it.each(['link', 'callback'] as const)(
    'the %s hangs: 504 card_timeout after the per-call deadline',
    async (where) => {
      const invoice = await sale();
      const { id } = card();
      fake.control.setFault({ mode: 'hang', match: where === 'link' ? `/ln/${id}` : `/cb/${id}` });
      const started = Date.now();
      const error = await failure(withdrawWithCard(tapOf(id), invoice, deps));
      expect({ status: error.status, code: error.code }).toEqual({ status: 504, code: 'card_timeout' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(CARD_CALL_TIMEOUT_MS - 100);
      expect(Date.now() - started).toBeLessThan(CARD_CALL_TIMEOUT_MS + 2_000);
    },
    CARD_CALL_TIMEOUT_MS * 2 + 2_000,
  );

  it('nobody listens: 502 card_unreachable', async () => {
    const closed = await listen(createFakeBoltcard().app);
    await closed.close();
    const invoice = await sale();
    const error = await failure(
      withdrawWithCard(`lnurlw://127.0.0.1:${closed.port}/ln/card-1?p=A&c=B`, invoice, { ...deps, policy: { loopbackPorts: [closed.port] } }),
    );
    expect({ status: error.status, code: error.code }).toEqual({ status: 502, code: 'card_unreachable' });
  });

  it('a name that resolves into the shop’s network is refused at the connection (Node)', async () => {
    const invoice = await sale();
    const transport = nodeCardTransport((hostname) =>
      Promise.resolve(hostname === 'card.example.com' ? [{ address: '127.0.0.1', family: 4 }] : []),
    );
    const error = await failure(withdrawWithCard(`lnurlw://card.example.com:${server.port}/ln/x?p=A&c=B`, invoice, { ...deps, transport }));
    expect({ status: error.status, code: error.code }).toEqual({ status: 422, code: 'card_link_refused' });
    expect(error.message).toBe("This card's link is refused: it resolves to 127.0.0.1, which is a loopback address. Scan the QR instead.");
    expect(fake.control.requests).toHaveLength(0);
  });

  it('no message carries the card’s p, c or the service’s k1', async () => {
    const invoice = await sale();
    for (const mode of ['limit-low', 'declined', 'redirect-private', 'oversize'] as const) {
      const { id } = card(mode);
      const link = tapOf(id);
      const error = await failure(withdrawWithCard(link, invoice, deps));
      const secrets = [...new URL(link.replace('lnurlw', 'http')).searchParams.values()];
      for (const secret of secrets) expect(JSON.stringify(error.toBody())).not.toContain(secret);
    }
  });
});

describe('answers only a stub can give', () => {
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
  const offer = (fields: Record<string, unknown> = {}) => ({
    tag: 'withdrawRequest',
    callback: 'https://card.example.com/cb?id=7',
    k1: 'k1-secret',
    minWithdrawable: 1000,
    maxWithdrawable: 100_000_000,
    defaultDescription: 'card',
    ...fields,
  });

  function stub(answers: (url: URL) => Response): { deps: CardTapDeps; asked: URL[] } {
    const asked: URL[] = [];
    const transport: CardTransport = (url) => {
      asked.push(new URL(url));
      return Promise.resolve(answers(new URL(url)));
    };
    return { deps: { transport, policy: { loopbackPorts: [] }, now: Date.now }, asked };
  }

  it('a callback into a private network is refused before it is called', async () => {
    const invoice = await sale();
    const { deps: stubbed, asked } = stub(() => json(offer({ callback: 'http://10.0.0.5/cb' })));
    const error = await failure(withdrawWithCard('lnurlw://card.example.com/ln', invoice, stubbed));
    expect(error.code).toBe('card_link_refused');
    expect(error.message).toContain('names a callback that points at 10.0.0.5, which is a private address');
    expect(asked).toHaveLength(1);
  });

  it(`more than ${CARD_MAX_REDIRECTS} redirects are refused`, async () => {
    const invoice = await sale();
    const { deps: stubbed, asked } = stub((url) => new Response(null, { status: 302, headers: { Location: `${url.pathname}x` } }));
    const error = await failure(withdrawWithCard('lnurlw://card.example.com/ln', invoice, stubbed));
    expect(error.message).toContain(`redirects more than ${CARD_MAX_REDIRECTS} times`);
    expect(asked).toHaveLength(CARD_MAX_REDIRECTS + 1);
  });

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['https://0177.0.0.1/', '127.0.0.1'],
    ['https://[::ffff:a9fe:a9fe]/latest', '169.254.169.254'],
    ['file:///etc/passwd', 'file:'],
    ['https://metadata.google.internal/computeMetadata/v1/', '.internal'],
  ])('a redirect to %s is refused', async (location, why) => {
    const invoice = await sale();
    const { deps: stubbed, asked } = stub(() => new Response(null, { status: 307, headers: { Location: location } }));
    const error = await failure(withdrawWithCard('lnurlw://card.example.com/ln', invoice, stubbed));
    expect(error.code).toBe('card_link_refused');
    expect(error.message).toContain(why);
    expect(asked).toHaveLength(1);
  });

  it('status codes mean nothing (LUD-01): a 500 carrying ERROR is the card’s refusal', async () => {
    const invoice = await sale();
    const { deps: stubbed } = stub(() => json({ status: 'ERROR', reason: 'Insufficient balance' }, 500));
    const error = await failure(withdrawWithCard('lnurlw://card.example.com/ln', invoice, stubbed));
    expect({ code: error.code, message: error.message }).toEqual({ code: 'card_declined', message: 'The card was declined: Insufficient balance. Scan the QR, or try another card.' });
  });

  it('a hostile reason is shown cleaned and short', async () => {
    const invoice = await sale();
    const reason = `Declined\u202e\u0000\u200b <b>now</b>\n\n${'x'.repeat(500)}`;
    const { deps: stubbed } = stub((url) => (url.pathname === '/ln' ? json(offer()) : json({ status: 'ERROR', reason })));
    const error = await failure(withdrawWithCard('lnurlw://card.example.com/ln', invoice, stubbed));
    expect(error.code).toBe('card_declined');
    const shown = String(error.details?.reason);
    expect(Array.from(shown)).toHaveLength(REASON_MAX_CHARS);
    expect(shown.startsWith('Declined <b>now</b> xxx')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
    expect(shown).not.toMatch(/[\p{Cc}\u202e\u200b]/u);
  });

  it.each([
    ['no reason', { status: 'ERROR' }, 'The card was declined: no reason given. Scan the QR, or try another card.'],
    ['a reason that is not text', { status: 'error', reason: { html: '<script>' } }, 'The card was declined: no reason given. Scan the QR, or try another card.'],
  ])('an ERROR with %s', async (_title, body, message) => {
    const invoice = await sale();
    const { deps: stubbed } = stub(() => json(body));
    expect((await failure(withdrawWithCard('lnurlw://card.example.com/ln', invoice, stubbed))).message).toBe(message);
  });

  it.each([
    ['no k1', offer({ k1: undefined })],
    ['amounts as text', offer({ maxWithdrawable: '100000000' })],
    ['min above max', offer({ minWithdrawable: 10, maxWithdrawable: 5 })],
    ['a list', [offer()]],
    ['null', null],
  ])('a withdrawRequest with %s is not understood', async (_title, body) => {
    const invoice = await sale();
    const { deps: stubbed } = stub(() => json(body));
    expect((await failure(withdrawWithCard('lnurlw://card.example.com/ln', invoice, stubbed))).code).toBe('card_bad_answer');
  });

  it('an answer over the size cap is refused by its Content-Length, and while it streams', async () => {
    const invoice = await sale();
    const big = 'x'.repeat(CARD_ANSWER_MAX_BYTES + 1);
    const declared = stub(() => new Response(big, { headers: { 'Content-Length': String(big.length) } }));
    expect((await failure(withdrawWithCard('lnurlw://card.example.com/ln', invoice, declared.deps))).code).toBe('card_bad_answer');
    let pulled = 0;
    const endless = stub(
      () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              pulled += 1;
              controller.enqueue(new Uint8Array(1024).fill(32));
            },
          }),
        ),
    );
    expect((await failure(withdrawWithCard('lnurlw://card.example.com/ln', invoice, endless.deps))).code).toBe('card_bad_answer');
    expect(pulled).toBeLessThan(CARD_ANSWER_MAX_BYTES / 1024 + 5);
  });

  it('a callback OK in any case pays; anything else is not understood', async () => {
    const invoice = await sale();
    const ok = stub((url) => (url.pathname === '/ln' ? json(offer()) : json({ status: 'ok' })));
    await expect(withdrawWithCard('lnurlw://card.example.com/ln', invoice, ok.deps)).resolves.toEqual({ host: 'card.example.com' });
    const odd = stub((url) => (url.pathname === '/ln' ? json(offer()) : json({ status: 'PENDING' })));
    expect((await failure(withdrawWithCard('lnurlw://card.example.com/ln', invoice, odd.deps))).code).toBe('card_bad_answer');
  });
});

describe('the callback URL (LUD-03 step 5)', () => {
  const pr = 'lnbcrt123400n1pexample';
  it.each([
    ['https://card.example.com/cb', 'https://card.example.com/cb?k1=K%2B1&pr=lnbcrt123400n1pexample'],
    ['https://card.example.com/cb?id=7', 'https://card.example.com/cb?id=7&k1=K%2B1&pr=lnbcrt123400n1pexample'],
    ['https://card.example.com/cb?', 'https://card.example.com/cb?k1=K%2B1&pr=lnbcrt123400n1pexample'],
    ['https://card.example.com/cb?id=7&', 'https://card.example.com/cb?id=7&k1=K%2B1&pr=lnbcrt123400n1pexample'],
    ['https://card.example.com/cb?sig=a%20b+c', 'https://card.example.com/cb?sig=a%20b+c&k1=K%2B1&pr=lnbcrt123400n1pexample'],
    ['https://card.example.com/cb#frag', 'https://card.example.com/cb?k1=K%2B1&pr=lnbcrt123400n1pexample'],
  ])('%s', (callback, expected) => {
    expect(withInvoice(new URL(callback), 'K+1', pr).href).toBe(expected);
  });
});

describe('reasons', () => {
  it('keeps ordinary text as it is and counts characters, not UTF-16 units', () => {
    expect(cleanReason('  Tageslimit   erreicht ')).toBe('Tageslimit erreicht');
    const emoji = '💳'.repeat(REASON_MAX_CHARS + 10);
    expect(Array.from(cleanReason(emoji))).toHaveLength(REASON_MAX_CHARS);
  });
});
