import { useEffect, useState } from 'react';
import { FormattedMessage, IntlProvider } from 'react-intl';
import { PublicPanel } from '../features/panel/PublicPanel';
import { LanguageSwitch } from './LanguageSwitch';
import { initialLocale, LOCALES, type Locale } from '../i18n/locale';

/** The shell: the language (kept in ?lang=), the header, and the page. */
export function App() {
  const [locale, setLocale] = useState<Locale>(() =>
    initialLocale(window.location.search, navigator.languages),
  );
  useEffect(() => {
    document.documentElement.lang = locale;
    const url = new URL(window.location.href);
    url.searchParams.set('lang', locale);
    window.history.replaceState(null, '', url);
  }, [locale]);
  return (
    <IntlProvider locale={locale} messages={LOCALES[locale]} defaultLocale="en">
      <Shell locale={locale} onLocale={setLocale} />
    </IntlProvider>
  );
}

function Shell({ locale, onLocale }: { locale: Locale; onLocale: (l: Locale) => void }) {
  return (
    <>
      <SkipLink />
      <header className="masthead">
        <div>
          <p className="brand">Keystone</p>
          <Tagline />
        </div>
        <LanguageSwitch locale={locale} onLocale={onLocale} />
      </header>
      <main id="main" tabIndex={-1}>
        <PublicPanel />
      </main>
    </>
  );
}

function SkipLink() {
  return (
    <a className="skip" href="#main">
      <FormattedMessage id="app.skip" />
    </a>
  );
}

function Tagline() {
  return (
    <p className="tagline">
      <FormattedMessage id="app.tagline" />
    </p>
  );
}
