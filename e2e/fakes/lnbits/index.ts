/**
 * A fake LNbits: one wallet with an invoice key and an admin key, in the release and on the
 * database `mode` names (./versions.ts), on a loopback server or through `app.request`. Payments
 * are paid by the test calling `settle`, which also sends the paid webhook.
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { fakeApp, randomHex, type FakeControl, type FakeEnv } from '../common';
import { lnbitsErrors, lnbitsRoutes, paymentJson, sendWebhook } from './routes';
import { ExternalPaymentInput, LnbitsState, type FakePayment } from './state';
import { DEFAULT_LNBITS_MODE, type LnbitsMode } from './versions';

export type { FakePayment } from './state';
export type { LnbitsMode } from './versions';

export interface FakeLnbitsOptions extends Partial<LnbitsMode> {
  /** Random 32-hex keys (LNbits' uuid4().hex) if omitted. */
  invoiceKey?: string;
  adminKey?: string;
  /** BTC price per fiat currency in major units; 0 plays "no exchange has a price now". */
  btcPrices?: Record<string, number>;
  /** Requests per minute per client IP and endpoint before 429 (LNbits' default 200). */
  rateLimitPerMinute?: number;
}

export interface FakeLnbits {
  app: Hono<FakeEnv>;
  control: FakeControl;
  mode: LnbitsMode;
  invoiceKey: string;
  adminKey: string;
  walletId: string;
  /** The customer pays: success, the preimage revealed, the webhook sent once (awaited). */
  settle(paymentHash: string): Promise<void>;
  /** A payment the POS did not make (another extension, a LNURL, an outgoing payment). */
  addExternalPayment(input: ExternalPaymentInput): FakePayment;
  /** Copies of every payment, oldest first. */
  payments(): readonly FakePayment[];
  /**
   * Posts a payment's webhook again. LNbits itself sends it once, but anyone with the wallet's read
   * key sees the webhook URL, so anyone may post to it.
   */
  replayWebhook(paymentHash: string): Promise<void>;
}

export function createFakeLnbits(options: FakeLnbitsOptions = {}): FakeLnbits {
  const mode: LnbitsMode = {
    version: options.version ?? DEFAULT_LNBITS_MODE.version,
    database: options.database ?? DEFAULT_LNBITS_MODE.database,
    expiredInvoices: options.expiredInvoices ?? DEFAULT_LNBITS_MODE.expiredInvoices,
  };
  const keys = { invoiceKey: options.invoiceKey ?? randomHex(16), adminKey: options.adminKey ?? randomHex(16) };
  const rateLimit = options.rateLimitPerMinute ?? 200;
  const state = new LnbitsState(mode, randomHex(16));

  async function settle(paymentHash: string): Promise<void> {
    const payment = state.settle(paymentHash);
    await sendWebhook(payment, mode);
  }

  const control = new Hono<FakeEnv>();
  control.post('/settle/:hash', async (c) => {
    if (!state.find(c.req.param('hash'))) return c.json({ error: 'no such payment' }, 404);
    await settle(c.req.param('hash'));
    return c.json(paymentJson(state.find(c.req.param('hash'))!));
  });
  control.post('/external-payment', async (c) => {
    const parsed = z.safeParse(ExternalPaymentInput, await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: 'invalid external payment' }, 400);
    return c.json(state.addExternal(parsed.data), 201);
  });
  control.get('/payments', (c) => c.json(state.all()));

  const { app, control: fakeControl } = fakeApp(lnbitsRoutes(state, mode, keys, options.btcPrices ?? { USD: 100_000, EUR: 92_000 }, rateLimit), lnbitsErrors(rateLimit), control);
  return {
    app,
    control: fakeControl,
    mode,
    ...keys,
    walletId: state.walletId,
    settle,
    addExternalPayment: (input) => state.addExternal(input),
    payments: () => state.all().map((p) => structuredClone(p)),
    replayWebhook: async (paymentHash) => {
      const payment = state.find(paymentHash);
      if (!payment) throw new Error(`fake LNbits: no payment ${paymentHash}`);
      payment.webhookStatus = null;
      await sendWebhook(payment, mode);
    },
  };
}
