/**
 * `npm run bench`: builds the app, measures what the cashier, the customer and the manager feel
 * and what the proxy costs, writes BENCHMARKS.md, and exits non-zero when a budget is missed.
 *
 *   npm run bench                 the full run (about ten minutes on two cores)
 *   npm run bench -- --quick      fewer samples, for trying changes (BENCHMARKS.md says so)
 *   npm run bench -- --no-build   measure the build already in dist/
 */
import { execSync } from 'node:child_process';
import { cpus, freemem, loadavg, release, tmpdir, totalmem } from 'node:os';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../chromium';
import { portOffset } from '../ports';
import { measureCheckout } from './browser';
import { bundleReport } from './bundle';
import { measureLoad, measureOverhead } from './http';
import { measureFirstLoad } from './firstload';
import { measureLighthouse } from './lighthouse';
import { measureHeldLoad, measureIdleCheckouts } from './longpoll';
import { checkBudgets, renderReport, type Results } from './report';
import { createInvoices, sessionToken, startFake, startProxy, type Server } from './servers';

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean' }, 'no-build': { type: 'boolean' } } });
const quick = Boolean(flags.quick);

/**
 * Loopback ports of the benchmark, apart from the tests' (32xx, 33xx) and `npm start`'s 3000;
 * E2E_PORT_OFFSET shifts them like the tests'.
 */
const PORTS = {
  demo: 3401 + portOffset,
  lnbits: 3402 + portOffset,
  load: 3403 + portOffset,
  demoPolling: 3404 + portOffset,
  lnbitsPolling: 3405 + portOffset,
  lnbitsNoWebhook: 3406 + portOffset,
  lnbitsNoWebhookPolling: 3407 + portOffset,
  heldLoad: 3408 + portOffset,
  fakeLnbits: 3411 + portOffset,
  lighthouse: 9333 + portOffset,
} as const;
const LNBITS_KEY = '0be0c0be0c0be0c0be0c0be0c0be0c0b';
const PINS = { POS_CASHIER_PIN: '1234', POS_MANAGER_PIN: '999999' };
/** A real provider's POS pairs its tablets first (POS_SETUP_CODE) and keeps its store in a SQLite file of its own. */
const SETUP_CODE = 'bench-setup-code-0123456789abcdef';
const realProvider = () => ({
  ...PINS,
  POS_SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
  POS_SETUP_CODE: SETUP_CODE,
  POS_DATA_DIR: mkdtempSync(join(tmpdir(), 'pos-bench-')),
});
/** A proxy that holds no status read: the checkout falls back to polling each second, as it did before held reads. */
const POLLING = { POS_WAIT_MAX_SECONDS: '0' };

const log = (line: string) => process.stdout.write(`${line}\n`);
const servers: Server[] = [];

