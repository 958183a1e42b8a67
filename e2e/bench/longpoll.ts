/**
 * Held status reads (`GET /api/invoices/:id?wait=N`) against plain polling: how many requests a
 * checkout left waiting sends, in Chromium; and what one Node process does with a thousand tablets
 * holding reads at once — memory, how soon a payment reaches a held read, how fast other reads
 * are answered meanwhile — with a load script of our own (autocannon cannot hold requests open
 * for a changing `since`, nor pay invoices while it runs).
 */
import { Agent, request as httpRequest } from 'node:http';
import { chromium } from '@playwright/test';
import * as z from 'zod/mini';
import { Invoice } from '../../src/contract/api';
import { invoiceVersion, MAX_WAIT_SECONDS } from '../../src/contract/wait';
import { chromiumLaunchOptions } from '../chromium';
import { createInvoices, type Server } from './servers';

export interface IdleRun {
  /** Status requests the checkout sent while left waiting for `seconds`. */
  requests: number;
  seconds: number;
}

/**
 * One tablet per proxy, side by side: each unlocks, charges, and leaves its QR on screen for
 * `seconds` while the status requests it sends are counted.
 */
export async function measureIdleCheckouts(proxies: Server[], pin: string, seconds: number): Promise<IdleRun[]> {
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    return await Promise.all(
      proxies.map(async (proxy) => {
        const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true, locale: 'en-US' });
        const page = await context.newPage();
        await page.goto(`${proxy.url}/`);
        await page.getByLabel('PIN').fill(pin);
        await page.getByRole('button', { name: 'Unlock' }).click();
        await page.getByTestId('amount').waitFor();
        for (const digit of '4321') await page.getByRole('button', { name: digit, exact: true }).click();
        let counting = false;
        let requests = 0;
        page.on('request', (request) => {
          if (counting && request.method() === 'GET' && /^\/api\/invoices\/[^/]+$/.test(new URL(request.url()).pathname)) requests++;
        });
        await page.getByRole('button', { name: 'Charge' }).click();
        await page.getByRole('img', { name: 'Payment QR code' }).waitFor();
        counting = true;
        await page.waitForTimeout(seconds * 1000);
        counting = false;
        await context.close();
        return { requests, seconds };
      }),
    );
  } finally {
    await browser.close();
  }
}

export interface HeldLoadRun {
  tablets: number;
  /** How long the tablets were measured, once all were holding (s). */
  windowSec: number;
  /** Held reads answered per minute, per tablet that stayed waiting the whole window. */
  requestsPerWaitingTabletPerMinute: number;
  /** Demo payment sent → the paying tablet's held read answered paid, ms. */
  wake: number[];
  /** Plain reads (no wait) of a probe client meanwhile, ms. */
  plainReads: number[];
  /** How much later than the wait an unchanged held read answered, ms. */
  overshoot: number[];
  /** Requests that failed (a status other than 200, or no answer). */
  errors: number;
  /** The proxy's resident memory before the tablets came and at its peak, bytes. */
  memory: { before: number; peak: number } | null;
}

interface JsonAnswer {
  status: number;
  body: unknown;
}

function call(agent: Agent, url: string, method: 'GET' | 'POST', headers: Record<string, string>): Promise<JsonAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

