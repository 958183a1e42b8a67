/**
 * What a tablet with an empty cache downloads to show the keypad, as served by the Node entry
 * (compressed): every request of the page until its load event, with its encoding and its bytes
 * on the wire, told apart from what comes after — the service worker's registration, its script
 * and its precache of every other screen, which start only once the page has loaded and is idle.
 *
 * The tablet is unlocked in one browser context; a second, empty one gets only its local storage
 * (the session), so it opens on the keypad with nothing cached.
 */
import { chromium, type Request } from '@playwright/test';
import { chromiumLaunchOptions } from '../chromium';
import type { Server } from './servers';

export interface Transfer {
  path: string;
  resourceType: string;
  /** Content-Encoding as sent (`br`, `gzip`, or `identity`). */
  encoding: string;
  /** The body as it crossed the wire (encoded), and response headers. */
  bodyBytes: number;
  headerBytes: number;
  /** Milliseconds after the navigation started. */
  startMs: number;
  fromServiceWorker: boolean;
}

export interface FirstLoad {
  /** The load event, milliseconds after the navigation started. */
  loadEventMs: number;
  /** The page's own requests that started before its load event: the first load. */
  initial: Transfer[];
  /** What follows: the page's later requests (lazy code, API) and the service worker's precache. */
  later: Transfer[];
}

export async function measureFirstLoad(proxy: Server, pin: string): Promise<FirstLoad> {
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const unlocking = await browser.newContext();
    const first = await unlocking.newPage();
    await first.goto(`${proxy.url}/`);
    await first.getByLabel('PIN').fill(pin);
    await first.getByRole('button', { name: 'Unlock' }).click();
    await first.getByTestId('amount').waitFor();
    const { origins } = await unlocking.storageState();
    await unlocking.close();

    const context = await browser.newContext({ storageState: { cookies: [], origins } });
    const finished: Promise<Omit<Transfer, 'startMs'> & { startedAt: number } | null>[] = [];
    context.on('requestfinished', (request) => finished.push(describe(request)));
    const page = await context.newPage();
    await page.goto(`${proxy.url}/`);
    await page.getByTestId('amount').waitFor();
    // The service worker installs once its precache is complete.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.waitForLoadState('networkidle');
    const timing = await page.evaluate(() => {
      const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
      return { timeOrigin: performance.timeOrigin, loadEventStart: navigation?.loadEventStart ?? NaN };
    });
    const loadEventMs = timing.loadEventStart;
    // Request timings are on the epoch clock; the load event on the page's own (from timeOrigin).
    const downloads = (await Promise.all(finished))
      .filter((d) => d !== null)
      .map(({ startedAt, ...d }): Transfer => ({ ...d, startMs: startedAt - timing.timeOrigin }));
    await context.close();
    return {
      loadEventMs,
      initial: downloads.filter((d) => !d.fromServiceWorker && d.startMs < loadEventMs),
      later: downloads.filter((d) => d.fromServiceWorker || d.startMs >= loadEventMs),
    };
  } finally {
    await browser.close();
  }
}

async function describe(request: Request): Promise<(Omit<Transfer, 'startMs'> & { startedAt: number }) | null> {
  const response = await request.response();
  if (!response) return null;
  const sizes = await request.sizes();
  return {
    path: new URL(request.url()).pathname,
    resourceType: request.resourceType(),
    encoding: (await response.headerValue('content-encoding')) ?? 'identity',
    // Chromium reports a negative body for an answer from its memory cache: nothing crossed the wire.
    bodyBytes: Math.max(0, sizes.responseBodySize),
    headerBytes: sizes.responseHeadersSize,
    startedAt: request.timing().startTime,
    fromServiceWorker: request.serviceWorker() !== null,
  };
}
