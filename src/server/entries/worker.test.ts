/**
 * The Workers entry on workerd, through miniflare: the bundle is built as for deployment
 * (`vite build --mode worker`), configured from wrangler.toml itself (compatibility, Durable
 * Object binding, static assets), and the API suite that runs on Node runs here unchanged.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare, type MiniflareOptions } from 'miniflare';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSuite, SUITE_ENV, type ApiTarget } from '../test-support/api-suite';
import { callInit, callResult, type CallOptions, type CallResult } from '../test-support/harness';

interface WranglerToml {
  main: string;
  compatibility_date: string;
  compatibility_flags: string[];
  no_bundle: boolean;
  assets: { directory: string; binding: string; not_found_handling: 'single-page-application'; run_worker_first: boolean };
  durable_objects: { bindings: { name: string; class_name: string }[] };
  migrations: { tag: string; new_sqlite_classes: string[] }[];
  vars: Record<string, string>;
}

const wrangler = parse(readFileSync('wrangler.toml', 'utf8')) as unknown as WranglerToml;
/** Classes wrangler.toml makes SQLite-backed, as Cloudflare does on deploy. */
const sqliteClasses = wrangler.migrations.flatMap((m) => m.new_sqlite_classes);
const work = mkdtempSync(join(tmpdir(), 'pos-worker-'));
const out = join(work, 'worker');
const assets = join(work, 'client');
let miniflare: Miniflare | undefined;

/** Miniflare options for the worker as wrangler.toml deploys it, with `bindings` as its variables. */
function workerOptions(bindings: Record<string, string>): MiniflareOptions {
  return {
    modules: true,
    modulesRoot: out,
    scriptPath: join(out, 'worker.js'),
    compatibilityDate: wrangler.compatibility_date,
    compatibilityFlags: wrangler.compatibility_flags,
    durableObjects: Object.fromEntries(
      wrangler.durable_objects.bindings.map((b) => [b.name, { className: b.class_name, useSQLite: sqliteClasses.includes(b.class_name) }]),
    ),
    assets: {
      directory: assets,
      binding: wrangler.assets.binding,
      routerConfig: { invoke_user_worker_ahead_of_assets: wrangler.assets.run_worker_first, has_user_worker: true },
      assetConfig: { not_found_handling: wrangler.assets.not_found_handling },
    },
    bindings,
  };
}

async function dispatch(method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  if (!miniflare) throw new Error('workerd is not running');
  return callResult(await miniflare.dispatchFetch(`http://pos.test${path}`, callInit(method, options)));
}

beforeAll(async () => {
  const { build } = await import('vite');
  await build({ configFile: 'vite.config.ts', mode: 'worker', logLevel: 'silent', build: { outDir: out } });
  // A stand-in for the built SPA: the tests are about how the worker serves it, not its contents.
  mkdirSync(join(assets, 'assets'), { recursive: true });
  writeFileSync(join(assets, 'index.html'), '<!doctype html><title>POS</title><div id="root"></div>');
  writeFileSync(join(assets, 'assets', 'index-abc123.js'), 'console.log("pos");');
  writeFileSync(join(assets, 'sw.js'), `self.addEventListener('fetch', () => {});${'/* sw */'.repeat(40)}`);
  writeFileSync(join(assets, 'manifest.webmanifest'), JSON.stringify({ name: 'Lightning POS', display: 'standalone' }));
  miniflare = new Miniflare(workerOptions({ ...wrangler.vars, ...SUITE_ENV }));
  await miniflare.ready;
}, 120_000);

afterAll(async () => {
  await miniflare?.dispose();
  rmSync(work, { recursive: true, force: true });
});

const target: ApiTarget = { call: dispatch };
apiSuite('API on workerd (the Workers entry)', () => target);

