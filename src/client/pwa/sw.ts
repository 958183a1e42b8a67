/**
 * The service worker (built by vite-plugin-pwa, `injectManifest`): the POS opens with no network.
 *
 * What it serves, and what it never does:
 * - Every file of the build (index.html, every screen's code and styles, icons, the manifest) is
 *   precached at install, so the keypad and any screen open offline, and a navigation to any SPA
 *   route (`/`, `/checkout/…`, `/history`) gets the precached index.html.
 * - `/api/*` is not routed here: the browser fetches it itself, straight from the network, and an
 *   invoice's status is never answered from a cache (a stale "pending" or "paid" is worse than none).
 * - The one exception is `GET /api/config` (store name, currency, provider): the keypad cannot render
 *   without it and it changes only when the proxy restarts. It is fetched from the network first and
 *   kept; offline (or after 4 s without an answer) the kept copy is served, saying its age (`Age`) and
 *   without its old `Date`, which the SPA would otherwise take for the proxy's clock.
 * - A new version waits (no skipWaiting at install): the page asks it to take over, between sales.
 */
/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import type { WorkboxPlugin } from 'workbox-core';
import { CONFIG_CACHE, CONFIG_PATH, CONFIG_TIMEOUT_SECONDS, SKIP_WAITING } from './protocol';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api(\/|$)/] }));

/** A kept copy says how old it is, and carries no `Date` to be mistaken for the proxy's clock. */
const saysItsAge: WorkboxPlugin = {
  cachedResponseWillBeUsed: async ({ cachedResponse }) => {
    if (!cachedResponse) return null;
    const headers = new Headers(cachedResponse.headers);
    const storedAt = Date.parse(headers.get('Date') ?? '');
    headers.delete('Date');
    if (!Number.isNaN(storedAt)) headers.set('Age', String(Math.max(0, Math.round((Date.now() - storedAt) / 1000))));
    return new Response(await cachedResponse.blob(), { status: cachedResponse.status, statusText: cachedResponse.statusText, headers });
  },
};

const config = new NetworkFirst({ cacheName: CONFIG_CACHE, networkTimeoutSeconds: CONFIG_TIMEOUT_SECONDS, plugins: [saysItsAge] });
registerRoute(({ url, request, sameOrigin }) => sameOrigin && request.method === 'GET' && url.pathname === CONFIG_PATH, config);

self.addEventListener('install', (event) => {
  // Kept at install too, so a tablet opened once can start offline before any page it controlled
  // asked for the config. Never fatal: offline or with the proxy down, the install goes on.
  event.waitUntil(config.handle({ event, request: new Request(CONFIG_PATH) }).catch(() => undefined));
});

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: unknown } | null)?.type === SKIP_WAITING) void self.skipWaiting();
});
