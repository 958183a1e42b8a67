import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import type { Plugin, UserConfig } from 'vite';
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

export default defineConfig(({ isSsrBuild, mode }) => (mode === 'worker' ? workerBuild : {
  plugins: [react(), tailwindcss(), proxyApi()],
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
        test: { name: 'node', include: ['src/**/*.test.ts', 'e2e/fakes/**/*.test.ts', 'e2e/bench/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: { name: 'dom', include: ['src/client/**/*.test.tsx'], environment: 'happy-dom', setupFiles: ['src/client/test/setup.ts'] },
      },
    ],
  },
}));
