/**
 * The proxy: one Hono app (a Web-standard fetch handler) that every entry — Node, the Vite dev
 * server, a serverless runtime — mounts unchanged. Routes live one file per resource.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { PinAttempts, Sessions } from './auth';
import { API_DEADLINE_MS, deadline } from './deadline';
import { Devices } from './devices';
import { ApiError } from './errors';
import { Reports } from './history';
import { RateCache } from './rates';
import { InvoiceReads } from './reads';
import { demoRoutes } from './routes/demo';
import { deviceRoutes } from './routes/devices';
import { invoiceRoutes } from './routes/invoices';
import { metaRoutes } from './routes/meta';
import { receiptRoutes } from './routes/receipts';
import { reportRoutes } from './routes/reports';
import { sessionRoutes } from './routes/session';
import { webhookRoutes } from './routes/webhooks';
import { withdrawRoutes } from './routes/withdraw';
import type { AppDeps, Services } from './services';
import { StoreFullError } from './store';
import { jsonOnly } from './validation';
import { VersionGate } from './version-gate';
import { announceTo, LocalWaiters } from './waiters';

export const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * The SPA loads only its own files and talks only to its own origin; nothing may frame it.
 * No inline scripts are allowed (Vite emits none). Its service worker (/sw.js) and web app
 * manifest come from its own origin too, named here rather than left to default-src.
 */
const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function createApp(deps: AppDeps): Hono {
  const now = deps.now ?? Date.now;
  const { config } = deps;
  const devices = new Devices(deps.store, now, deps.config.setupCode);
  const waiters = deps.waiters ?? new LocalWaiters();
  // Names each sale's cashier by the id it keeps at the provider (PINs stay in the session checks).
  const staff = config.cashiers.map(({ id, name }) => ({ id, name }));
  const services: Services = {
    clientId: () => 'unknown',
    deadlineMs: API_DEADLINE_MS,
    ...deps,
    now,
    waiters,
    rates: new RateCache(deps.provider, now),
    reads: new InvoiceReads(deps.provider, deps.store, now, announceTo(waiters), staff),
    reports: new Reports(
      deps.provider,
      deps.store,
      {
        timezone: config.timezone,
        currency: config.currency,
        storeName: config.storeName,
        invoiceExpirySec: config.provider === 'demo' ? config.demo.invoiceExpirySec : config.invoiceExpirySec,
        staff,
      },
      now,
    ),
    versions: deps.versions ?? new VersionGate(deps.provider, deps.log),
    devices,
    sessions: new Sessions(deps.store, deps.config, now, (id) => devices.seen(id)),
    attempts: new PinAttempts(deps.store, now),
  };

  const api = new Hono();
  api.use(async (c, next) => {
    await next();
    // On the response's own headers: `c.header` after `next` would copy the response into a
    // stream, which the Node server then writes far more slowly.
    c.res.headers.set('Cache-Control', 'no-store');
  });
  const limitBody = bodyLimit({
    maxSize: BODY_LIMIT_BYTES,
    onError: () => {
      throw payloadTooLarge();
    },
  });
  // Only where a body is read: looking for one on a GET makes the Node server build a whole
  // Request (with its abort signal) for every status poll.
  api.use((c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));
  api.use(jsonOnly);
  api.use(deadline(services.deadlineMs));
  // Nothing that asks the provider runs against a release the POS refuses (version-gate.ts).
  for (const path of ['/invoices', '/invoices/*', '/rate', '/payments', '/history', '/cashup', '/receipts', '/receipts/*', '/webhooks/*']) {
    api.use(path, async (_c, next) => {
      await services.versions.ready();
      await next();
    });
  }
  api.route('/', metaRoutes(services));
  api.route('/session', sessionRoutes(services));
  api.route('/devices', deviceRoutes(services));
  api.route('/invoices', invoiceRoutes(services));
  api.route('/invoices', withdrawRoutes(services));
  api.route('/demo', demoRoutes(services));
  api.route('/webhooks', webhookRoutes(services));
  api.route('/receipts', receiptRoutes(services));
  api.route('/', reportRoutes(services));
  api.all('*', () => {
    throw new ApiError(404, 'not_found', 'There is no such API route.');
  });

  const app = new Hono();
  app.use(secureHeaders({ contentSecurityPolicy, referrerPolicy: 'no-referrer', xFrameOptions: 'DENY', crossOriginEmbedderPolicy: false }));
  if (deps.config.allowedHosts) app.use(hostAllowList(deps.config.allowedHosts));
  app.route('/api', api);
  if (deps.assets) app.use(deps.assets);
  app.notFound(() => {
    throw new ApiError(404, 'not_found', 'Not found.');
  });
  app.onError((error, c) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) {
      services.log.error('request failed', { method: c.req.method, path: c.req.path, code: apiError.code, error });
    }
    return c.json(apiError.toBody(), apiError.status, apiError.headers);
  });
  return app;
}

/**
 * Answers only requests addressed to this POS by name (`Host`), so that a web page whose name
 * its owner points at the proxy's address (DNS rebinding) cannot talk to it as same-origin.
 */
function hostAllowList(allowed: readonly string[]): MiddlewareHandler {
  const names = new Set(allowed);
  return async (c, next) => {
    const host = new URL(c.req.url).hostname.toLowerCase();
    if (!names.has(host)) {
      throw new ApiError(421, 'misdirected_request', 'This POS does not answer to that host name. Add it to POS_ALLOWED_HOSTS.');
    }
    await next();
  };
}

const payloadTooLarge = () => new ApiError(413, 'payload_too_large', 'The request body is larger than 16 KiB.');

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof StoreFullError) {
    return new ApiError(503, 'storage_full', 'The POS cannot take this on right now. Try again in a minute.', undefined, { 'Retry-After': '60' });
  }
  if (error instanceof HTTPException) {
    return error.status === 413 ? payloadTooLarge() : new ApiError(400, 'invalid_request', 'The request is not valid.');
  }
  return new ApiError(500, 'internal_error', 'Something went wrong on the POS server. Please try again.');
}
