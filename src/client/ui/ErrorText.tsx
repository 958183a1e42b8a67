import { lazy, Suspense } from 'react';
import type { ErrorContext } from '../i18n/errors';

/**
 * Every error's words in every language are a chunk of their own: the first screen does without
 * them (they would cost its first load about 2 KB of gzip), and `preloadErrorWords` fetches them
 * once the POS has painted, so they are in before any error can be shown (and precached for
 * offline use by the service worker).
 */
const loadErrorWords = () => import('./ErrorWords');
const ErrorWords = lazy(loadErrorWords);

export function preloadErrorWords(): void {
  void loadErrorWords().catch(() => undefined);
}

/** An error as the cashier reads it, in the POS's language (i18n/errors.ts). */
export function ErrorText(props: { error: Error; context?: ErrorContext }) {
  return (
    <Suspense fallback={null}>
      <ErrorWords {...props} />
    </Suspense>
  );
}
