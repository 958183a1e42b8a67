/**
 * What each screen downloads, from the built SPA itself: index.html names the entry, its
 * preloads and the stylesheet; a chunk's static imports (`from"./x.js"`, `import"./x.js"`) are
 * fetched with it. Sizes are gzip -9 of the files, and the brotli copies the build writes (what the
 * Node entry sends to a browser that takes brotli).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decode } from '@jridgewell/sourcemap-codec';

export interface Download {
  files: string[];
  jsGzip: number;
  cssGzip: number;
  totalGzip: number;
  /** JS + CSS as the Node entry sends them to a browser that takes brotli: the build's .br copies. */
  totalBrotli: number;
}

const gzipSize = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;
/** The brotli copy the build wrote beside the file, or the file itself where none was worth making. */
const servedBrotliSize = (path: string) => statSync(existsSync(`${path}.br`) ? `${path}.br` : path).size;

/** Files (relative to the client root, e.g. `assets/index-x.js`) a chunk brings with it, itself included. */
export function staticClosure(root: string, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(root, file), 'utf8');
    const dir = file.slice(0, file.lastIndexOf('/') + 1);
    for (const match of code.matchAll(/\b(?:from|import)\s*["']\.\/([^"']+\.js)["']/g)) visit(dir + match[1]);
  };
  visit(entry);
  return [...seen];
}

function measure(root: string, files: string[]): Download {
  const js = files.filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gzipSize(join(root, f)), 0);
  const css = files.filter((f) => f.endsWith('.css')).reduce((sum, f) => sum + gzipSize(join(root, f)), 0);
  const brotli = files.filter((f) => /\.(js|css)$/.test(f)).reduce((sum, f) => sum + servedBrotliSize(join(root, f)), 0);
  return { files, jsGzip: js, cssGzip: css, totalGzip: js + css, totalBrotli: brotli };
}

export interface BundleReport {
  /** An unlocked tablet opening the POS: the cashier screen. */
  cashier: Download;
  /** Opening the history dashboard afterwards: what it adds. */
  dashboard: Download;
  /** The checkout screen, fetched while the cashier types. */
  checkout: Download;
}

export function bundleReport(root: string): BundleReport {
  const html = readFileSync(join(root, 'index.html'), 'utf8');
  const local = (ref: string) => ref.replace(/^\//, '');
  const entry = local(/<script type="module"[^>]*src="([^"]+)"/.exec(html)?.[1] ?? '');
  if (!entry) throw new Error('index.html has no module script: is the SPA built?');
  const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => local(m[1]!));
  const styles = [...html.matchAll(/<link rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => local(m[1]!));
  const initial = new Set([...staticClosure(root, entry), ...preloads.flatMap((p) => staticClosure(root, p)), ...styles]);

  const assets = readdirSync(join(root, 'assets'));
  const lazy = (screen: string): Download => {
    const chunk = assets.find((f) => f.startsWith(`${screen}-`) && f.endsWith('.js'));
    if (!chunk) throw new Error(`no ${screen} chunk in the build`);
    // Its own stylesheet, and the one every screen after the keypad brings (src/client/app/App.tsx).
    const css = assets.filter((f) => (f.startsWith(`${screen}-`) || f.startsWith('all-screens-')) && f.endsWith('.css')).map((f) => `assets/${f}`);
    const files = [...staticClosure(root, `assets/${chunk}`), ...css].filter((f) => !initial.has(f));
    return measure(root, files);
  };
  return { cashier: measure(root, [...initial]), dashboard: lazy('HistoryScreen'), checkout: lazy('CheckoutScreen') };
}

export interface Part {
  /** An npm package, or "app" for the project's own code. */
  name: string;
  /** Its share of the files' gzip size, bytes (each part's code compressed alone, scaled to the total). */
  gzip: number;
}

/** What the JS files are made of, by package, from the source maps the build writes beside them. */
export function composition(root: string, files: string[]): Part[] {
  const text = new Map<string, string>();
  let total = 0;
  for (const file of files.filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(join(root, file), 'utf8');
    total += gzipSize(join(root, file));
    const map = JSON.parse(readFileSync(join(root, `${file}.map`), 'utf8')) as { sources: string[]; mappings: string };
    const lines = code.split('\n');
    decode(map.mappings).forEach((segments, line) => {
      segments.forEach((segment, i) => {
        const source = segment.length > 1 ? map.sources[segment[1]!] : undefined;
        const end = segments[i + 1]?.[0] ?? lines[line]!.length;
        const name = source === undefined ? 'app' : packageOf(source);
        text.set(name, (text.get(name) ?? '') + lines[line]!.slice(segment[0], end));
      });
    });
  }
  const alone = [...text].map(([name, code]) => ({ name, gzip: gzipSync(code, { level: 9 }).length }));
  const sum = alone.reduce((n, p) => n + p.gzip, 0);
  return alone.map((p) => ({ name: p.name, gzip: Math.round((p.gzip / sum) * total) })).sort((a, b) => b.gzip - a.gzip);
}

function packageOf(source: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  return match ? match[1]! : 'app';
}
