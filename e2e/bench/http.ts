/** Status reads over HTTP with autocannon: the proxy's overhead, and what one Node process serves. */
import autocannon from 'autocannon';
import type { CreatedInvoice, Server } from './servers';

export interface Reads {
  /** Per-read latency, ms, as autocannon's clients saw each response. */
  samples: number[];
  requests: number;
  perSecond: number;
  errors: number;
}

interface ReadOptions {
  url: string;
  headers: Record<string, string>;
  /** One path per tablet; with one tablet, the paths it reads in turn. */
  paths: string[];
  connections: number;
  durationSec: number;
  /** Reads per second per tablet (a polling tablet: 1); unlimited when absent. */
  perTabletRate?: number;
}

/**
 * Polling tablets do not poll in step: each started its sale at its own moment. autocannon
 * starts all its connections at once and paces each one by the second, which would send every
 * tablet's poll in the same instant; so paced tablets run as groups started evenly across the
 * first second.
 */
const PACED_GROUPS = 20;

async function reads(options: ReadOptions): Promise<Reads> {
  if (!options.perTabletRate || options.connections < 2) return readsInStep(options, options.paths, options.connections);
  const groups = Math.min(PACED_GROUPS, options.connections);
  const runs = await Promise.all(
    Array.from({ length: groups }, async (_, group) => {
      await new Promise((resolve) => setTimeout(resolve, (group * 1000) / groups));
      // Tablets group, group + groups, group + 2 × groups, …: each still polls its own invoice.
      const tablets = Array.from({ length: Math.ceil((options.connections - group) / groups) }, (_, i) => group + i * groups);
      return readsInStep(options, tablets.map((t) => options.paths[t % options.paths.length]!), tablets.length);
    }),
  );
  return merge(runs, 'side by side');
}

/** Runs as one: side by side their rates add up; one after another they average. */
function merge(runs: Reads[], how: 'side by side' | 'in turn'): Reads {
  const perSecond = runs.reduce((n, r) => n + r.perSecond, 0);
  return {
    samples: runs.flatMap((r) => r.samples),
    requests: runs.reduce((n, r) => n + r.requests, 0),
    perSecond: how === 'side by side' ? perSecond : perSecond / runs.length,
    errors: runs.reduce((n, r) => n + r.errors, 0),
  };
}

/** The fake provider's log of requests, from its last reset: how many status reads reached it. */
async function providerReadsSinceReset(fake: Server): Promise<number> {
  const logged = (await (await fetch(`${fake.url}/__fake/requests`)).json()) as { method: string; path: string }[];
  return logged.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/payments/')).length;
}

const resetProviderLog = (fake: Server) => fetch(`${fake.url}/__fake/reset-log`, { method: 'POST' });

async function readsInStep(options: ReadOptions, paths: string[], connections: number): Promise<Reads> {
  const samples: number[] = [];
  let tablet = 0;
  const result = await autocannon({
    url: options.url,
    connections,
    duration: options.durationSec,
    headers: options.headers,
    ...(options.perTabletRate ? { connectionRate: options.perTabletRate } : {}),
    requests: paths.map((path) => ({ method: 'GET' as const, path })),
    setupClient: (client) => {
      if (connections > 1) {
        // Each tablet polls its own invoice.
        const path = paths[tablet++ % paths.length]!;
        client.setRequests([{ method: 'GET', path }]);
      }
      // A paced tablet's first read also opens its connection, in the same second as all the
      // others: the latencies are those of the polls after it, as a tablet at work sees them.
      let opening = Boolean(options.perTabletRate);
      client.on('response', (status: number, _bytes: number, time: number) => {
        if (status === 200 && !opening) samples.push(time);
        opening = false;
      });
    },
  });
  return {
    samples,
    requests: result.requests.total,
    perSecond: result.requests.total / options.durationSec,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

export interface OverheadRun {
  rounds: number;
  direct: Reads;
  proxied: Reads;
  /** Provider requests the proxied reads caused, per proxied read (1 = every read went through). */
  providerReadsPerRead: number;
}

/**
 * One tablet reading invoice after invoice, straight from the LNbits fake and through the proxy,
 * in alternating rounds so that both see the same machine. The invoices are many and read in
 * turn, so no read through the proxy is answered from its cache: each costs a provider read.
 */
export async function measureOverhead(options: {
  proxy: Server;
  token: string;
  fake: Server;
  invoiceKey: string;
  invoices: CreatedInvoice[];
  rounds: number;
  roundSec: number;
}): Promise<OverheadRun> {
  const direct: Reads[] = [];
  const proxied: Reads[] = [];
  let providerReads = 0;
  for (let round = 0; round < options.rounds; round++) {
    direct.push(
      await reads({
        url: options.fake.url,
        headers: { 'X-Api-Key': options.invoiceKey },
        paths: options.invoices.map((i) => `/api/v1/payments/${i.paymentHash}`),
        connections: 1,
        durationSec: options.roundSec,
      }),
    );
    await resetProviderLog(options.fake);
    proxied.push(
      await reads({
        url: options.proxy.url,
        headers: { Authorization: `Bearer ${options.token}` },
        paths: options.invoices.map((i) => `/api/invoices/${i.id}`),
        connections: 1,
        durationSec: options.roundSec,
      }),
    );
    providerReads += await providerReadsSinceReset(options.fake);
  }
  const proxiedAll = merge(proxied, 'in turn');
  return { rounds: options.rounds, direct: merge(direct, 'in turn'), proxied: proxiedAll, providerReadsPerRead: providerReads / proxiedAll.requests };
}

export interface LoadRun {
  tablets: number;
  reads: Reads;
  /** The proxy's resident memory before the load and its peak during it, bytes. */
  memory: { before: number; peak: number } | null;
  /** Provider requests per second the load caused (for a provider behind the proxy). */
  providerReadsPerSecond?: number;
}

/** Many tablets, each polling its own pending invoice, against one Node process. */
export async function measureLoad(options: {
  proxy: Server;
  token: string;
  invoices: CreatedInvoice[];
  tablets: number;
  durationSec: number;
  perTabletRate?: number;
  fake?: Server;
}): Promise<LoadRun> {
  const before = options.proxy.memory();
  if (options.fake) await resetProviderLog(options.fake);
  const run = await reads({
    url: options.proxy.url,
    headers: { Authorization: `Bearer ${options.token}` },
    paths: options.invoices.map((i) => `/api/invoices/${i.id}`),
    connections: options.tablets,
    durationSec: options.durationSec,
    ...(options.perTabletRate ? { perTabletRate: options.perTabletRate } : {}),
  });
  const after = options.proxy.memory();
  const providerReadsPerSecond = options.fake ? (await providerReadsSinceReset(options.fake)) / options.durationSec : undefined;
  return {
    tablets: options.tablets,
    reads: run,
    memory: before && after ? { before: before.rss, peak: after.peak } : null,
    ...(providerReadsPerSecond === undefined ? {} : { providerReadsPerSecond }),
  };
}
