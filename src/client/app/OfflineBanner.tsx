import { useLingui } from '@lingui/react/macro';
import { useSyncExternalStore } from 'react';
import { Banner } from '../ui/Banner';

function subscribe(onChange: () => void) {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

export function useOnline(): boolean {
  return useSyncExternalStore(subscribe, () => navigator.onLine);
}

/** While the tablet is offline, say so; polling pauses and resumes on its own when it is back. */
export function OfflineBanner() {
  const { t } = useLingui();
  const online = useOnline();
  if (online) return null;
  return (
    <div className="px-4 pt-3">
      <Banner tone="warning">{t`Offline. The sale is kept; payment status is checked again as soon as the connection is back.`}</Banner>
    </div>
  );
}