interface Sale {
  id: string;
  version: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `tablets` tablets, each holding a read of its own pending demo invoice (`wait` = 25 s, `since`
 * its version) and asking again as soon as it answers, against one fresh Node process. They start
 * at moments spread over one wait, as tablets at different tills do; once all hold, for
 * `windowSec`: every 200 ms one tablet's invoice is paid (it then starts a new sale), and a probe
 * reads invoices without wait 20 times a second.
 */
export async function measureHeldLoad(options: { proxy: Server; token: string; tablets: number; windowSec: number }): Promise<HeldLoadRun> {
  const { proxy, token, tablets } = options;
  const paymentsPerSecond = 5;
  const payments = options.windowSec * paymentsPerSecond;
  // A thousand sockets held open: Node's default agent would queue them.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const made = await createInvoices(proxy, token, tablets + payments + 10);
  const first = await Promise.all(made.map((invoice) => call(agent, `${proxy.url}/api/invoices/${invoice.id}`, 'GET', { Authorization: `Bearer ${token}` })));
  const sales: Sale[] = first.map((answer) => {
    const invoice = z.parse(Invoice, answer.body);
    return { id: invoice.id, version: invoiceVersion(invoice) };
  });
  const spares = sales.splice(tablets);
  const before = proxy.memory();

  const holdMs = MAX_WAIT_SECONDS * 1000;
  let measuring = false;
  let stopping = false;
  let errors = 0;
  const wake: number[] = [];
  const overshoot: number[] = [];
  const plainReads: number[] = [];
  const paidAt = new Map<string, number>();
  const answered = new Array<number>(tablets).fill(0);
  const everPaid = new Set<number>();
  const current = [...sales];

  const tablet = async (index: number) => {
    // Each tablet is its own client to the proxy (as behind a reverse proxy), with its own cap.
    const headers = { Authorization: `Bearer ${token}`, 'X-Forwarded-For': `10.${(index >> 8) & 255}.${index & 255}.1` };
    await sleep(Math.random() * holdMs);
    while (!stopping) {
      const sale = current[index]!;
      const sentAt = performance.now();
      try {
        const answer = await call(agent, `${proxy.url}/api/invoices/${sale.id}?wait=${MAX_WAIT_SECONDS}&since=${sale.version}`, 'GET', headers);
        const took = performance.now() - sentAt;
        if (answer.status !== 200) {
          errors++;
          await sleep(1000);
          continue;
        }
        const invoice = z.parse(Invoice, answer.body);
        if (measuring) answered[index]!++;
        if (invoice.status === 'paid') {
          const paid = paidAt.get(sale.id);
          if (paid !== undefined && measuring) wake.push(performance.now() - paid);
          // The next sale at this till.
          const next = spares.pop();
          if (!next) return;
          current[index] = next;
        } else if (invoiceVersion(invoice) === sale.version) {
          if (measuring) overshoot.push(took - holdMs);
        } else {
          current[index] = { id: sale.id, version: invoiceVersion(invoice) };
        }
      } catch {
        errors++;
        await sleep(1000);
      }
    }
  };

  const running = Array.from({ length: tablets }, (_, index) => tablet(index));
  // Every tablet holds once the last has started, a wait after the first.
  await sleep(holdMs + 1000);
  measuring = true;
  const probe = async () => {
    while (measuring) {
      const sale = current[Math.floor(Math.random() * tablets)]!;
      const sentAt = performance.now();
      try {
        const answer = await call(agent, `${proxy.url}/api/invoices/${sale.id}`, 'GET', { Authorization: `Bearer ${token}` });
        if (answer.status === 200) plainReads.push(performance.now() - sentAt);
        else errors++;
      } catch {
        errors++;
      }
      await sleep(50);
    }
  };
  const pay = async () => {
    for (let i = 0; i < payments && measuring; i++) {
      const index = Math.floor(Math.random() * tablets);
      const sale = current[index]!;
      if (!paidAt.has(sale.id)) {
        everPaid.add(index);
        paidAt.set(sale.id, performance.now());
        const answer = await call(agent, `${proxy.url}/api/demo/invoices/${sale.id}/pay`, 'POST', { Authorization: `Bearer ${token}` }).catch(() => null);
        if (answer?.status !== 200) errors++;
      }
      await sleep(1000 / paymentsPerSecond);
    }
  };
  const probing = probe();
  const paying = pay();
  await sleep(options.windowSec * 1000);
  measuring = false;
  await Promise.all([probing, paying]);
  const after = proxy.memory();
  const failed = errors;
  // The tablets leave: their held reads are aborted, which the proxy must shrug off.
  stopping = true;
  agent.destroy();
  await Promise.all(running);

  const waitingAll = answered.filter((_, index) => !everPaid.has(index));
  const perMinute = waitingAll.reduce((n, count) => n + count, 0) / waitingAll.length / (options.windowSec / 60);
  return {
    tablets,
    windowSec: options.windowSec,
    requestsPerWaitingTabletPerMinute: perMinute,
    wake,
    plainReads,
    overshoot,
    errors: failed,
    memory: before && after ? { before: before.rss, peak: after.peak } : null,
  };
}
