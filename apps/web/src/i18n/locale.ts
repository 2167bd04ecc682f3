import ar from './messages/ar.json';
import en from './messages/en.json';
import es from './messages/es.json';
import fr from './messages/fr.json';

/**
 * The languages Keystone speaks; every string the app shows is a message of each of the three
 * complete ones. Arabic is a preview of a few strings (the rest in English) that proves the pages
 * lay out right to left.
 */
export const LOCALES = { en, fr, es, ar: { ...en, ...ar } } as const;
export type Locale = keyof typeof LOCALES;
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  fr: 'Français',
  es: 'Español',
  ar: 'العربية (معاينة)',
};

/** Scripts written right to left (an Arabic locale, when one is added, lays the pages out mirrored). */
const RIGHT_TO_LEFT = new Set(['ar', 'fa', 'he', 'ur']);
export const directionOf = (locale: string): 'rtl' | 'ltr' =>
  RIGHT_TO_LEFT.has(locale.split('-')[0]) ? 'rtl' : 'ltr';

/** ?lang=…, else the browser's first language Keystone speaks, else English. */
export function initialLocale(search: string, preferred: readonly string[]): Locale {
  const asked = new URLSearchParams(search).get('lang');
  const candidates = [asked, ...preferred].filter((l): l is string => !!l);
  for (const candidate of candidates) {
    const base = candidate.toLowerCase().split('-')[0];
    if (base in LOCALES) return base as Locale;
  }
  return 'en';
}
