/** The processes a benchmark talks to: the built Node proxy and the fake providers, on loopback. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Server {
  name: string;
  url: string;
  pid: number;
  /** Resident memory now and at its peak (VmRSS, VmHWM), in bytes; null where /proc is absent. */
  memory(): { rss: number; peak: number } | null;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function waitFor(url: string, child: ChildProcess, name: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not answer ${url} within 30 s:\n${output()}`);
}

function memoryOf(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kib('VmRSS'), peak: kib('VmHWM') };
  } catch {
    return null;
  }
}

async function start(name: string, args: string[], env: Record<string, string>, readyUrl: string, url: string): Promise<Server> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  await waitFor(readyUrl, child, name, () => stderr);
  return {
    name,
    url,
    pid: child.pid!,
    memory: () => memoryOf(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }).finally(() => running.delete(child)),
  };
}

/** `node dist/server/node.js` on a port, with the demo wallet unless `env` says otherwise. */
export function startProxy(name: string, port: number, env: Record<string, string> = {}): Promise<Server> {
  const url = `http://127.0.0.1:${port}`;
  return start(
    name,
    ['dist/server/node.js'],
    // The benchmark's tablets all come from 127.0.0.1: lift the per-client invoice limit.
    // POS_TIPS off: the bench times Charge → QR, without the customer's tip screen between.
    { HOST: '127.0.0.1', PORT: String(port), POS_CREATE_LIMIT: '100000', POS_TIPS: 'off', ...env },
    `${url}/api/health`,
    url,
  );
}

/** A fake provider from e2e/fakes, as its own process. */
export function startFake(vendor: 'lnbits' | 'strike' | 'btcpay', port: number, ...args: string[]): Promise<Server> {
  const url = `http://127.0.0.1:${port}`;
  return start(`fake ${vendor}`, ['--import', 'tsx', 'e2e/fakes/serve.ts', vendor, '--port', String(port), ...args], {}, `${url}/__fake/requests`, url);
}

/** A cashier's session token, as the unlock screen gets it (on a tablet paired with `setupCode` first, if given). */
export async function sessionToken(proxy: Server, pin: string, setupCode?: string): Promise<string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (setupCode) {
    const paired = await fetch(`${proxy.url}/api/devices/pair`, { method: 'POST', headers, body: JSON.stringify({ code: setupCode, name: 'Bench' }) });
    if (!paired.ok) throw new Error(`${proxy.name}: pairing answered ${paired.status}`);
    headers['X-POS-Device'] = ((await paired.json()) as { device: string }).device;
  }
  const response = await fetch(`${proxy.url}/api/session`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ pin }),
  });
  if (!response.ok) throw new Error(`${proxy.name}: unlock answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

export interface CreatedInvoice {
  id: string;
  paymentHash: string;
}

/** Invoices made through the proxy, as tablets would make them. */
export async function createInvoices(proxy: Server, token: string, count: number): Promise<CreatedInvoice[]> {
  const made: CreatedInvoice[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${proxy.url}/api/invoices`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ amount: 100 + i, currency: 'USD', memo: `bench ${i}` }),
    });
    if (response.status !== 201) throw new Error(`${proxy.name}: create answered ${response.status}: ${await response.text()}`);
    const invoice = (await response.json()) as CreatedInvoice;
    made.push({ id: invoice.id, paymentHash: invoice.paymentHash });
  }
  return made;
}
