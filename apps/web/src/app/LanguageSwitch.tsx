import { useIntl } from 'react-intl';
import { LOCALE_NAMES, LOCALES, type Locale } from '../i18n/locale';

/** A native select: keyboard and screen readers handle it as they do everywhere. */
export function LanguageSwitch({
  locale,
  onLocale,
}: {
  locale: Locale;
  onLocale: (l: Locale) => void;
}) {
  const intl = useIntl();
  return (
    <label className="language">
      {intl.formatMessage({ id: 'lang.label' })}{' '}
      <select value={locale} onChange={(event) => onLocale(event.target.value as Locale)}>
        {(Object.keys(LOCALES) as Locale[]).map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
