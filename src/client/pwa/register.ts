/**
 * Registers the service worker (workbox-window), after the first paint: this module and
 * workbox-window load on demand, never with the keypad's first load.
 *
 * A new version installs in the background and waits; this module only reports it (the prompt
 * decides when it applies: between sales). The POS may stay open for days without a navigation,
 * so it also asks for a new version now and then, and as soon as the network is back.
 */
import { Workbox } from 'workbox-window';
import { SERVICE_WORKER_URL, SKIP_WAITING } from './protocol';
import type { ApplyUpdate } from './state';

export const UPDATE_CHECK_INTERVAL_MS = 15 * 60_000;
/** How often a waiting version is told again to take over, until it does. */
const SKIP_WAITING_RETRY_MS = 3_000;

/** `onWaiting` is told when a new version waits, with what applies it. */
export async function registerServiceWorker(onWaiting: (apply: ApplyUpdate) => void): Promise<void> {
  const workbox = new Workbox(SERVICE_WORKER_URL);
  let applying = false;
  // Also when a version was already waiting from an earlier visit.
  workbox.addEventListener('waiting', () => {
    onWaiting(() => {
      if (applying) return;
      applying = true;
      // The page reloads into the new version once it is active: it then controls the page (or,
      // on a page opened before the first version was installed, serves the reload).
      let reloading = false;
      const reload = () => {
        if (reloading) return;
        reloading = true;
        window.location.reload();
      };
      workbox.addEventListener('controlling', reload);
      workbox.addEventListener('activated', (event) => {
        if (event.isUpdate) reload();
      });
      // Tells the waiting version to take over (sw.ts answers {type: SKIP_WAITING}). It is looked
      // up afresh: workbox-window's messageSkipWaiting() did not reach it in the browser tests
      // whenever the checkout outlasted the 30 s Chromium keeps an idle worker running. And it is
      // told again every few seconds until the page reloads: a message to a worker Chromium had
      // stopped can be lost while it starts again, and the update would then wait for a restart.
      const tell = () =>
        void navigator.serviceWorker.getRegistration().then(
          (registration) => registration?.waiting?.postMessage({ type: SKIP_WAITING }),
          () => undefined,
        );
      tell();
      window.setInterval(tell, SKIP_WAITING_RETRY_MS);
    });
  });
  await workbox.register();
  const check = () => void workbox.update().catch(() => undefined);
  setInterval(check, UPDATE_CHECK_INTERVAL_MS);
  window.addEventListener('online', check);
}
