import { useCallback, useEffect, useRef } from 'react';

/**
 * Whether the page is being left (reload, closing the tab): requests in flight are then aborted,
 * and such an abort is not a failure anyone has seen. Chromium aborts them before `pagehide`, so
 * `beforeunload` (which comes first) counts too. Listens only while the caller is mounted.
 */
export function useLeavingPage(): () => boolean {
  const leaving = useRef(false);
  useEffect(() => {
    const leavingNow = () => (leaving.current = true);
    const back = () => (leaving.current = false);
    window.addEventListener('beforeunload', leavingNow);
    window.addEventListener('pagehide', leavingNow);
    window.addEventListener('pageshow', back);
    return () => {
      window.removeEventListener('beforeunload', leavingNow);
      window.removeEventListener('pagehide', leavingNow);
      window.removeEventListener('pageshow', back);
    };
  }, []);
  return useCallback(() => leaving.current, []);
}
