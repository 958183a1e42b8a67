/**
 * The POS as an installed app: the one mount point of src/client/pwa in the app shell. It starts
 * the service worker's registration once the page has loaded and the browser is idle (so neither
 * the registration's code nor the precache download competes with the first load), and shows the
 * "new version" prompt while a new version waits.
 */
import { lazy, Suspense, useEffect } from 'react';
import { updateWaiting, useWaitingUpdate } from './state';

const UpdatePrompt = lazy(() => import('./UpdatePrompt'));

let started = false;

function registerWhenIdle(): void {
  if (started || !('serviceWorker' in navigator)) return;
  started = true;
  const register = () => void import('./register').then(({ registerServiceWorker }) => registerServiceWorker(updateWaiting)).catch(() => undefined);
  const whenIdle = () => ('requestIdleCallback' in window ? requestIdleCallback(register, { timeout: 5_000 }) : setTimeout(register, 1_000));
  if (document.readyState === 'complete') whenIdle();
  else window.addEventListener('load', whenIdle, { once: true });
}

export function AppUpdates() {
  const apply = useWaitingUpdate();
  useEffect(registerWhenIdle, []);
  if (!apply) return null;
  return (
    <Suspense fallback={null}>
      <UpdatePrompt apply={apply} />
    </Suspense>
  );
}
