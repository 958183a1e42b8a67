import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { negotiateEncoding, spaFiles, type Encoding } from './static';

describe('negotiateEncoding (Accept-Encoding, RFC 9110)', () => {
  const all: Encoding[] = ['br', 'gzip', 'identity'];
  it.each<[string | undefined, Encoding[], Encoding]>([
    [undefined, all, 'identity'],
    ['', all, 'identity'],
    ['gzip, deflate, br, zstd', all, 'br'],
    ['gzip, deflate', all, 'gzip'],
    ['x-gzip', all, 'gzip'],
    ['br;q=0, gzip', all, 'gzip'],
    ['gzip;q=0.8, br;q=0.9', all, 'br'],
    ['gzip;q=1.0, br;q=0.5', all, 'gzip'],
    ['GZIP;Q=0.5', all, 'gzip'],
    ['*', all, 'br'],
    ['*;q=0.5, br;q=0', all, 'gzip'],
    ['identity', all, 'identity'],
    ['identity;q=1, br;q=0.5', all, 'identity'],
    ['deflate', all, 'identity'],
    // Nothing we have is acceptable: the body as it is, rather than no answer.
    ['identity;q=0, *;q=0', all, 'identity'],
    ['br', ['gzip', 'identity'], 'identity'],
    ['br, gzip', ['gzip', 'identity'], 'gzip'],
  ])('%s of %j → %s', (header, available, expected) => {
    expect(negotiateEncoding(header, available)).toBe(expected);
  });
});

describe('spaFiles: the built SPA on Node', () => {
  const root = mkdtempSync(join(tmpdir(), 'pos-static-'));
  const outside = `${root}-secret.txt`;
  const script = `export const pos = ${JSON.stringify('lightning '.repeat(400))};\n`;
  const app = new Hono();
  app.use(spaFiles(root));
  app.notFound((c) => c.text('not found', 404));
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => app.request(path, { method, headers });

  beforeAll(() => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), `<!doctype html><title>POS</title><div id="root"></div>${'<!-- shell -->'.repeat(20)}`);
    writeFileSync(join(root, 'assets', 'index-abc123.js'), script);
    writeFileSync(join(root, 'sw.js'), `self.addEventListener('fetch', () => {});${'/* sw */'.repeat(50)}`);
    writeFileSync(join(root, 'manifest.webmanifest'), JSON.stringify({ name: 'Lightning POS', icons: [] }));
    writeFileSync(join(root, 'icon-192.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    writeFileSync(outside, 'not part of the SPA');
    writeFileSync(join(root, '.assetsignore'), '*.br');
    // The copies the build writes beside each text file.
    for (const file of ['index.html', 'assets/index-abc123.js', 'sw.js', 'manifest.webmanifest']) {
      const data = readFileSync(join(root, file));
      writeFileSync(join(root, `${file}.br`), brotliCompressSync(data));
      writeFileSync(join(root, `${file}.gz`), gzipSync(data));
    }
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { force: true });
  });

  it('sends the brotli copy to a browser that takes it, with its own length and type', async () => {
    const res = await get('/assets/index-abc123.js', { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Encoding')).toBe('br');
    expect(res.headers.get('Content-Type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('Vary')).toBe('Accept-Encoding');
    const body = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('Content-Length'))).toBe(body.length);
    expect(body.length).toBeLessThan(script.length / 4);
    expect(brotliDecompressSync(body).toString()).toBe(script);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
  });

  it('sends gzip when brotli is refused, and the file itself without Accept-Encoding (still varying on it)', async () => {
    const gz = await get('/assets/index-abc123.js', { 'Accept-Encoding': 'br;q=0, gzip' });
    expect(gz.headers.get('Content-Encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(script);

    const plain = await get('/assets/index-abc123.js');
    expect(plain.headers.get('Content-Encoding')).toBeNull();
    expect(plain.headers.get('Vary')).toBe('Accept-Encoding');
    expect(plain.headers.get('Content-Length')).toBe(String(Buffer.byteLength(script)));
    expect(await plain.text()).toBe(script);
  });

  it('revalidates the service worker, the manifest and index.html on every use, with a 304 when unchanged', async () => {
    const sw = await get('/sw.js', { 'Accept-Encoding': 'br' });
    expect(sw.headers.get('Cache-Control')).toBe('no-cache');
    expect(sw.headers.get('Content-Type')).toMatch(/^text\/javascript/);
    const etag = sw.headers.get('ETag')!;
    expect(etag).toMatch(/^".+-br"$/);

    const again = await get('/sw.js', { 'Accept-Encoding': 'br', 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('ETag')).toBe(etag);
    expect(await again.text()).toBe('');
    // The gzip copy is another representation: the brotli tag does not match it.
    expect((await get('/sw.js', { 'Accept-Encoding': 'gzip', 'If-None-Match': etag })).status).toBe(200);

    const manifest = await get('/manifest.webmanifest');
    expect(manifest.headers.get('Content-Type')).toBe('application/manifest+json');
    expect(manifest.headers.get('Cache-Control')).toBe('no-cache');
  });

  it('sends files that are compressed already (PNG) as they are, without Vary', async () => {
    const res = await get('/icon-192.png', { 'Accept-Encoding': 'br, gzip' });
    expect(res.headers.get('Content-Type')).toBe('image/png');
    expect(res.headers.get('Content-Encoding')).toBeNull();
    expect(res.headers.get('Vary')).toBeNull();
  });

  it('answers the SPA routes with index.html, and HEAD with headers only', async () => {
    for (const path of ['/', '/checkout/0123456789abcdef', '/history']) {
      const res = await get(path, { 'Accept-Encoding': 'br' });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
      expect(res.headers.get('Cache-Control')).toBe('no-cache');
      expect(brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString()).toContain('<div id="root">');
    }
    const head = await get('/assets/index-abc123.js', { 'Accept-Encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('Content-Length'))).toBe(readFileSync(join(root, 'assets', 'index-abc123.js.gz')).length);
    expect(await head.text()).toBe('');
  });

  it('serves nothing outside the build, and no index.html for a missing file', async () => {
    const secret = basename(outside);
    for (const path of ['/assets/missing.js', '/.assetsignore', `/../${secret}`, `/%2e%2e/${secret}`, `/assets/..%2f..%2f${secret}`, `/assets/..%5c..%5c${secret}`]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('not part of the SPA');
    }
    expect((await get('/sw.js', {}, 'POST')).status).toBe(404);
  });
});
