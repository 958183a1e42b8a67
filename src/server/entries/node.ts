/**
 * `npm start`: the proxy and the built SPA on one port (default http://127.0.0.1:3000).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { bootstrap } from '../bootstrap';
import { ConfigError, type Config } from '../config';
import { ProviderVersionError } from '../providers/provider';
import { SqliteStore, storeFor } from '../sqlite-store';
import type { KeyValueStore } from '../store';
import { spaFiles } from './static';

const clientDir = fileURLToPath(new URL('../client', import.meta.url));

/** The SQLite file outside the demo (closed on exit); a data directory it cannot use stops start-up. */
let database: SqliteStore | undefined;
function openStore(config: Config): KeyValueStore {
  let store: KeyValueStore;
  try {
    store = storeFor(config);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([`POS_DATA_DIR: cannot keep the POS's data in ${config.dataDir} (${reason})`]);
  }
  if (store instanceof SqliteStore) database = store;
  return store;
}

async function start(): Promise<void> {
  if (!existsSync(clientDir)) {
    console.error(`The SPA is not built (${clientDir} is missing). Run "npm run build" first, or use "npm start".`);
    process.exit(1);
  }
  let proxy: ReturnType<typeof bootstrap>;
  try {
    proxy = bootstrap(process.env, {
      clientId: (c, config) => {
        // Behind a reverse proxy every request comes from it: the client is the last hop it names.
        const forwarded = config.trustProxy ? c.req.header('X-Forwarded-For')?.split(',').pop()?.trim() : undefined;
        return forwarded || (getConnInfo(c).remote.address ?? 'unknown');
      },
      // The built SPA, compressed as the build made it (brotli, gzip), with its cache rules.
      assets: spaFiles(clientDir),
      store: openStore,
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`Configuration error: ${problem}`);
      process.exit(1);
    }
    throw error;
  }
  const { app, config, log } = proxy;
  try {
    // A provider release the POS does not support stops it here, with one line.
    await proxy.ready;
  } catch (error) {
    if (error instanceof ProviderVersionError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    const url = `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`;
    log.info('POS listening', { url, provider: config.provider, currency: config.currency, store: database ? database.dataDir : 'memory' });
    if (config.defaultPins) {
      log.info('Demo PINs', { cashier: config.pins.cashier, manager: config.pins.manager });
    }
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      console.error(`Port ${config.port} on ${config.host} is already in use. Stop the other program, or set PORT to another port.`);
    } else if (error.code === 'EACCES') {
      console.error(`Not allowed to listen on ${config.host}:${config.port}. Choose a PORT above 1023.`);
    } else {
      console.error(`Could not listen on ${config.host}:${config.port}: ${error.message}`);
    }
    process.exit(1);
  });
  const stop = () => {
    server.close(() => {
      database?.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void start();
