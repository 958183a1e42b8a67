import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type * as babel from '@babel/core';
import { transformAsync, type PluginObj } from '@babel/core';
import { getRequestListener } from '@hono/node-server';
import linguiMacro from '@lingui/babel-plugin-lingui-macro';
import { compileMessage } from '@lingui/message-utils/compileMessage';
import { lingui } from '@lingui/vite-plugin';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import type { Plugin, UserConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import type * as DevEntry from './src/server/entries/dev';
import { defineConfig } from 'vitest/config';

/** `npm run dev`: the proxy's own Hono app answers `/api` beside Vite's hot-reloading SPA. */
function proxyApi(): Plugin {
  return {
    name: 'pos-proxy-api',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!req.url?.startsWith('/api/')) return next();
        server
          .ssrLoadModule('/src/server/entries/dev.ts')
          .then((entry) => {
            const { app } = entry as typeof DevEntry;
            return getRequestListener(app.fetch)(req, res);
          })
          .catch(next);
      });
    },
  };
}

/**
 * Lingui's macros (`t`, `plural`, `msg`, `<Trans>`; lingui.config.ts) become plain calls of its
 * runtime: Lingui's own Babel plugin, run on the few client files that import a macro, before
 * anything else transforms them (Vite's React plugin no longer runs Babel).
 *
 * English needs no catalog: in a production build each message's English is compiled where it is
 * used (`compiledEnglish`), so a chunk carries only its own messages and an English tablet loads
 * no catalog before its first paint (that chunk would cost the first load about 5 KB of gzip).
 * Tests keep the English as written; Lingui compiles it when it is shown.
 */
function linguiMacros(production: boolean): Plugin {
  const macroImport = /from\s+['"]@lingui\/(?:core|react)\/macro['"]/;
  return {
    name: 'pos-lingui-macros',
    enforce: 'pre',
    async transform(code, id) {
      if (!/\.tsx?$/.test(id) || id.includes('/node_modules/') || !macroImport.test(code)) return null;
      const result = await transformAsync(code, {
        filename: id,
        babelrc: false,
        configFile: false,
        sourceMaps: true,
        parserOpts: { plugins: ['typescript', 'jsx'] },
        plugins: [[linguiMacro, { stripMessageField: false }]],
      });
      if (!result?.code) throw new Error(`Lingui's macros could not be compiled in ${id}`);
      if (!production) return { code: result.code, map: result.map };
      const compiled = await transformAsync(result.code, {
        filename: id,
        babelrc: false,
        configFile: false,
        sourceMaps: true,
        inputSourceMap: result.map ?? undefined,
        parserOpts: { plugins: ['typescript', 'jsx'] },
        plugins: [compiledEnglish],
      });
      if (!compiled?.code) throw new Error(`The English messages could not be compiled in ${id}`);
      return { code: compiled.code, map: compiled.map };
    },
  };
}

/**
 * The `message` of each message descriptor the macros wrote (`{ id, message }`, `<Trans id message>`)
 * replaced by its compiled form, which Lingui's runtime shows as it is when the active catalog has
 * no entry for the id: English, whose catalog is empty at run time (src/client/i18n/activate.ts).
 */
function compiledEnglish({ types }: typeof babel): PluginObj {
  const literal = (message: string): babel.types.Expression => types.valueToNode(compileMessage(message));
  return {
    visitor: {
      ObjectProperty(path) {
        const { key, value } = path.node;
        if (!types.isIdentifier(key, { name: 'message' }) || !types.isStringLiteral(value)) return;
        const siblings = types.isObjectExpression(path.parent) ? path.parent.properties : [];
        const hasId = siblings.some((p) => types.isObjectProperty(p) && types.isIdentifier(p.key, { name: 'id' }));
        if (hasId) path.node.value = literal(value.value);
      },
      JSXAttribute(path) {
        const { name, value } = path.node;
        if (!types.isJSXIdentifier(name, { name: 'message' }) || !types.isStringLiteral(value)) return;
        path.node.value = types.jsxExpressionContainer(literal(value.value));
      },
    },
  };
}

/** Each language's catalog (src/client/i18n/locales/*.po), compiled into a chunk of its own. */
const catalogs = () => lingui({ failOnMissing: true, failOnCompileError: true });

/**
 * `vite build --mode worker`: the proxy for Cloudflare Workers as one ES module with every
 * dependency inside (workerd has no node_modules), in dist/worker/worker.js.
 */
const workerBuild: UserConfig = {
  publicDir: false,
  resolve: { alias: { buffer: fileURLToPath(new URL('./src/server/entries/buffer.ts', import.meta.url)) } },
  build: {
    ssr: 'src/server/entries/worker.ts',
    outDir: 'dist/worker',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      external: ['cloudflare:workers', /^node:/],
      output: { entryFileNames: 'worker.js' },
    },
  },
  ssr: { noExternal: true, target: 'webworker', resolve: { conditions: ['workerd', 'worker', 'browser', 'import'] } },
};

