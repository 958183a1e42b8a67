/**
 * Every provider the POS supports, in every mode of its fake that models a real set-up: the table
 * the provider contract suite (providers/contract.test.ts) runs over. Each run is a fake on
 * loopback and a proxy on it, built through bootstrap like production, plus what a test needs to
 * play the customer, the store's other business, and a provider in trouble.
 */
import type { Env } from '../config';
import { createFakeBtcpay, type FakeBtcpay } from '../../../e2e/fakes/btcpay';
import { listen, randomHex, type Fault, type FaultMode, type LoggedRequest } from '../../../e2e/fakes/common';
import { createFakeLnbits, type FakeLnbits } from '../../../e2e/fakes/lnbits';
import { createFakeStrike, type FakeStrike } from '../../../e2e/fakes/strike';
import type { KeyValueStore } from '../store';
import { z } from '../zod';
import { loopbackForProxy, providerProxy, type ProviderProxy } from './harness';

export const STRIKE_WEBHOOK_SECRET = 'strike-webhook-secret-42';
export const BTCPAY_WEBHOOK_SECRET = 'btcpay-webhook-secret-42';

export interface RunOptions {
  env?: Env;
  /** A shorter deadline per API request than the real one. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Set POS_PUBLIC_URL to a loopback listener and subscribe the provider's webhooks there. */
  webhooks?: boolean;
  store?: KeyValueStore;
}

export interface ModeRun {
  proxy: ProviderProxy;
  /** The customer's wallet pays the invoice (webhooks, if any, delivered before this resolves). */
  pay(id: string): Promise<void>;
  /** Money that reached the wallet, store or account without this POS: it is never a sale. */
  addForeign(): Promise<void>;
  fault(fault: Partial<Fault> & { mode: FaultMode }): void;
  requests(): LoggedRequest[];
  /** How many invoices the provider holds, the store's other business left out. */
  invoiceCount(): number;
  /** An id of the provider's form that names no invoice. */
  madeUpId(): string;
  /** The last webhook delivered again, as the provider (or someone who saw it) would. */
  redeliverLast(): Promise<void>;
  /** Resolves once the webhooks the provider is sending on its own have been answered. */
  quiet(): Promise<void>;
  /** Another proxy on the same fake (a second instance, or a restart with other settings). */
  another(options?: RunOptions): Promise<ProviderProxy>;
  close(): Promise<void>;
}

export interface ProviderMode {
  name: string;
  provider: 'demo' | 'lnbits' | 'strike' | 'btcpay';
  /** Whether a cancel revokes the invoice at the provider (else a wallet may still pay it). */
  revokesOnCancel: boolean;
  /** Whether faults can be injected (the demo wallet is in-process). */
  faults: boolean;
  /** Whether the provider sends webhooks to the POS. */
  webhooks: boolean;
  start(options?: RunOptions): Promise<ModeRun>;
}

const PINS = { POS_CASHIER_PIN: '1234', POS_MANAGER_PIN: '999999', POS_CREATE_LIMIT: '100000' };

/** A loopback address for the proxy when webhooks are on; the proxy attaches once built. */
async function endpointFor(options: RunOptions) {
  return options.webhooks ? loopbackForProxy() : undefined;
}

function proxyOn(env: Env, options: RunOptions, publicUrl?: string): ReturnType<typeof providerProxy> {
  const proxy = providerProxy(
    { ...PINS, ...env, ...(publicUrl ? { POS_PUBLIC_URL: publicUrl } : {}), ...options.env },
    {
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.store ? { store: options.store } : {}),
    },
  );
  return proxy;
}

export const demoMode: ProviderMode = {
  name: 'demo',
  provider: 'demo',
  revokesOnCancel: true,
  faults: false,
  webhooks: false,
  async start(options = {}) {
    const proxy = proxyOn({ POS_PROVIDER: 'demo', DEMO_INVOICE_EXPIRY: '600' }, options);
    const demo = proxy.demo!;
    return {
      proxy,
      pay: async (id) => void demo.pay(id),
      addForeign: async () => {},
      fault: () => {
        throw new Error('the demo wallet takes no faults');
      },
      requests: () => [],
      invoiceCount: () => demo.all().length,
      madeUpId: () => randomHex(16),
      redeliverLast: async () => {},
      quiet: async () => {},
      another: async (more = {}) => proxyOn({ POS_PROVIDER: 'demo' }, { ...options, ...more }),
      close: async () => {},
    };
  },
};

