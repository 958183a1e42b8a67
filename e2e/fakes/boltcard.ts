/**
 * A fake Bolt Card service: the LNURL-withdraw server a customer's NFC card points at, as
 * boltcard/boltcard (lnurlw/lnurlw_request.go, lnurlw_callback.go) and LNbits' boltcards
 * extension run it. Each card's link is `lnurlw://<this fake>/ln/<card>?p=<16 bytes hex>&c=<8 bytes
 * hex>`; like a real card, every tap has fresh `p`/`c` values and a replayed pair is refused.
 *
 * - `GET /ln/:card` (the card's link) answers a `withdrawRequest` (LUD-03) whose callback already
 *   has a query, so the POS must append `k1` and `pr` with `&`;
 * - `GET /cb/:card?card=…&k1=…&pr=…` checks `k1` and the invoice's amount, answers
 *   `{"status":"OK"}`, then pays the invoice with the card's wallet (asynchronously, LUD-03 step 6).
 *
 * Cards are made by tests (`POST /__fake/cards`, or `addCard` in-process), each with a mode for
 * a refusal and a wallet that pays: the POS's demo wallet (with a manager's session, the fake finds
 * the invoice by its BOLT11 and pays it through `POST /api/demo/invoices/:id/pay`), the fake
 * LNbits (its settle control route), or a function. Faults (500, hang, garbage) come from
 * common.ts, aimed at one card's link (`match: '/ln/<card>'`) or callback (`'/cb/<card>'`).
 */
import { bech32 } from '@scure/base';
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { decodePaymentRequest } from '../../src/server/bolt11';
import { fakeApp, randomHex, type FakeControl, type FakeEnv, type VendorErrors } from './common';

/**
 * - `ok`: pays
 * - `limit-low`: maxWithdrawable of 5,000 sats (the card's per-payment limit)
 * - `below-min`: minWithdrawable of 1,000,000 sats
 * - `declined`: the callback answers `{"status":"ERROR","reason":"Daily limit reached"}`
 * - `disabled`: the link itself answers `{"status":"ERROR","reason":"Card is disabled"}`
 * - `wrong-tag`: the link answers a `payRequest` (LNURL-pay) instead
 * - `pin`: asks for the card's PIN from 1 sat on (LUD-21 `pinLimit`)
 * - `redirect`: the link redirects (302) to another path of this fake, then pays
 * - `redirect-private`: the link redirects to the cloud metadata address 169.254.169.254
 * - `oversize`: the link answers 64 KiB of JSON
 */
export const cardModes = ['ok', 'limit-low', 'below-min', 'declined', 'disabled', 'wrong-tag', 'pin', 'redirect', 'redirect-private', 'oversize'] as const;
export type CardMode = (typeof cardModes)[number];

const Wallet = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pos-demo'), url: z.url(), token: z.string() }),
  z.object({ kind: z.literal('lnbits'), url: z.url() }),
  z.object({ kind: z.literal('none') }),
]);
export type CardWallet = z.infer<typeof Wallet>;

const NewCard = z.object({ mode: z._default(z.enum(cardModes), 'ok'), wallet: z._default(Wallet, { kind: 'none' }) });

export interface CardPayment {
  paymentRequest: string;
  amountSats: number;
  /** Set once the wallet paid, or why it could not. */
  paid: boolean;
  error: string | null;
}

export interface FakeCard {
  id: string;
  mode: CardMode;
  payments: CardPayment[];
}

export interface FakeBoltcard {
  app: Hono<FakeEnv>;
  control: FakeControl;
  /** A card; `pay` (in-process tests) replaces the wallet. */
  addCard(options?: { mode?: CardMode; wallet?: CardWallet; pay?: (paymentRequest: string) => Promise<void> }): FakeCard;
  setMode(cardId: string, mode: CardMode): void;
  /** What the card says on its next tap, at the fake's `origin` (e.g. http://127.0.0.1:3340). */
  tap(cardId: string, origin: string, form?: LinkForm): string;
  /** Resolves once every payment the fake started has finished. */
  settled(): Promise<void>;
}

/** How the card's NDEF record spells its link: LUD-17 (what Bolt Cards hold) or LUD-01 bech32. */
export type LinkForm = 'lnurlw' | 'bech32' | 'lightning';

const LIMIT_LOW_MSAT = 5_000_000;
const DEFAULT_MAX_MSAT = 10_000_000_000;
const BELOW_MIN_MSAT = 1_000_000_000;
const PAYMENT_TIMEOUT_MS = 5_000;

interface CardState {
  card: FakeCard;
  wallet: CardWallet;
  pay: ((paymentRequest: string) => Promise<void>) | undefined;
  /** `p` values issued and not yet used, with the `c` that authenticates each. */
  fresh: Map<string, string>;
  /** `k1` values handed out by the link and not yet called back. */
  k1s: Set<string>;
}

