import { useLingui } from '@lingui/react';
import { errorText, type ErrorContext } from '../i18n/errors';

/**
 * An error as the cashier reads it (i18n/errors.ts). Words the proxy sent in English, for a code
 * this version does not know, are marked as English, so that a screen reader says them right.
 * Loaded apart from the first screen (./ErrorText.tsx).
 */
export default function ErrorWords({ error, context }: { error: Error; context?: ErrorContext }) {
  // Read through the provider, so that the words follow the language.
  useLingui();
  const { text, english, detail } = errorText(error, context);
  return (
    <>
      {english ? <span lang="en">{text}</span> : text}
      {detail && (
        <>
          {' '}
          <span lang="en" className="font-normal">
            {detail}
          </span>
        </>
      )}
    </>
  );
}
