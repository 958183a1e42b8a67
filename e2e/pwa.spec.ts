/**
 * The POS as an installed app: it opens with no network, keeps the sale, resumes the checkout when
 * the network is back, takes a new version only between sales, and passes Chromium's
 * installability checks. Playwright lets pages register service workers (`serviceWorkers:
 * 'allow'`, its default), and `context.setOffline` cuts the service worker's own fetches too.
 *
 * Screenshots of the offline keypad and the update prompt go to test-results/pwa/ (and, with
 * UPDATE_SCREENSHOTS=1, to e2e/screenshots/ for the README).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { chromium, expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';
import { ports } from './ports';
import { charge, PINS, tap, typeAmount, unlock } from './support';

const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'landscape', width: 1024, height: 768 },
  { name: 'portrait', width: 768, height: 1024 },
] as const;

/** The same screen at a phone's and both tablet sizes, saved where a person can look at it. */
async function photograph(page: Page, name: string): Promise<void> {
  const original = page.viewportSize();
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `test-results/pwa/${name}-${size.name}.png` });
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: `e2e/screenshots/${name}-${size.name}.png` });
  }
  if (original) await page.setViewportSize(original);
}

/** Resolves once the service worker is active, every file of the build precached. */
async function installed(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
}

async function payThroughApi(request: APIRequestContext, base: string, id: string): Promise<void> {
  const session = await request.post(`${base}/api/session`, { data: { pin: PINS.cashier } });
  const { token } = (await session.json()) as { token: string };
  const paid = await request.post(`${base}/api/demo/invoices/${id}/pay`, { headers: { Authorization: `Bearer ${token}` } });
  expect(paid.ok()).toBe(true);
}

const offlineBanner = (page: Page) => page.getByText(/^Offline\. The sale is kept/);

test('offline: the keypad opens from the cache with the sale in progress and the offline banner', async ({ page, context }, info) => {
  await unlock(page);
  await typeAmount(page, '450');
  await tap(page, 'Add item');
  await typeAmount(page, '325');
  await page.getByLabel('Memo').fill('2 flat whites');
  await installed(page);

  // Every screen's code is in the precache, not only what the keypad loaded.
  const built = readdirSync('dist/client/assets').filter((f) => /\.(js|css)$/.test(f));
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  for (const file of built) expect(cached, file).toContain(`/assets/${file}`);
  expect(cached).toContain('/index.html');
  expect(cached.filter((url) => url.startsWith('/api/') && url !== '/api/config')).toEqual([]);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('amount')).toHaveText('$7.75');
  await expect(page.getByLabel('Memo')).toHaveValue('2 flat whites');
  await expect(offlineBanner(page)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Charge' })).toBeEnabled();

  // Invoices are never answered from a cache; the config is, saying its age and with no old Date.
  const offline = await page.evaluate(async () => {
    const config = await fetch('/api/config');
    const health = await fetch('/api/health').then(
      () => 'answered',
      () => 'network error',
    );
    return { status: config.status, age: config.headers.get('Age'), date: config.headers.get('Date'), health };
  });
  expect(offline).toMatchObject({ status: 200, date: null, health: 'network error' });
  expect(Number(offline.age)).toBeGreaterThanOrEqual(0);

  if (info.project.name === 'landscape') await photograph(page, 'offline-keypad');
  await context.setOffline(false);
  await expect(offlineBanner(page)).toHaveCount(0);
});

test('a checkout open before the network went keeps its sale and resumes to Paid when it is back', async ({ page, context, request, baseURL }) => {
  await unlock(page);
  await installed(page);
  await typeAmount(page, '1250');
  const invoice = await charge(page);

  await context.setOffline(true);
  await expect(offlineBanner(page)).toBeVisible();
  await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
  // The tablet is restarted while offline: the POS opens from the cache on the same checkout.
  await page.reload();
  await expect(page).toHaveURL(new RegExp(`/checkout/${invoice.id}$`));
  await expect(offlineBanner(page)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Paid' })).toHaveCount(0);

  await context.setOffline(false);
  await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
  await payThroughApi(request, baseURL!, invoice.id);
  await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 10_000 });
});

