import { useLingui } from '@lingui/react/macro';
import { useId, useState } from 'react';
import { languages, type Language } from '../../../contract/api';
import { chooseLanguage } from '../../i18n/activate';
import { languageNames, type Locale } from '../../i18n/languages';
import { GlobeIcon } from '../../ui/icons';

/**
 * The language of this tablet, chosen before unlocking: each language by its own name, so that a
 * cashier who reads only that one finds it. Remembered on this tablet; choosing the store's own
 * language goes back to following the store.
 */
export function LanguagePicker({ store }: { store: Language | undefined }) {
  const { t, i18n } = useLingui();
  const id = useId();
  const [switching, setSwitching] = useState(false);
  const choose = (locale: Locale) => {
    setSwitching(true);
    // Offline with that catalog never fetched: the tablet stays in its language, and says so by
    // showing it still chosen.
    void chooseLanguage(locale, store)
      .catch(() => undefined)
      .finally(() => setSwitching(false));
  };
  return (
    <div className="mt-6 flex items-center gap-3 max-sm:mt-3 landscape:mt-4">
      <label htmlFor={id} className="flex shrink-0 items-center gap-2 text-lg font-semibold">
        <GlobeIcon className="size-7 text-ink-soft" />
        {t`Language`}
      </label>
      <select
        id={id}
        value={i18n.locale}
        disabled={switching}
        onChange={(event) => {
          const chosen = languages.find((language) => language === event.target.value);
          if (chosen) choose(chosen);
        }}
        className="h-touch min-w-0 flex-1 rounded-key border-2 border-line bg-white px-3 text-lg max-sm:h-12"
      >
        {/* The pseudo-locale of the tests is not offered; while it is on, it shows as itself. */}
        {!languages.some((language) => language === i18n.locale) && <option value={i18n.locale}>{i18n.locale}</option>}
        {languages.map((language) => (
          <option key={language} value={language} lang={language}>
            {languageNames[language]}
          </option>
        ))}
      </select>
    </div>
  );
}
