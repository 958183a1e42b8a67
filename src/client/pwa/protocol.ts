/** What the page and the service worker agree on (both import this; it imports nothing). */

/** The one API answer the service worker keeps: what the keypad needs to render. */
export const CONFIG_PATH = '/api/config';
export const CONFIG_CACHE = 'pos-config';
/** Past this without an answer, the kept config is served (the keypad renders; the sale is kept). */
export const CONFIG_TIMEOUT_SECONDS = 4;

/** The page's message telling a waiting new version to take over. */
export const SKIP_WAITING = 'SKIP_WAITING';

/** Where the service worker is served (the site root, so its scope is the whole SPA). */
export const SERVICE_WORKER_URL = '/sw.js';