test('the served files pass Chromium’s installability checks', async ({ baseURL }, info) => {
  test.skip(info.project.name !== 'landscape', 'one browser profile is enough');
  // Chromium checks installability only outside incognito: a profile of its own.
  const profile = join('test-results', `pwa-profile-${process.pid}`);
  const context = await chromium.launchPersistentContext(profile, { ...chromiumLaunchOptions });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${baseURL}/`);
    await installed(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    const parsed = JSON.parse(manifest.data ?? '{}') as { icons: { purpose?: string; sizes: string }[]; screenshots: { form_factor: string }[] };
    expect(parsed.icons.some((icon) => icon.purpose === 'maskable')).toBe(true);
    expect(parsed.screenshots.map((s) => s.form_factor).sort()).toEqual(['narrow', 'wide']);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

/**
 * A POS of its own, from a copy of the build, so that the test can deploy a new version under a
 * tablet that is in the middle of a sale (the demo wallet keeps its invoices in memory: the
 * process must go on running).
 */
class Deployment {
  readonly base = `http://127.0.0.1:${ports.pwaUpdate}`;
  private constructor(
    readonly dir: string,
    private readonly server: ChildProcess,
  ) {}

  static async start(): Promise<Deployment> {
    const dir = join('test-results', `pwa-deploy-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync('dist', join(dir, 'dist'), { recursive: true });
    const server = spawn(process.execPath, [join(dir, 'dist/server/node.js')], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(ports.pwaUpdate), POS_CREATE_LIMIT: '100000', POS_TIPS: 'off' },
      stdio: 'ignore',
    });
    const deployment = new Deployment(dir, server);
    for (let i = 0; i < 100; i++) {
      if (await fetch(`${deployment.base}/api/health`).then((r) => r.ok, () => false)) return deployment;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    deployment.stop();
    throw new Error('the redeployable POS did not start');
  }

  /**
   * A new version: index.html says so, and the service worker's precache list names its new
   * revision (so sw.js changes, as in any new build). The compressed copies are made again. The
   * tablet then looks for it, as it does every few minutes.
   */
  async release(page: Page, version: string): Promise<void> {
    const client = join(this.dir, 'dist/client');
    const rewrite = (file: string, change: (text: string) => string) => {
      const data = Buffer.from(change(readFileSync(join(client, file), 'utf8')));
      writeFileSync(join(client, file), data);
      writeFileSync(join(client, `${file}.br`), brotliCompressSync(data));
      writeFileSync(join(client, `${file}.gz`), gzipSync(data));
    };
    rewrite('index.html', (html) => html.replace('<title>', `<meta name="pos-version" content="${version}" />\n    <title>`));
    rewrite('sw.js', (sw) => {
      const next = sw.replace(/("revision":")[^"]+(","url":"index\.html")/, `$1${version}$2`);
      if (next === sw) throw new Error('sw.js has no revision for index.html to change');
      return next;
    });
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
  }

  stop(): void {
    this.server.kill('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The POS unlocked and served by its installed version, as on a tablet opened before. */
async function openInstalled(page: Page, deployment: Deployment): Promise<void> {
  await unlock(page, 'cashier', deployment.base);
  await installed(page);
  await page.reload();
  await expect(page.getByTestId('amount')).toBeVisible();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

test.describe('updates', () => {
  // One redeployable POS, on one port: these tests take turns.
  test.describe.configure({ mode: 'serial' });
  const landscapeOnly = () => {
    test.skip(test.info().project.name !== 'landscape', 'one redeployable POS; the screenshots cover the other sizes');
    // A POS started, a version installed, a sale, a second version installed: longer than most tests.
    test.slow();
  };

  test('a new version waits through a checkout and applies on the next fresh keypad', async ({ page, request }) => {
    landscapeOnly();
    // A checkout longer than the 30 s Chromium keeps an idle worker: the waiting version is stopped
    // meanwhile, and must still take over on the fresh keypad.
    test.setTimeout(180_000);
    const deployment = await Deployment.start();
    try {
      await openInstalled(page, deployment);
      await typeAmount(page, '980');
      const invoice = await charge(page);
      await page.evaluate(() => Object.assign(window, { posPageOfVersion1: true }));

      await deployment.release(page, '2');
      const prompt = page.getByText(/^A new version is ready\./);
      await expect(prompt).toBeVisible({ timeout: 15_000 });
      await expect(prompt).toContainText('It starts after this sale.');
      await expect(page.getByRole('button', { name: 'Update now' })).toHaveCount(0);
      await photograph(page, 'update-during-checkout');

      // Nothing reloads during the checkout: the same page, the same QR, still polling.
      await page.waitForTimeout(40_000);
      expect(await page.evaluate(() => 'posPageOfVersion1' in window)).toBe(true);
      await expect(page.getByRole('img', { name: 'Payment QR code' })).toBeVisible();
      await payThroughApi(request, deployment.base, invoice.id);
      await expect(page.getByRole('heading', { name: 'Paid' })).toBeVisible({ timeout: 10_000 });
      expect(await page.evaluate(() => 'posPageOfVersion1' in window)).toBe(true);
      await expect(page.locator('meta[name="pos-version"]')).toHaveCount(0);

      // The next fresh keypad is the new version.
      await page.getByRole('button', { name: 'New sale' }).click();
      // Chromium activates the new version once the old one has no event in flight: on a busy
      // machine that can take a while.
      await expect(page.locator('meta[name="pos-version"]')).toHaveAttribute('content', '2', { timeout: 60_000 });
      expect(await page.evaluate(() => 'posPageOfVersion1' in window)).toBe(false);
      await expect(page.getByTestId('amount')).toHaveText('$0.00');
      await expect(prompt).toHaveCount(0);
    } finally {
      deployment.stop();
    }
  });

  test('a new version found while an amount is being typed applies once the POS is left alone, keeping the amount', async ({ page }) => {
    landscapeOnly();
    // The page's clock, so that a minute of nobody touching the POS passes at once.
    await page.clock.install();
    const deployment = await Deployment.start();
    try {
      await openInstalled(page, deployment);
      await typeAmount(page, '315');
      await deployment.release(page, '3');
      await expect(page.getByText(/^A new version is ready\. It starts on the next fresh keypad\./)).toBeVisible({ timeout: 15_000 });
      await expect(page.getByRole('button', { name: 'Update now' })).toBeVisible();
      await photograph(page, 'update-ready');
      // Not after half a minute: the same page goes on.
      await page.evaluate(() => Object.assign(window, { posPageBeforeUpdate: true }));
      await page.clock.fastForward(30_000);
      await page.waitForTimeout(2_000);
      expect(await page.evaluate(() => 'posPageBeforeUpdate' in window)).toBe(true);
      // Idle for a minute with no charge under way: it applies, and the amount is still there.
      await page.clock.fastForward(31_000);
      await expect(page.locator('meta[name="pos-version"]')).toHaveAttribute('content', '3', { timeout: 45_000 });
      await expect(page.getByTestId('amount')).toHaveText('$3.15');
    } finally {
      deployment.stop();
    }
  });
});