describe('the Workers entry', () => {
  it('is deployed as the bundle the tests run, with a SQLite-backed Durable Object for the store', () => {
    expect(wrangler.main).toBe('dist/worker/worker.js');
    expect(wrangler.no_bundle).toBe(true);
    expect(wrangler.durable_objects.bindings).toEqual([{ name: 'POS_STORE', class_name: 'PosStore' }]);
    expect(wrangler.migrations.flatMap((m) => m.new_sqlite_classes)).toContain('PosStore');
    expect(wrangler.assets.directory).toBe('dist/client');
    // wrangler.toml must never carry a secret, nor pick the demo for a real deployment.
    expect(Object.keys(wrangler.vars).filter((name) => /PIN|SECRET|KEY|CODE/.test(name))).toEqual([]);
    expect(wrangler.vars).not.toHaveProperty('POS_PROVIDER');
  });

  it('keeps its store in Durable Objects: an idempotent replay finds the first invoice', async () => {
    const headers = { 'Idempotency-Key': 'workers-store', 'CF-Connecting-IP': '198.51.100.200' };
    const session = await dispatch('POST', '/api/session', { body: { pin: '1234' }, headers });
    const token = (session.body as { token: string }).token;
    const created = await dispatch('POST', '/api/invoices', { token, body: { amount: 4242, currency: 'USD' }, headers });
    const replay = await dispatch('POST', '/api/invoices', { token, body: { amount: 4242, currency: 'USD' }, headers });
    expect(created.status).toBe(201);
    expect(replay.status).toBe(200);
    expect((replay.body as { id: string }).id).toBe((created.body as { id: string }).id);
  });

  it('serves the SPA with the same security headers as the API, and index.html for its routes', async () => {
    const page = await dispatch('GET', '/checkout/0123456789abcdef');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="root">');
    expect(page.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(page.headers.get('X-Frame-Options')).toBe('DENY');

    const script = await dispatch('GET', '/assets/index-abc123.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('Cache-Control')).toContain('immutable');
    expect(script.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");

    const api = await dispatch('GET', '/api/no-such-route');
    expect(api.status).toBe(404);
    expect((api.body as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('serves the service worker and the manifest revalidated on every use, and leaves compression to Cloudflare', async () => {
    const sw = await dispatch('GET', '/sw.js', { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(sw.status).toBe(200);
    expect(sw.headers.get('Content-Type')).toMatch(/javascript/);
    expect(sw.headers.get('Cache-Control')).toBe('no-cache');
    // The file as uploaded, undamaged by the copy that adds the headers.
    expect(sw.text).toBe(`self.addEventListener('fetch', () => {});${'/* sw */'.repeat(40)}`);

    const manifest = await dispatch('GET', '/manifest.webmanifest');
    expect(manifest.headers.get('Content-Type')).toMatch(/^application\/manifest\+json/);
    expect(manifest.headers.get('Cache-Control')).toBe('no-cache');
    expect(manifest.headers.get('Content-Security-Policy')).toContain("manifest-src 'self'");

    const index = await dispatch('GET', '/');
    expect(index.headers.get('Cache-Control')).toBe('no-cache');
    // no-transform would stop Cloudflare's edge from compressing the files for the visitor.
    for (const res of [sw, manifest, index]) expect(res.headers.get('Cache-Control')).not.toContain('no-transform');
  });

  it('uploads none of the build\'s precompressed copies to Workers Static Assets', () => {
    const ignored = readFileSync('public/.assetsignore', 'utf8').split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['*.br', '*.gz']));
  });

  it('refuses to start without its secrets, naming the variables and nothing else', async () => {
    const secret = { POS_SESSION_SECRET: 's'.repeat(32) };
    const cases: [Record<string, string>, string][] = [
      [{ POS_PROVIDER: 'lnbits', LNBITS_INVOICE_KEY: 'f'.repeat(32) }, 'POS_CASHIER_PIN'],
      // wrangler.toml's own variables alone: the deployment must name its provider.
      [{ ...wrangler.vars, ...secret }, 'POS_PROVIDER: is required'],
      // Provider settings without a provider never run the demo instead.
      [{ ...wrangler.vars, ...secret, LNBITS_URL: 'https://lnbits.example.com', LNBITS_INVOICE_KEY: 'f'.repeat(32) }, 'POS_PROVIDER: is not set, but'],
      // Even the demo: isolates must accept each other's session tokens.
      [{ POS_PROVIDER: 'demo' }, 'POS_SESSION_SECRET'],
    ];
    for (const [bindings, named] of cases) {
      const broken = new Miniflare(workerOptions(bindings));
      try {
        const res = await broken.dispatchFetch('http://pos.test/api/health');
        expect(res.status).toBe(500);
        const text = await res.text();
        expect(text).toContain(named);
        expect(text).not.toContain('f'.repeat(32));
      } finally {
        await broken.dispose();
      }
    }
    // Four workerd processes start and stop here: seconds each on a busy two-core machine.
  }, 60_000);
});
