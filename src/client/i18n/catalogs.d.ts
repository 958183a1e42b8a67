/** A language's catalog (locales/<language>.po), compiled by Lingui's Vite plugin into a module. */
declare module '*.po' {
  import type { Messages } from '@lingui/core';

  export const messages: Messages;
}