export function lnbitsMode(version: string, database: 'sqlite' | 'postgres'): ProviderMode {
  return {
    name: `LNbits ${version} on ${database === 'postgres' ? 'PostgreSQL' : 'SQLite'}`,
    provider: 'lnbits',
    revokesOnCancel: false,
    faults: true,
    webhooks: true,
    async start(options = {}) {
      const fake: FakeLnbits = createFakeLnbits({ version, database });
      const server = await listen(fake.app);
      const endpoint = await endpointFor(options);
      const env = { POS_PROVIDER: 'lnbits', LNBITS_URL: server.url, LNBITS_INVOICE_KEY: fake.invoiceKey };
      const proxy = proxyOn(env, options, endpoint?.url);
      // Tests count provider requests: the start-up check of the release comes before any of theirs.
      await proxy.ready;
      endpoint?.attach(proxy.app);
      return {
        proxy,
        pay: (id) => fake.settle(id),
        addForeign: async () => {
          fake.addExternalPayment({ amountMsat: 42_000_000, memo: 'LNURL tip jar', tag: 'lnurlp' });
          fake.addExternalPayment({ amountMsat: 5_000_000, direction: 'out', memo: 'paid a supplier' });
        },
        fault: (f) => fake.control.setFault(f),
        requests: () => fake.control.requests,
        invoiceCount: () => fake.payments().filter((p) => p.extra.pos !== undefined).length,
        madeUpId: () => randomHex(32),
        quiet: async () => {},
        redeliverLast: async () => {
          const last = fake.payments().findLast((p) => p.webhookStatus !== null);
          if (last) await fake.replayWebhook(last.paymentHash);
        },
        another: async (more = {}) => proxyOn(env, { ...options, ...more }, endpoint?.url),
        close: async () => {
          await endpoint?.close();
          await server.close();
        },
      };
    },
  };
}

/** A POS on the fake BTCPay store at `url`, with the PINs every test uses. */
export function btcpayEnv(fake: FakeBtcpay, url: string): Env {
  return {
    ...PINS,
    POS_PROVIDER: 'btcpay',
    BTCPAY_URL: url,
    BTCPAY_API_KEY: fake.apiKey,
    BTCPAY_STORE_ID: fake.storeId,
    BTCPAY_WEBHOOK_SECRET,
  };
}

export function btcpayMode(version: string, settings: { lazy?: boolean; leastPrivilege?: boolean } = {}): ProviderMode {
  const leastPrivilege = ['btcpay.store.cancreateinvoice', 'btcpay.store.canviewinvoices'];
  return {
    name: `BTCPay ${version}${settings.lazy ? ' with lazy payment methods' : ''}${settings.leastPrivilege ? ', least-privilege key' : ''}`,
    provider: 'btcpay',
    revokesOnCancel: false,
    faults: true,
    webhooks: true,
    async start(options = {}) {
      const fake: FakeBtcpay = createFakeBtcpay({
        version,
        lazyPaymentMethods: settings.lazy ?? false,
        permissions: settings.leastPrivilege ? leastPrivilege : [...leastPrivilege, 'btcpay.store.canmodifyinvoices'],
      });
      const server = await listen(fake.app);
      const endpoint = await endpointFor(options);
      const env = btcpayEnv(fake, server.url);
      const proxy = proxyOn(env, options, endpoint?.url);
      // Tests count provider requests: the start-up check of the release comes before any of theirs.
      await proxy.ready;
      endpoint?.attach(proxy.app);
      // The store owner registers the webhook in BTCPay (the POS's own key needs no such permission).
      if (endpoint) fake.addWebhook(`${endpoint.url}/api/webhooks/btcpay`, BTCPAY_WEBHOOK_SECRET);
      const foreign: string[] = [];
      return {
        proxy,
        pay: (id) => fake.pay(id),
        addForeign: async () => {
          for (const kind of ['onchain', 'lnurl', 'pos-app', 'payment-request'] as const) foreign.push(fake.addForeign(kind));
          // The store's own PoS app sells an espresso, paid by Lightning (its checkout page activated the method).
          await fake.pay(foreign[2]!);
        },
        fault: (f) => fake.control.setFault(f),
        requests: () => fake.control.requests,
        invoiceCount: () => fake.invoices().filter((i) => !foreign.includes(i.id)).length,
        madeUpId: () => 'Xx'.repeat(11),
        redeliverLast: () => fake.redeliverLast(),
        quiet: () => fake.flush(),
        another: async (more = {}) => proxyOn(env, { ...options, ...more }, endpoint?.url),
        close: async () => {
          fake.dispose();
          await endpoint?.close();
          await server.close();
        },
      };
    },
  };
}

