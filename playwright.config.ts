import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';
import { fakeKeys, ports, realPos, staffPos, STRIKE_QUOTE_SECONDS } from './e2e/ports';

/** Browser tests drive a real Chromium (e2e/chromium.ts) like a cashier would, against the built app on loopback. */

const server = (port: number, env: Record<string, string> = {}) => ({
  command: 'node dist/server/node.js',
  url: `http://127.0.0.1:${port}/api/health`,
  // Every test tablet is 127.0.0.1: lift the per-client limits the tests would share.
  env: { PORT: String(port), HOST: '127.0.0.1', POS_CREATE_LIMIT: '100000', POS_CARD_TAP_LIMIT: '100000', ...env },
  reuseExistingServer: false,
  stdout: 'ignore' as const,
  stderr: 'pipe' as const,
  timeout: 30_000,
});

const fake = (vendor: string, port: number, ...args: string[]) => ({
  command: `node --import tsx e2e/fakes/serve.ts ${vendor} --port ${port} ${args.join(' ')}`,
  url: `http://127.0.0.1:${port}/__fake/requests`,
  reuseExistingServer: false,
  stdout: 'ignore' as const,
  stderr: 'pipe' as const,
  timeout: 30_000,
});

/**
 * Where the POS instances on a real provider keep their SQLite stores: fresh for every run (the
 * config is read again in each worker, which must not delete what the servers are using).
 */
const dataRoot = join('test-results', 'e2e-data', String(ports.demo));
if (process.env.TEST_WORKER_INDEX === undefined) rmSync(dataRoot, { recursive: true, force: true });

/** Test rigs only: the POS may call the fake Bolt Card service on its loopback port. */
const cardRig = { POS_TEST_CARD_LOOPBACK_PORTS: String(ports.fakeBoltcard) };

/** A POS on a real provider needs its PINs, session secret and set-up code set, and its own data directory. */
const realProvider = (port: number) => ({
  POS_CASHIER_PIN: realPos.pins.cashier,
  POS_MANAGER_PIN: realPos.pins.manager,
  POS_SESSION_SECRET: 'e2e-session-secret-0123456789abcdef',
  POS_SETUP_CODE: realPos.setupCode,
  POS_DATA_DIR: join(dataRoot, String(port)),
});

const fakeLnbits = {
  POS_PROVIDER: 'lnbits',
  LNBITS_URL: `http://127.0.0.1:${ports.fakeLnbits}`,
  LNBITS_INVOICE_KEY: fakeKeys.lnbits,
};

export default defineConfig({
  testDir: 'e2e',
  // The fakes' own tests are vitest's (*.test.ts); Playwright runs the browser specs.
  testMatch: '*.spec.ts',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 30_000,
  expect: { timeout: 7_000 },
  // Playwright empties outputDir at start: keep it apart from the JSON reports CI counts.
  outputDir: 'test-results/artifacts',
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/playwright.json' }]] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${ports.demo}`,
    locale: 'en-US',
    timezoneId: 'UTC',
    hasTouch: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  projects: [
    { name: 'landscape', use: { viewport: { width: 1024, height: 768 } } },
    { name: 'portrait', use: { viewport: { width: 768, height: 1024 } } },
  ],
  webServer: [
    // Charge goes straight to the QR here (tips off); the tip screen has its own server.
    server(ports.demo, { ...cardRig, POS_TIPS: 'off' }),
    server(ports.tips, { POS_TIPS: '10,15,20', POS_STORE_NAME: 'Tip Top Café', POS_STORE_ADDRESS: '1 Harbour Street, Springfield' }),
    server(ports.staff, {
      POS_CASHIERS: Object.values(staffPos.cashiers).map((c) => `${c.name}:${c.pin}`).join(','),
      POS_TIPS: '10,15,20',
      POS_STORE_NAME: 'Two Hands Bakery',
    }),
    server(ports.shortExpiry, { DEMO_INVOICE_EXPIRY: '4', POS_TIPS: 'off' }),
    fake('lnbits', ports.fakeLnbits, '--key', fakeKeys.lnbits),
    server(ports.lnbitsPos, { ...realProvider(ports.lnbitsPos), ...cardRig, ...fakeLnbits }),
    fake('boltcard', ports.fakeBoltcard),
    server(ports.pairingPos, { ...realProvider(ports.pairingPos), ...fakeLnbits }),
    server(ports.signOutPos, { ...realProvider(ports.signOutPos), ...fakeLnbits }),
    fake('strike', ports.fakeStrike, '--key', fakeKeys.strike, '--quote-seconds', String(STRIKE_QUOTE_SECONDS)),
    server(ports.strikePos, {
      ...realProvider(ports.strikePos),
      POS_PROVIDER: 'strike',
      STRIKE_API_URL: `http://127.0.0.1:${ports.fakeStrike}`,
      STRIKE_API_KEY: fakeKeys.strike,
    }),
    server(ports.lnbitsShortPos, {
      ...realProvider(ports.lnbitsShortPos),
      POS_PROVIDER: 'lnbits',
      POS_INVOICE_EXPIRY: '60',
      LNBITS_URL: `http://127.0.0.1:${ports.fakeLnbits}`,
      LNBITS_INVOICE_KEY: fakeKeys.lnbits,
    }),
    fake('btcpay', ports.fakeBtcpay, '--key', fakeKeys.btcpay, '--store', fakeKeys.btcpayStore, '--version', '2.0.0'),
    server(ports.btcpayPos, {
      ...realProvider(ports.btcpayPos),
      POS_PROVIDER: 'btcpay',
      POS_INVOICE_EXPIRY: '60',
      BTCPAY_URL: `http://127.0.0.1:${ports.fakeBtcpay}`,
      BTCPAY_API_KEY: fakeKeys.btcpay,
      BTCPAY_STORE_ID: fakeKeys.btcpayStore,
    }),
  ],
});
