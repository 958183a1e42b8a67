/**
 * What the cashier and the customer feel, in Chromium: Charge tap → QR painted, and provider
 * settles → Paid painted. Timings are taken inside the page: from the click event's own
 * timestamp, to the first frame after the QR (or "Paid") entered the DOM — a requestAnimationFrame
 * and then a task, which runs once that frame has been painted.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../chromium';
import type { Server } from './servers';

declare global {
  interface Window {
    __bench?: Promise<number>;
  }
}

export interface CheckoutRun {
  /** Charge → QR painted, ms, per sale. */
  timeToQr: number[];
  /** Settled at the provider → Paid painted, ms, per sale. */
  paidDetection: number[];
}

export interface CheckoutOptions {
  proxy: Server;
  pin: string;
  /** The POS's set-up code, when it pairs tablets first (any provider but the demo). */
  setupCode?: string;
  sales: number;
  warmup: number;
  /** Settles the invoice at the provider, as a customer's wallet paying it would. */
  settle(invoice: { id: string; paymentHash: string }, token: string): Promise<void>;
}

/** The in-page timer (paint-timer.js), evaluated as written: compilers add helpers the page lacks. */
const paintTimer = readFileSync(fileURLToPath(new URL('./paint-timer.js', import.meta.url)), 'utf8').replace(/^\/\/.*\n/gm, '').trim().replace(/;$/, '');

/**
 * Arms a timer in the page that resolves at the first paint after an element matching `selector`
 * (and holding `text`, if given) appears: ms since the next click, or the epoch time of the paint.
 */
async function armPaintTimer(page: Page, selector: string, text: string | null, from: 'click' | 'epoch'): Promise<void> {
  await page.evaluate(`(${paintTimer})(${JSON.stringify(selector)}, ${JSON.stringify(text)}, ${JSON.stringify(from)})`);
}

const readPaintTimer = (page: Page) => page.evaluate(() => window.__bench!);

/** A tablet in landscape, unlocked, selling again and again. */
export async function measureCheckout(options: CheckoutOptions): Promise<CheckoutRun> {
  const browser = await chromium.launch(chromiumLaunchOptions);
  const run: CheckoutRun = { timeToQr: [], paidDetection: [] };
  try {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${options.proxy.url}/`);
    if (options.setupCode) {
      await page.getByLabel('Pairing code').fill(options.setupCode);
      await page.getByRole('button', { name: 'Pair this tablet' }).click();
    }
    await page.getByLabel('PIN').fill(options.pin);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('amount').waitFor();
    const token = await page.evaluate(() => (JSON.parse(localStorage.getItem('pos-session')!) as { state: { session: { token: string } } }).state.session.token);

    for (let sale = 0; sale < options.warmup + options.sales; sale++) {
      const measured = sale >= options.warmup;
      // The cashier types an amount (this also fetches the checkout screen's code).
      for (const digit of String(100 + sale)) await page.getByRole('button', { name: digit, exact: true }).click();

      await armPaintTimer(page, '[aria-label="Payment QR code"]', null, 'click');
      const created = page.waitForResponse((r) => r.url().endsWith('/api/invoices') && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Charge' }).click();
      const qr = await readPaintTimer(page);
      const invoice = (await (await created).json()) as { id: string; paymentHash: string };
      if (measured) run.timeToQr.push(qr);

      // The customer pays at a random moment relative to the tablet's polls.
      await page.waitForTimeout(300 + Math.random() * 1500);
      await armPaintTimer(page, 'h1', 'Paid', 'epoch');
      const settledAt = Date.now();
      await options.settle(invoice, token);
      const paintedAt = await readPaintTimer(page);
      if (measured) run.paidDetection.push(paintedAt - settledAt);
      await page.getByRole('button', { name: 'New sale' }).click();
      await page.getByTestId('amount').waitFor();
    }
  } finally {
    await browser.close();
  }
  return run;
}
