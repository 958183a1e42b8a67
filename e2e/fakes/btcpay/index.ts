/**
 * A fake BTCPay Server: one store, in the release and with the store settings `mode` names
 * (./versions.ts), holding the POS's invoices beside those others make. Tests pay, expire, mark,
 * archive and add foreign invoices through the control object or `/__fake/*` routes.
 */
import { Hono, type Context } from 'hono';
import { fakeApp, randomHex, type FakeControl, type FakeEnv } from '../common';
import { btcpayErrors, btcpayRoutes, DEFAULT_PERMISSIONS } from './routes';
import { BtcpayStore, FakeBtcpayError, randomBase58, type FakeBtcpayDelivery, type FakeBtcpayInvoice } from './state';
import { DEFAULT_BTCPAY_MODE, type BtcpayMode } from './versions';

export type { FakeBtcpayInvoice } from './state';
export type { BtcpayMode } from './versions';

export interface FakeBtcpayOptions extends Partial<BtcpayMode> {
  storeId?: string;
  apiKey?: string;
  /** Permissions of the key, e.g. `btcpay.store.canviewinvoices`, or `perm:storeId`. */
  permissions?: string[];
  /** BTC price per currency, major units. BTC and SATS are built in. */
  btcPrices?: Record<string, number>;
}

/** Invoices a real store holds that the POS did not make. */
export type ForeignKind = 'onchain' | 'lnurl' | 'pos-app' | 'payment-request';

export interface FakeBtcpay {
  app: Hono<FakeEnv>;
  control: FakeControl;
  mode: BtcpayMode;
  storeId: string;
  apiKey: string;
  /** A wallet pays the BOLT11: New → Settled; Invalid and Expired record the payment and keep their status. */
  pay(invoiceId: string): Promise<void>;
  expire(invoiceId: string): Promise<void>;
  /** The merchant marks the invoice in BTCPay's UI. */
  mark(invoiceId: string, status: 'Settled' | 'Invalid'): Promise<void>;
  /** The merchant archives the invoice in BTCPay's UI. */
  archive(invoiceId: string): void;
  /** An invoice someone else made on the store; returns its id. */
  addForeign(kind: ForeignKind, amount?: string): string;
  invoices(): readonly FakeBtcpayInvoice[];
  /** Requests of the POS that did not match BTCPay's OpenAPI fragments. */
  schemaViolations(): readonly string[];
  deliveries(): readonly FakeBtcpayDelivery[];
  /** The last delivery again under a new delivery id that points back at the first. */
  redeliverLast(): Promise<void>;
  /** Waits until every queued webhook delivery has been answered. */
  flush(): Promise<void>;
  /** The store owner adds a webhook in BTCPay's UI. */
  addWebhook(url: string, secret: string): void;
  /** Forgets the store's webhooks: nothing is sent after a test ends. */
  dispose(): void;
}

const FOREIGN: Record<ForeignKind, { kinds: ('lightning' | 'lnurl' | 'onchain')[]; metadata: () => Record<string, unknown> }> = {
  onchain: { kinds: ['onchain'], metadata: () => ({ orderId: `shop-${randomBase58(6)}`, itemDesc: 'Web shop order' }) },
  lnurl: { kinds: ['lnurl'], metadata: () => ({}) },
  'pos-app': { kinds: ['lightning', 'onchain'], metadata: () => ({ orderId: `pos-app-${randomBase58(6)}`, itemDesc: 'Espresso', posData: { cart: [{ id: 'espresso', count: 1 }] } }) },
  'payment-request': { kinds: ['lightning'], metadata: () => ({ paymentRequestId: randomBase58(12) }) },
};

export function createFakeBtcpay(options: FakeBtcpayOptions = {}): FakeBtcpay {
  const mode: BtcpayMode = { version: options.version ?? DEFAULT_BTCPAY_MODE.version, lazyPaymentMethods: options.lazyPaymentMethods ?? DEFAULT_BTCPAY_MODE.lazyPaymentMethods };
  const store = new BtcpayStore(options.storeId ?? randomBase58(44), mode, new Map(Object.entries(options.btcPrices ?? { USD: 100_000, EUR: 90_000 })));
  const apiKey = options.apiKey ?? randomHex(20);
  const violations: string[] = [];

  const fake = {
    pay: async (id: string) => {
      store.pay(id);
      await store.flush();
    },
    expire: async (id: string) => {
      store.expire(id);
      await store.flush();
    },
    mark: async (id: string, status: 'Settled' | 'Invalid') => {
      store.mark(store.find(id), status);
      await store.flush();
    },
    archive: (id: string) => {
      store.find(id).archived = true;
    },
    addForeign: (kind: ForeignKind, amount = '7.00') => {
      const created = store.create({ amount, currency: 'USD', metadata: FOREIGN[kind].metadata(), paymentMethods: [], expirationMinutes: 15, kinds: FOREIGN[kind].kinds });
      if (typeof created === 'string') throw new Error(created);
      return created.id;
    },
    redeliverLast: async () => {
      await store.flush();
      const last = store.deliveries.at(-1);
      if (!last) throw new FakeBtcpayError('no delivery to redeliver yet', 409);
      store.emit(store.find(last.invoiceId), last.type, last.originalDeliveryId);
      await store.flush();
    },
  };

  const control = new Hono<FakeEnv>();
  /** A test action; a misuse (unknown invoice, paying twice) is a 404/409, not a crash. */
  const controlled = async (c: Context, action: () => unknown) => {
    try {
      return c.json((await action()) ?? { ok: true });
    } catch (error) {
      if (error instanceof FakeBtcpayError) return c.json({ error: error.message }, error.httpStatus);
      throw error;
    }
  };
  control.post('/pay/:id', (c) => controlled(c, () => fake.pay(c.req.param('id'))));
  control.post('/expire/:id', (c) => controlled(c, () => fake.expire(c.req.param('id'))));
  control.post('/mark-invalid/:id', (c) => controlled(c, () => fake.mark(c.req.param('id'), 'Invalid')));
  control.post('/archive/:id', (c) => controlled(c, () => fake.archive(c.req.param('id'))));
  control.post('/foreign/:kind', (c) => {
    const kind = (['onchain', 'lnurl', 'pos-app', 'payment-request'] as const).find((k) => k === c.req.param('kind'));
    return kind ? c.json({ id: fake.addForeign(kind) }) : c.json({ error: 'unknown kind' }, 400);
  });
  control.get('/invoices', (c) => c.json([...store.invoices.values()]));
  control.get('/schema-violations', (c) => c.json(violations));
  control.get('/deliveries', (c) => c.json(store.deliveries));
  control.post('/redeliver-last', (c) => controlled(c, () => fake.redeliverLast()));

  const { app, control: fakeControl } = fakeApp(btcpayRoutes(store, apiKey, options.permissions ?? DEFAULT_PERMISSIONS, violations), btcpayErrors, control);
  return {
    app,
    control: fakeControl,
    mode,
    storeId: store.id,
    apiKey,
    ...fake,
    invoices: () => {
      store.expireOverdue();
      return [...store.invoices.values()];
    },
    schemaViolations: () => [...violations],
    deliveries: () => [...store.deliveries],
    flush: () => store.flush(),
    addWebhook: (url: string, secret: string) => void store.addWebhook(url, secret),
    dispose: () => store.webhooks.clear(),
  };
}
