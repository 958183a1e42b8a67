/**
 * Lingui (https://lingui.dev): the SPA's messages are written in English in the code with Lingui's
 * macros, `npm run i18n:extract` collects them into one gettext catalog per language
 * (src/client/i18n/locales/<language>.po), translators fill those in, and the build compiles each
 * catalog into its own lazily loaded chunk (vite.config.ts). `en-XA` is the pseudo-locale: English
 * with every letter accented, made from the English catalog at build time, for the test that fails
 * on any string that is not translated.
 */
import { defineConfig } from '@lingui/conf';
import { formatter } from '@lingui/format-po';

export default defineConfig({
  sourceLocale: 'en',
  locales: ['en', 'es', 'pt-BR', 'de', 'fr', 'en-XA'],
  pseudoLocale: 'en-XA',
  // A message missing from a catalog fails the build (vite.config.ts), so no fallback is needed.
  fallbackLocales: false,
  catalogs: [
    {
      path: '<rootDir>/src/client/i18n/locales/{locale}',
      include: ['<rootDir>/src/client'],
      exclude: ['**/*.test.ts', '**/*.test.tsx', '<rootDir>/src/client/test/**'],
    },
  ],
  // Where a message is used (file names without line numbers, so that edits do not churn the catalogs).
  format: formatter({ lineNumbers: false }),
  orderBy: 'origin',
});