export const strikeMode: ProviderMode = {
  name: 'Strike',
  provider: 'strike',
  revokesOnCancel: true,
  faults: true,
  webhooks: true,
  async start(options = {}) {
    const fake: FakeStrike = createFakeStrike();
    const server = await listen(fake.app);
    const endpoint = await endpointFor(options);
    const env = { POS_PROVIDER: 'strike', STRIKE_API_URL: server.url, STRIKE_API_KEY: fake.apiKey, STRIKE_WEBHOOK_SECRET };
    const proxy = proxyOn(env, options, endpoint?.url);
    await proxy.ready;
    endpoint?.attach(proxy.app);
    if (endpoint) {
      const subscribed = await fake.app.request('/v1/subscriptions', {
        method: 'POST',
        headers: { Authorization: `Bearer ${fake.apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ webhookUrl: `${endpoint.url}/api/webhooks/strike`, webhookVersion: 'v1', secret: STRIKE_WEBHOOK_SECRET, enabled: true, eventTypes: ['invoice.updated'] }),
      });
      if (subscribed.status !== 201) throw new Error(`fake Strike refused the subscription: ${subscribed.status}`);
    }
    const foreign: string[] = [];
    return {
      proxy,
      pay: (id) => fake.pay(id),
      addForeign: async () => {
        // Another tool on the same account invoices and gets paid.
        const made = await fake.app.request('/v1/invoices', {
          method: 'POST',
          headers: { Authorization: `Bearer ${fake.apiKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ correlationId: 'webshop-order-77', description: 'Web shop', amount: { amount: '9.00', currency: 'USD' } }),
        });
        const { invoiceId } = z.parse(z.object({ invoiceId: z.string() }), await made.json());
        foreign.push(invoiceId);
        await fake.app.request(`/v1/invoices/${invoiceId}/quote`, { method: 'POST', headers: { Authorization: `Bearer ${fake.apiKey}` } });
        await fake.pay(invoiceId);
      },
      fault: (f) => fake.control.setFault(f),
      requests: () => fake.control.requests,
      invoiceCount: () => fake.invoices().filter((i) => !foreign.includes(i.invoiceId)).length,
      madeUpId: () => crypto.randomUUID(),
      redeliverLast: () => fake.redeliverLast(),
      quiet: () => fake.webhooksSettled(),
      another: async (more = {}) => proxyOn(env, { ...options, ...more }, endpoint?.url),
      close: async () => {
        await endpoint?.close();
        await server.close();
      },
    };
  },
};

/** Every supported provider and set-up: what the contract suite runs over. */
export const MODES: readonly ProviderMode[] = [
  demoMode,
  lnbitsMode('1.3.1', 'sqlite'),
  lnbitsMode('1.4.0', 'postgres'),
  btcpayMode('1.10.3'),
  btcpayMode('2.0.0', { leastPrivilege: true }),
  btcpayMode('2.4.1', { lazy: true }),
  strikeMode,
];