async function main(): Promise<number> {
  const loadAtStart = loadavg()[0] ?? 0;
  if (!flags['no-build']) {
    log('building…');
    execSync('npm run build', { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const bundle = bundleReport('dist/client');
  log(`bundle: cashier ${bundle.cashier.totalGzip} B gz`);

  // LNbits' admins can raise its 200/minute limit; measuring the proxy needs it out of the way.
  const fake = await startFake('lnbits', PORTS.fakeLnbits, '--key', LNBITS_KEY, '--rate-limit', '100000000');
  const demo = await startProxy('demo proxy', PORTS.demo, { ...PINS });
  const lnbitsEnv = () => ({
    ...realProvider(),
    POS_PROVIDER: 'lnbits',
    LNBITS_URL: fake.url,
    LNBITS_INVOICE_KEY: LNBITS_KEY,
    // The raised limit, told to the proxy too, so that it reads at LNbits' pace and not its default's.
    LNBITS_RATE_LIMIT: '100000000',
  });
  // Webhooks on, as a shop with a public URL has them: LNbits calls back when paid.
  const lnbits = await startProxy('LNbits proxy', PORTS.lnbits, { ...lnbitsEnv(), POS_PUBLIC_URL: `http://127.0.0.1:${PORTS.lnbits}` });
  servers.push(fake, demo, lnbits);

  const sales = quick ? 8 : 40;
  const warmup = quick ? 2 : 5;
  log(`checkout on the demo wallet: ${sales} sales…`);
  const settleDemo = (proxy: Server) => async (invoice: { id: string }, token: string) => {
    const response = await fetch(`${proxy.url}/api/demo/invoices/${invoice.id}/pay`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`demo pay answered ${response.status}`);
  };
  const settleLnbits = async (invoice: { paymentHash: string }) => {
    const response = await fetch(`${fake.url}/__fake/settle/${invoice.paymentHash}`, { method: 'POST' });
    if (!response.ok) throw new Error(`fake LNbits settle answered ${response.status}`);
  };
  const demoCheckout = await measureCheckout({ proxy: demo, pin: PINS.POS_CASHIER_PIN, sales, warmup, settle: settleDemo(demo) });
  log(`checkout on LNbits (fake): ${sales} sales…`);
  const lnbitsCheckout = await measureCheckout({ proxy: lnbits, pin: PINS.POS_CASHIER_PIN, sales, warmup, setupCode: SETUP_CODE, settle: settleLnbits });

  // The same checkouts polling each second as before held reads, and LNbits without webhooks both ways.
  const demoPolling = await startProxy('demo proxy, polling', PORTS.demoPolling, { ...PINS, ...POLLING });
  const lnbitsPolling = await startProxy('LNbits proxy, polling', PORTS.lnbitsPolling, {
    ...lnbitsEnv(),
    ...POLLING,
    POS_PUBLIC_URL: `http://127.0.0.1:${PORTS.lnbitsPolling}`,
  });
  const lnbitsNoWebhook = await startProxy('LNbits proxy, no webhooks', PORTS.lnbitsNoWebhook, lnbitsEnv());
  const lnbitsNoWebhookPolling = await startProxy('LNbits proxy, no webhooks, polling', PORTS.lnbitsNoWebhookPolling, { ...lnbitsEnv(), ...POLLING });
  servers.push(demoPolling, lnbitsPolling, lnbitsNoWebhook, lnbitsNoWebhookPolling);
  const checkoutOn = (proxy: Server, settle: typeof settleLnbits | ReturnType<typeof settleDemo>) => {
    log(`checkout on the ${proxy.name}: ${sales} sales…`);
    // Only a real provider's POS pairs its tablets; the demo's unlock without.
    const pairing = proxy === demoPolling ? {} : { setupCode: SETUP_CODE };
    return measureCheckout({ proxy, pin: PINS.POS_CASHIER_PIN, sales, warmup, settle, ...pairing });
  };
  const polled = {
    demo: await checkoutOn(demoPolling, settleDemo(demoPolling)),
    lnbits: await checkoutOn(lnbitsPolling, settleLnbits),
    noWebhook: { held: await checkoutOn(lnbitsNoWebhook, settleLnbits), polling: await checkoutOn(lnbitsNoWebhookPolling, settleLnbits) },
  };
  log('a checkout left waiting a minute, held reads and polling side by side…');
  const [idleHeld, idlePolling] = await measureIdleCheckouts([demo, demoPolling], PINS.POS_CASHIER_PIN, 60);

  log(`Lighthouse, cold and warm cache (${quick ? 1 : 3} runs each)…`);
  const lighthouse = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) lighthouse.push(await measureLighthouse(demo, PINS.POS_CASHIER_PIN, PORTS.lighthouse));
  log('first load from an empty cache…');
  const firstLoad = await measureFirstLoad(demo, PINS.POS_CASHIER_PIN);

  log('proxy overhead against LNbits (fake)…');
  const lnbitsToken = await sessionToken(lnbits, PINS.POS_CASHIER_PIN, SETUP_CODE);
  // Enough that a round never comes back to an invoice within its 0.9 s: every read goes to LNbits.
  const overheadInvoices = await createInvoices(lnbits, lnbitsToken, 1500);
  const overhead = await measureOverhead({
    proxy: lnbits,
    token: lnbitsToken,
    fake,
    invoiceKey: LNBITS_KEY,
    invoices: overheadInvoices,
    // Short alternating rounds: whatever else the machine does falls on both sides alike.
    rounds: quick ? 4 : 12,
    roundSec: quick ? 1 : 2,
  });

  log('throughput and memory of one Node process…');
  const load = await startProxy('load proxy', PORTS.load, { ...PINS });
  servers.push(load);
  const loadToken = await sessionToken(load, PINS.POS_CASHIER_PIN);
  const tablets = quick ? 200 : 1000;
  const loadInvoices = await createInvoices(load, loadToken, tablets);
  const saturated = await measureLoad({ proxy: load, token: loadToken, invoices: loadInvoices.slice(0, 200), tablets: 200, durationSec: quick ? 5 : 20 });
  const polling = await measureLoad({ proxy: load, token: loadToken, invoices: loadInvoices, tablets, durationSec: quick ? 5 : 20, perTabletRate: 1 });
  const coalescing = await measureLoad({
    proxy: lnbits,
    token: lnbitsToken,
    // Two screens per sale (say, the cashier's and a customer display), each polling once a second.
    invoices: overheadInvoices.slice(0, 100),
    tablets: 200,
    durationSec: quick ? 5 : 20,
    perTabletRate: 1,
    fake,
  });

  log(`${tablets} tablets holding status reads on one Node process…`);
  const heldLoadProxy = await startProxy('held-reads load proxy', PORTS.heldLoad, { ...PINS, POS_TRUST_PROXY: '1' });
  servers.push(heldLoadProxy);
  const heldLoad = await measureHeldLoad({
    proxy: heldLoadProxy,
    token: await sessionToken(heldLoadProxy, PINS.POS_CASHIER_PIN),
    tablets,
    windowSec: quick ? 30 : 60,
  });

  const browser = await chromium.launch(chromiumLaunchOptions);
  const chromiumVersion = browser.version();
  await browser.close();

  const results: Results = {
    quick,
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      freeMemoryGiB: Math.round(freemem() / 2 ** 30),
      os: osName(),
      node: process.version,
      chromium: chromiumVersion,
      lighthouse: lighthouse[0]?.cold.version ?? 'unknown',
      autocannon: packageVersion('autocannon'),
      load: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    },
    bundle,
    checkout: { demo: demoCheckout, lnbits: lnbitsCheckout },
    lighthouse,
    firstLoad,
    overhead,
    load: { saturated, polling, coalescing },
    heldReads: { polled, idle: { held: idleHeld!, polling: idlePolling! }, load: heldLoad },
  };
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/bench.json', JSON.stringify(results, null, 2));
  const budgets = checkBudgets(results);
  writeFileSync('BENCHMARKS.md', renderReport(results, budgets));
  log('');
  for (const budget of budgets) log(`${budget.met ? 'met   ' : 'MISSED'}  ${budget.name}: ${budget.measured} (budget ${budget.limit})`);
  log('wrote BENCHMARKS.md');
  return budgets.every((b) => b.met) ? 0 : 1;
}

function osName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]+)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? `Linux ${release()}`;
  } catch {
    return `${process.platform} ${release()}`;
  }
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
}

main()
  .then(async (code) => {
    await Promise.all(servers.map((s) => s.stop()));
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(error);
    await Promise.all(servers.map((s) => s.stop()));
    process.exit(2);
  });
