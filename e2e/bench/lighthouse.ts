/**
 * Lighthouse's mobile performance audit of the cashier screen, in the same Chromium as the
 * browser tests, on the Node entry as it serves the SPA (compressed). The tablet is unlocked first
 * (Playwright, in the browser's own profile), so Lighthouse audits the keypad a cashier opens, not
 * the unlock screen. Two runs each time:
 *
 * - **cold**: Lighthouse's own storage reset, which empties the HTTP cache and removes the
 *   service worker and its caches (Cache Storage) but keeps local storage — the session, so it is
 *   still the keypad. Every file crosses the (simulated) network: a tablet opening the POS for the
 *   first time, or after its caches were cleared.
 * - **warm**: no reset, after the tablet has opened the POS again and its service worker is
 *   installed: the files come from the service worker's precache. A tablet on an ordinary day.
 *
 * Each run also lists what was fetched, so that the page's own first load (what a cold tablet
 * waits for) is told apart from the service worker's precache, which starts after the page has
 * loaded and is idle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import lighthouse from 'lighthouse';
import { chromiumLaunchOptions } from '../chromium';
import type { Server } from './servers';

/** One request of a run: its path, bytes on the wire (headers and encoded body) and when it started. */
export interface Fetched {
  path: string;
  transferSize: number;
  resourceSize: number;
  resourceType: string;
  /** Made by the service worker (its precache at install), not by the page. */
  fromServiceWorker: boolean;
  /** Milliseconds after the run's first request. */
  startMs: number;
}

export interface LighthouseRun {
  score: number;
  timeToInteractive: number;
  firstContentfulPaint: number;
  largestContentfulPaint: number;
  totalBlockingTime: number;
  cumulativeLayoutShift: number;
  /** The load event as it happened in this run (not simulated), after the first request. */
  observedLoadMs: number;
  fetched: Fetched[];
  version: string;
}

export interface LighthousePair {
  cold: LighthouseRun;
  warm: LighthouseRun;
}

/** What Lighthouse's storage reset removes for the origin: everything cached, not the session. */
const COLD_CACHE: NonNullable<Parameters<typeof lighthouse>[1]>['clearStorageTypes'] = ['file_systems', 'shader_cache', 'service_workers', 'cache_storage'];

async function audit(url: string, port: number, cold: boolean): Promise<LighthouseRun> {
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance'],
    disableStorageReset: !cold,
    clearStorageTypes: COLD_CACHE,
  });
  const lhr = result?.lhr;
  if (!lhr) throw new Error('Lighthouse returned no result');
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.message}`);
  // A lost session would send Lighthouse to the unlock screen: that is not the page to score.
  const audited = new URL(lhr.finalDisplayedUrl).pathname;
  if (audited !== '/') throw new Error(`Lighthouse audited ${audited}, not the cashier screen`);
  const numeric = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
  const details = (id: string) => lhr.audits[id]?.details as { items?: Record<string, unknown>[] } | undefined;
  const metrics = details('metrics')?.items?.[0] ?? {};
  const fetched = (details('network-requests')?.items ?? []).map(
    (item): Fetched => ({
      path: new URL(String(item.url)).pathname,
      transferSize: Number(item.transferSize ?? 0),
      resourceSize: Number(item.resourceSize ?? 0),
      resourceType: typeof item.resourceType === 'string' ? item.resourceType : 'Other',
      fromServiceWorker: item.sessionTargetType === 'worker',
      startMs: Number(item.rendererStartTime ?? item.networkRequestTime ?? 0),
    }),
  );
  return {
    score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    timeToInteractive: numeric('interactive'),
    firstContentfulPaint: numeric('first-contentful-paint'),
    largestContentfulPaint: numeric('largest-contentful-paint'),
    totalBlockingTime: numeric('total-blocking-time'),
    cumulativeLayoutShift: numeric('cumulative-layout-shift'),
    observedLoadMs: Number(metrics.observedLoad ?? NaN),
    fetched,
    version: lhr.lighthouseVersion,
  };
}

/** The keypad open and the service worker installed with its precache, as on a tablet in use. */
async function openKeypad(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('amount').waitFor({ timeout: 60_000 });
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
}

export async function measureLighthouse(proxy: Server, pin: string, port: number): Promise<LighthousePair> {
  const profile = mkdtempSync(join(tmpdir(), 'pos-lighthouse-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions,
    args: [...chromiumLaunchOptions.args, `--remote-debugging-port=${port}`],
  });
  const url = `${proxy.url}/`;
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    await page.getByLabel('PIN').fill(pin);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await openKeypad(page, url);
    // Lighthouse opens its own tab: this one steps aside so that nothing else loads the POS.
    await page.goto('about:blank');
    const cold = await audit(url, port, true);
    await openKeypad(page, url);
    await page.goto('about:blank');
    const warm = await audit(url, port, false);
    return { cold, warm };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