/**
 * Brotli and gzip copies of every text file of the client build, made once at build time and
 * written beside each file (`x.js.br`, `x.js.gz`), so that the Node entry serves them without
 * compressing on each request. Runs last, after the service worker is written, so that sw.js gets
 * its copies too. A copy that would not be smaller is not written (the file is then sent as it is).
 */
/** What is worth compressing: text. Images (PNG) are compressed already; source maps are for tools. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|xml)$/;

const ENCODINGS = {
  br: (data: Buffer) =>
    brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  gzip: (data: Buffer) => gzipSync(data, { level: constants.Z_BEST_COMPRESSION }),
} as const;

/** The file-name suffix of each encoding's copy. */
const SUFFIX = { br: '.br', gzip: '.gz' } as const;

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

function precompressDir(dir: string): { files: number; bytes: number; br: number; gzip: number } {
  const totals = { files: 0, bytes: 0, br: 0, gzip: 0 };
  for (const path of files(dir)) {
    if (!COMPRESSIBLE.test(path)) continue;
    const data = readFileSync(path);
    totals.files++;
    totals.bytes += data.length;
    for (const encoding of ['br', 'gzip'] as const) {
      const compressed = ENCODINGS[encoding](data);
      if (compressed.length >= data.length) continue;
      writeFileSync(path + SUFFIX[encoding], compressed);
      totals[encoding] += compressed.length;
    }
  }
  return totals;
}

function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'pos-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        const t = precompressDir(outDir);
        const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
        this.info(`precompressed ${t.files} files: ${kb(t.bytes)} → brotli ${kb(t.br)}, gzip ${kb(t.gzip)}`);
      },
    },
  };
}

/**
 * The service worker (src/client/pwa/sw.ts), with the list of every file of the build to precache
 * injected into it: the app shell, every screen's code, the icons and the manifest. The manifest is
 * public/manifest.webmanifest as written; the screenshots in it are for the install dialog only.
 */
const serviceWorker = () =>
  VitePWA({
    strategies: 'injectManifest',
    srcDir: 'src/client/pwa',
    filename: 'sw.ts',
    injectRegister: false,
    manifest: false,
    injectManifest: {
      globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
      globIgnores: ['screenshots/**'],
      sourcemap: false,
    },
  });

export default defineConfig(({ isSsrBuild, mode }) => (mode === 'worker' ? workerBuild : {
  plugins: [
    linguiMacros(mode === 'production'),
    catalogs(),
    react(),
    tailwindcss(),
    proxyApi(),
    ...(isSsrBuild ? [] : [serviceWorker(), precompress()]),
  ],
  // The server bundle needs none of the SPA's static files.
  publicDir: isSsrBuild ? false : 'public',
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Everything the first screen imports statically goes in one chunk: split into the pieces
        // the lazy screens share too, it compresses worse (about 1 KB more gzip on the first load).
        codeSplitting: { groups: [{ name: 'initial', tags: ['$initial'] }] },
      },
    },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173 },
  test: {
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
    // The proxy, the fakes and pure modules run on Node; the SPA's component tests (*.test.tsx) in a DOM.
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['src/**/*.test.ts', 'e2e/fakes/**/*.test.ts', 'e2e/bench/**/*.test.ts'], environment: 'node', setupFiles: ['src/client/test/setup-node.ts'] },
      },
      {
        extends: true,
        test: { name: 'dom', include: ['src/client/**/*.test.tsx'], environment: 'happy-dom', setupFiles: ['src/client/test/setup.ts'] },
      },
    ],
  },
}));
