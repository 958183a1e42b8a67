/**
 * A fake Strike API v1 on loopback (or through `app.request`): one account, its invoices and
 * quotes, OData lists, the rate limits and their one-hour lockout, and signed webhooks.
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { fakeApp, randomHex, type FakeControl, type FakeEnv } from '../common';
import { DEFAULT_READ_LIMIT, StrikeLimits, type ReadLimit } from './limits';
import { DEFAULT_STRIKE_SCOPES, strikeErrors, strikeRoutes } from './routes';
import { StrikeAccount, type FakeStrikeDelivery, type FakeStrikeInvoice } from './state';

export type { FakeStrikeInvoice } from './state';

export interface FakeStrikeOptions {
  apiKey?: string;
  scopes?: string[];
  /** BTC price per currency, major units; invoiceable currencies are these plus BTC. */
  btcPrices?: Record<string, number>;
  /** How long a fiat quote lasts (Strike guarantees the rate for 30 s); BTC quotes an hour. */
  fiatQuoteSeconds?: number;
  readLimit?: ReadLimit;
  createLimitPerMinute?: number;
}

export interface FakeStrike {
  app: Hono<FakeEnv>;
  control: FakeControl;
  apiKey: string;
  /** The customer pays the current quote (throws if none is live): PENDING, then PAID, webhooks awaited. */
  pay(invoiceId: string): Promise<void>;
  /** Requests counted against "everything else" so far. */
  readCount(): number;
  invoices(): readonly FakeStrikeInvoice[];
  deliveries(): readonly FakeStrikeDelivery[];
  /** The last webhook again, byte for byte (same event id and signature). */
  redeliverLast(): Promise<void>;
  /** Resolves when webhooks that HTTP requests caused have been delivered. */
  webhooksSettled(): Promise<void>;
}

export function createFakeStrike(options: FakeStrikeOptions = {}): FakeStrike {
  const apiKey = options.apiKey ?? randomHex(32);
  const account = new StrikeAccount(new Map(Object.entries(options.btcPrices ?? { USD: 100_000, EUR: 92_000 })), {
    fiat: options.fiatQuoteSeconds ?? 30,
    btc: 3600,
  });
  const limits = new StrikeLimits(options.readLimit ?? DEFAULT_READ_LIMIT, options.createLimitPerMinute ?? 250);

  async function redeliverLast(): Promise<void> {
    const last = account.deliveries.at(-1);
    if (!last) throw new Error('fake Strike: no webhook delivery to repeat');
    await account.send({ ...last, status: null });
  }

  const control = new Hono<FakeEnv>();
  control.post('/pay/:id', async (c) => {
    try {
      await account.pay(c.req.param('id'));
      return c.body(null, 204);
    } catch (error) {
      return c.json({ error: error instanceof Error ? error.message : 'refused' }, 409);
    }
  });
  control.get('/invoices', (c) => c.json(account.invoices));
  control.get('/read-count', (c) => c.json({ readCount: limits.readCount }));
  control.get('/deliveries', (c) => c.json(account.deliveries));
  control.post('/btc-prices', async (c) => {
    const parsed = z.safeParse(z.record(z.string(), z.number().check(z.positive())), await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: 'expected {"<currency>": <positive number>}' }, 400);
    for (const [currency, price] of Object.entries(parsed.data)) account.btcPrices.set(currency, price);
    return c.body(null, 204);
  });

  const { app, control: fakeControl } = fakeApp(strikeRoutes(account, limits, apiKey, new Set(options.scopes ?? DEFAULT_STRIKE_SCOPES)), strikeErrors, control);
  return {
    app,
    control: fakeControl,
    apiKey,
    pay: (id) => account.pay(id),
    readCount: () => limits.readCount,
    invoices: () => structuredClone(account.invoices),
    deliveries: () => structuredClone(account.deliveries),
    redeliverLast,
    webhooksSettled: () => account.settled(),
  };
}
