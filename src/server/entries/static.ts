/**
 * The built SPA as the Node entry serves it: every file of dist/client, compressed as the build
 * made it (`x.js.br`, `x.js.gz` beside `x.js`), the encoding chosen by the request's
 * Accept-Encoding (q-values honoured, identity when nothing else is acceptable), and index.html for
 * the SPA's own routes (/checkout/…, /history).
 *
 * Caching: hashed build assets (/assets/…) are immutable for a year; everything else — index.html,
 * sw.js, the manifest, icons — is revalidated on every use (`no-cache`, with an ETag answered by
 * 304), so a new build is seen at once and the service worker's update check costs a 304.
 *
 * Files are looked up on each request (no index made at start-up): a build replaced under a
 * running server is served as it now is.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { parseAccept } from 'hono/utils/accept';
import { getMimeType } from 'hono/utils/mime';

export type Encoding = 'br' | 'gzip' | 'identity';

/** The compressed copies the build writes, best first (brotli is the smaller). */
const COPIES = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

/**
 * The encoding to send, among those `available` (identity is always there), for an
 * Accept-Encoding header (RFC 9110 §12.5.3): the highest q-value wins; `*` stands for every coding
 * not named; q=0 refuses. Without the header, identity. Identity not named counts as acceptable at
 * the lowest q-value named, so a named coding wins a tie; brotli wins a tie with gzip. When the
 * client refuses everything we have, identity anyway (the body is still correct, only larger).
 */
export function negotiateEncoding(header: string | undefined, available: readonly Encoding[]): Encoding {
  if (!header?.trim()) return 'identity';
  const accepted = parseAccept(header);
  const named = new Map(accepted.map((a) => [a.type.toLowerCase(), a.q]));
  const star = named.get('*');
  const lowest = accepted.length > 0 ? Math.min(...accepted.map((a) => a.q).filter((q) => q > 0)) : 1;
  const qOf = (encoding: Encoding): number => {
    const own = named.get(encoding) ?? (encoding === 'gzip' ? named.get('x-gzip') : undefined);
    if (own !== undefined) return own;
    if (star !== undefined) return star;
    return encoding === 'identity' ? (Number.isFinite(lowest) ? lowest : 1) : 0;
  };
  let best: Encoding = 'identity';
  let bestQ = 0;
  for (const encoding of [...COPIES.map((c) => c.encoding), 'identity'] as const) {
    if (!available.includes(encoding)) continue;
    const q = qOf(encoding);
    if (q > bestQ) {
      best = encoding;
      bestQ = q;
    }
  }
  return best;
}

/** A request path as a file under `root`, or null for anything that could leave it or is hidden (dotfiles). */
function fileFor(root: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /(?:^|\/)\./.test(decoded) || /\/\//.test(decoded)) return null;
  const path = join(root, decoded);
  return path.startsWith(root + sep) ? path : null;
}

async function fileSize(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch {
    return null;
  }
}

/** An ETag per file version and encoding (the bytes differ by encoding). */
const etagOf = (encoding: Encoding, info: { size: number; mtimeMs: number }) =>
  `"${info.size.toString(36)}-${Math.trunc(info.mtimeMs).toString(36)}-${encoding}"`;

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** Serves one file (with its compressed copies) as the request asks; null when it does not exist. */
export async function serveFile(c: Context, root: string, urlPath: string): Promise<Response | null> {
  const path = fileFor(root, urlPath);
  if (!path) return null;
  const identity = await fileSize(path);
  if (!identity) return null;

  const copies = new Map<Encoding, { path: string; size: number; mtimeMs: number }>([['identity', { path, ...identity }]]);
  for (const { encoding, suffix } of COPIES) {
    const info = await fileSize(path + suffix);
    if (info) copies.set(encoding, { path: path + suffix, ...info });
  }
  const encoding = negotiateEncoding(c.req.header('Accept-Encoding'), [...copies.keys()]);
  const chosen = copies.get(encoding)!;
  const etag = etagOf(encoding, chosen);

  const headers = new Headers({
    'Content-Type': getMimeType(path) ?? 'application/octet-stream',
    'Cache-Control': urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    ETag: etag,
  });
  // Caches must keep one copy per encoding whenever there is more than one to choose from.
  if (copies.size > 1) headers.set('Vary', 'Accept-Encoding');
  if (encoding !== 'identity') headers.set('Content-Encoding', encoding);

  if (matches(c.req.header('If-None-Match'), etag)) return new Response(null, { status: 304, headers });
  headers.set('Content-Length', String(chosen.size));
  const body = c.req.method === 'HEAD' ? null : await readFile(chosen.path);
  return new Response(body, { status: 200, headers });
}

/** The SPA: its files, and index.html for every client-side route (a path with no extension). */
export function spaFiles(root: string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const file = await serveFile(c, root, c.req.path === '/' ? '/index.html' : c.req.path);
    if (file) return file;
    if (/\.[a-z0-9]+$/i.test(c.req.path)) return next();
    return (await serveFile(c, root, '/index.html')) ?? next();
  };
}