export function createFakeBoltcard(): FakeBoltcard {
  const cards = new Map<string, CardState>();
  const running = new Set<Promise<void>>();

  function addCard(options: { mode?: CardMode; wallet?: CardWallet; pay?: (paymentRequest: string) => Promise<void> } = {}): FakeCard {
    const card: FakeCard = { id: `card-${randomHex(6)}`, mode: options.mode ?? 'ok', payments: [] };
    cards.set(card.id, { card, wallet: options.wallet ?? { kind: 'none' }, pay: options.pay, fresh: new Map(), k1s: new Set() });
    return card;
  }

  function state(cardId: string): CardState {
    const found = cards.get(cardId);
    if (!found) throw new Error(`fake Bolt Card: no card ${cardId}`);
    return found;
  }

  function tap(cardId: string, origin: string, form: LinkForm = 'lnurlw'): string {
    const card = state(cardId);
    // A real card encrypts its UID and counter into `p` and MACs it into `c` (SUN); here both are
    // random, and the fake remembers which `c` belongs to which `p`.
    const p = randomHex(16).toUpperCase();
    const c = randomHex(8).toUpperCase();
    card.fresh.set(p, c);
    const url = new URL(`/ln/${cardId}?p=${p}&c=${c}`, origin);
    if (form === 'lnurlw') return `lnurlw://${url.host}${url.pathname}${url.search}`;
    const bech32 = encodeLnurl(url.href);
    return form === 'lightning' ? `lightning:${bech32}` : bech32;
  }

  async function payWith(state: CardState, payment: CardPayment): Promise<void> {
    try {
      if (state.pay) await state.pay(payment.paymentRequest);
      else await payThroughWallet(state.wallet, payment.paymentRequest);
      payment.paid = true;
    } catch (error) {
      payment.error = error instanceof Error ? error.message : String(error);
    }
  }

  // -------------------------------------------------------------- vendor routes

  const vendor = new Hono<FakeEnv>();

  /** boltcard: `parse_request` checks p and c, and refuses a counter it has seen (a replayed tap). */
  function withdrawRequest(c: Context<FakeEnv>, cardId: string): Response {
    const found = cards.get(cardId);
    if (!found) return refusal(c, 'card not found');
    const p = c.req.query('p') ?? '';
    const mac = c.req.query('c') ?? '';
    if (found.fresh.get(p) !== mac) return refusal(c, 'counter not increasing');
    found.fresh.delete(p);
    const { mode } = found.card;
    if (mode === 'disabled') return refusal(c, 'Card is disabled');
    if (mode === 'oversize') return c.json({ tag: 'withdrawRequest', padding: 'x'.repeat(64 * 1024) });
    const origin = new URL(c.req.url).origin;
    if (mode === 'wrong-tag') {
      return c.json({ tag: 'payRequest', callback: `${origin}/pay/${cardId}`, minSendable: 1000, maxSendable: 1_000_000, metadata: '[]' });
    }
    const k1 = randomHex(16);
    found.k1s.add(k1);
    return c.json({
      tag: 'withdrawRequest',
      callback: `${origin}/cb/${cardId}?card=${cardId}`,
      k1,
      defaultDescription: 'Bolt Card payment',
      minWithdrawable: mode === 'below-min' ? BELOW_MIN_MSAT : 1000,
      maxWithdrawable: mode === 'limit-low' ? LIMIT_LOW_MSAT : DEFAULT_MAX_MSAT,
      ...(mode === 'pin' ? { pinLimit: 1000 } : {}),
    });
  }

  vendor.get('/ln/:card', (c) => {
    const cardId = c.req.param('card');
    const mode = cards.get(cardId)?.card.mode;
    const query = new URL(c.req.url).search;
    if (mode === 'redirect') return c.redirect(`/ln2/${cardId}${query}`, 302);
    if (mode === 'redirect-private') return c.redirect(`http://169.254.169.254/latest/meta-data/${query}`, 302);
    return withdrawRequest(c, cardId);
  });
  vendor.get('/ln2/:card', (c) => withdrawRequest(c, c.req.param('card')));

  vendor.get('/cb/:card', (c) => {
    const found = cards.get(c.req.param('card'));
    if (!found) return refusal(c, 'card not found');
    const k1 = c.req.query('k1') ?? '';
    if (!found.k1s.delete(k1)) return refusal(c, 'payment record not found');
    const paymentRequest = c.req.query('pr') ?? '';
    let amountSats: number;
    try {
      const amountMsat = decodePaymentRequest(paymentRequest).amountMsat;
      if (amountMsat === null) return refusal(c, 'amountless invoice');
      amountSats = Number(amountMsat / 1000n);
    } catch {
      return refusal(c, 'bad invoice');
    }
    if (found.card.mode === 'declined') return refusal(c, 'Daily limit reached');
    const payment: CardPayment = { paymentRequest, amountSats, paid: false, error: null };
    found.card.payments.push(payment);
    // LUD-03 step 6: answer OK, then pay.
    const paying = new Promise<void>((resolve) => setTimeout(resolve, 50)).then(() => payWith(found, payment));
    running.add(paying);
    void paying.finally(() => running.delete(paying));
    return c.json({ status: 'OK' });
  });

  vendor.all('*', (c) => c.text('404 page not found', 404));

  // -------------------------------------------------------------- control routes

  const controlRoutes = new Hono<FakeEnv>();
  controlRoutes.post('/cards', async (c) => {
    const parsed = z.safeParse(NewCard, await c.req.json().catch(() => ({})));
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    return c.json(addCard(parsed.data), 201);
  });
  controlRoutes.get('/cards/:card', (c) => {
    const found = cards.get(c.req.param('card'));
    return found ? c.json(found.card) : c.json({ error: 'no such card' }, 404);
  });
  controlRoutes.post('/cards/:card/mode', async (c) => {
    const parsed = z.safeParse(z.object({ mode: z.enum(cardModes) }), await c.req.json().catch(() => ({})));
    if (!parsed.success || !cards.has(c.req.param('card'))) return c.json({ error: 'no such card or mode' }, 400);
    setMode(c.req.param('card'), parsed.data.mode);
    return c.json(state(c.req.param('card')).card);
  });
  controlRoutes.get('/cards/:card/tap', (c) => {
    if (!cards.has(c.req.param('card'))) return c.json({ error: 'no such card' }, 404);
    const form = z.safeParse(z.enum(['lnurlw', 'bech32', 'lightning']), c.req.query('form') ?? 'lnurlw');
    if (!form.success) return c.json({ error: 'form must be lnurlw, bech32 or lightning' }, 400);
    return c.json({ link: tap(c.req.param('card'), new URL(c.req.url).origin, form.data) });
  });

  function setMode(cardId: string, mode: CardMode): void {
    state(cardId).card.mode = mode;
  }

  const { app, control } = fakeApp(vendor, boltcardErrors, controlRoutes);
  return {
    app,
    control,
    addCard,
    setMode,
    tap,
    settled: async () => {
      await Promise.all(running);
    },
  };
}

