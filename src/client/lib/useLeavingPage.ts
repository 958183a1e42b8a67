import { useCallback, useEffect, useRef } from 'react';

/**
 * Whether the page is being left (reload, closing the tab): requests in flight are then aborted,
 * and such an abort is not a failure anyone has seen. Listens only while the caller is mounted.
 */
export function useLeavingPage(): () => boolean {
  const leaving = useRef(false);
  useEffect(() => {
    const hidden = () => (leaving.current = true);
    const shown = () => (leaving.current = false);
    window.addEventListener('pagehide', hidden);
    window.addEventListener('pageshow', shown);
    return () => {
      window.removeEventListener('pagehide', hidden);
      window.removeEventListener('pageshow', shown);
    };
  }, []);
  return useCallback(() => leaving.current, []);
}
