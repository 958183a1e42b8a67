/**
 * Serves one fake provider as its own process, for browser tests and measurements (Playwright
 * starts it as a web server and the POS under test points at it):
 *
 *   tsx e2e/fakes/serve.ts lnbits --port 3310 --key <32 hex> [--version 1.4.0 --database postgres] [--rate-limit N]
 *   tsx e2e/fakes/serve.ts strike --port 3320 --key <api key> [--quote-seconds 12]
 *   tsx e2e/fakes/serve.ts btcpay --port 3330 --key <api key> --store <store id> [--version 2.0.0] [--lazy]
 *       [--foreign] (adds invoices others made: on-chain, LNURL, the store's PoS app, a payment request)
 *   tsx e2e/fakes/serve.ts boltcard --port 3340
 *
 * Tests drive it through its `/__fake/*` control routes.
 */
import { parseArgs } from 'node:util';
import { createFakeBoltcard } from './boltcard';
import { createFakeBtcpay } from './btcpay/index';
import { listen } from './common';
import { createFakeLnbits } from './lnbits/index';
import { createFakeStrike } from './strike/index';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    key: { type: 'string' },
    store: { type: 'string' },
    version: { type: 'string' },
    database: { type: 'string' },
    lazy: { type: 'boolean' },
    foreign: { type: 'boolean' },
    'quote-seconds': { type: 'string' },
    'rate-limit': { type: 'string' },
  },
});

const vendor = positionals[0];
const port = Number(values.port ?? 0);
const key = values.key;

function build() {
  switch (vendor) {
    case 'lnbits':
      return createFakeLnbits({
        ...(key ? { invoiceKey: key } : {}),
        ...(values.version ? { version: values.version } : {}),
        ...(values.database === 'postgres' || values.database === 'sqlite' ? { database: values.database } : {}),
        // LNbits' admins can raise it (LNBITS_RATE_LIMIT_NO); the benchmark does, to measure the proxy.
        ...(values['rate-limit'] ? { rateLimitPerMinute: Number(values['rate-limit']) } : {}),
      }).app;
    case 'strike':
      return createFakeStrike({
        ...(key ? { apiKey: key } : {}),
        ...(values['quote-seconds'] ? { fiatQuoteSeconds: Number(values['quote-seconds']) } : {}),
      }).app;
    case 'btcpay': {
      const fake = createFakeBtcpay({
        ...(key ? { apiKey: key } : {}),
        ...(values.store ? { storeId: values.store } : {}),
        ...(values.version ? { version: values.version } : {}),
        ...(values.lazy ? { lazyPaymentMethods: true } : {}),
        // The POS's own key may mark invoices Invalid, as a store owner would set it up.
        permissions: ['btcpay.store.canmodifyinvoices', 'btcpay.store.webhooks.canmodifywebhooks'],
      });
      if (values.foreign) for (const kind of ['onchain', 'lnurl', 'pos-app', 'payment-request'] as const) fake.addForeign(kind);
      return fake.app;
    }
    case 'boltcard':
      return createFakeBoltcard().app;
    default:
      console.error('usage: serve.ts lnbits|strike|btcpay|boltcard --port N [--key K] [--store S] [--version V] [--database D] [--lazy] [--foreign] [--quote-seconds S] [--rate-limit N]');
      process.exit(2);
  }
}

const running = await listen(build(), port);
console.log(`fake ${vendor} on ${running.url}`);
const stop = () => void running.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