/** boltcard's `resp_err`: HTTP 200 with LUD-03's error object. */
function refusal(c: Context, reason: string): Response {
  return c.json({ status: 'ERROR', reason });
}

/** The server's own faults, as Go's net/http and a reverse proxy answer them: not JSON. */
const boltcardErrors: VendorErrors = {
  error: (c) => c.text('Internal Server Error\n', 500),
  unavailable: (c) => c.html('<html><body><h1>503 Service Unavailable</h1></body></html>', 503),
  rateLimited: (c) => c.text('Too Many Requests\n', 429),
};

/** Pays a BOLT11 with a wallet the fake was given. */
async function payThroughWallet(wallet: CardWallet, paymentRequest: string): Promise<void> {
  const signal = AbortSignal.timeout(PAYMENT_TIMEOUT_MS);
  switch (wallet.kind) {
    case 'none':
      throw new Error('this card has no wallet');
    case 'lnbits': {
      const { paymentHash } = decodePaymentRequest(paymentRequest);
      const response = await fetch(`${wallet.url}/__fake/settle/${paymentHash}`, { method: 'POST', signal });
      if (!response.ok) throw new Error(`LNbits fake answered ${response.status}`);
      return;
    }
    case 'pos-demo': {
      // The demo wallet pays by invoice id: find it among the POS's pending invoices by its BOLT11.
      const headers = { Authorization: `Bearer ${wallet.token}` };
      const listed = await fetch(`${wallet.url}/api/payments?status=pending&limit=100`, { headers, signal });
      const page = z.parse(z.object({ data: z.array(z.object({ id: z.string(), paymentRequest: z.string() })) }), await listed.json());
      const invoice = page.data.find((item) => item.paymentRequest === paymentRequest);
      if (!invoice) throw new Error('the POS has no pending invoice with this BOLT11');
      const paid = await fetch(`${wallet.url}/api/demo/invoices/${invoice.id}/pay`, { method: 'POST', headers, signal });
      if (!paid.ok) throw new Error(`the POS answered ${paid.status}`);
      return;
    }
  }
}

/** LUD-01: the URL's UTF-8 bytes in bech32 under the `lnurl` prefix, upper case as on cards and QRs. */
function encodeLnurl(url: string): string {
  return bech32.encode('lnurl', bech32.toWords(new TextEncoder().encode(url)), 2048).toUpperCase();
}
