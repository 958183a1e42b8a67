/**
 * Lighthouse's mobile performance audit of the cashier screen, in the same Chromium as the
 * browser tests. The tablet is unlocked first (Playwright, in the browser's own profile) and
 * Lighthouse keeps that storage, so it audits the keypad a cashier opens, not the unlock screen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import lighthouse from 'lighthouse';
import { chromiumLaunchOptions } from '../chromium';
import type { Server } from './servers';

export interface LighthouseRun {
  score: number;
  timeToInteractive: number;
  firstContentfulPaint: number;
  largestContentfulPaint: number;
  totalBlockingTime: number;
  cumulativeLayoutShift: number;
  version: string;
}

export async function measureLighthouse(proxy: Server, pin: string, port: number): Promise<LighthouseRun> {
  const profile = mkdtempSync(join(tmpdir(), 'pos-lighthouse-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions,
    args: [...chromiumLaunchOptions.args, `--remote-debugging-port=${port}`],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${proxy.url}/`);
    await page.getByLabel('PIN').fill(pin);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('amount').waitFor();

    const result = await lighthouse(`${proxy.url}/`, {
      port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance'],
      disableStorageReset: true,
    });
    const lhr = result?.lhr;
    if (!lhr) throw new Error('Lighthouse returned no result');
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.message}`);
    // A lost session would send Lighthouse to the unlock screen: that is not the page to score.
    const audited = new URL(lhr.finalDisplayedUrl).pathname;
    if (audited !== '/') throw new Error(`Lighthouse audited ${audited}, not the cashier screen`);
    const audit = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
    return {
      score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      timeToInteractive: audit('interactive'),
      firstContentfulPaint: audit('first-contentful-paint'),
      largestContentfulPaint: audit('largest-contentful-paint'),
      totalBlockingTime: audit('total-blocking-time'),
      cumulativeLayoutShift: audit('cumulative-layout-shift'),
      version: lhr.lighthouseVersion,
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
