import { i18n } from '@lingui/core';
import { I18nProvider } from '@lingui/react';
import type { ReactNode } from 'react';
import { useActiveLocale } from '../i18n/activate';
import { BoltIcon } from '../ui/icons';

/**
 * Everything below speaks the POS's language. Until the first catalog is in (a few milliseconds
 * from the cache or the network) the screen shows the POS's mark and no words, so that no word
 * ever shows in a language the cashier did not ask for.
 */
export function LanguageRoot({ children }: { children: ReactNode }) {
  const locale = useActiveLocale();
  if (!locale) {
    return (
      <main className="flex h-full items-center justify-center" aria-busy="true">
        <BoltIcon className="size-16 animate-pulse text-brand-strong" />
      </main>
    );
  }
  return <I18nProvider i18n={i18n}>{children}</I18nProvider>;
}
