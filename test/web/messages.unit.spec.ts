import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { THEMES as VOCABULARY } from '@keystone/reference-data';
import { THEMES } from '../../apps/web/src/features/cases/views';

const DIR = join(__dirname, '../../apps/web/src/i18n/messages');
const read = (locale: string) =>
  JSON.parse(readFileSync(join(DIR, `${locale}.json`), 'utf8')) as Record<string, string>;

/** The names a message fills in ({year}, {count, plural, …}): the same in every language. */
const argumentsOf = (message: string): string[] =>
  [...new Set([...message.matchAll(/\{\s*([a-z]\w*)\s*(?=[,}])/g)].map((m) => m[1]))].sort();

/** English, French and Spanish are complete: the same messages, each filling in the same values. */
describe('the web app’s messages', () => {
  const en = read('en');

  it.each(['fr', 'es'])('has every English message in %s, with the same arguments', (locale) => {
    const other = read(locale);
    expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
    const differing = Object.keys(en).filter(
      (id) => JSON.stringify(argumentsOf(en[id])) !== JSON.stringify(argumentsOf(other[id])),
    );
    expect(differing).toEqual([]);
    const untranslated = Object.keys(en).filter(
      (id) => other[id] === en[id] && /[a-z]{4,}\s+[a-z]{4,}/i.test(en[id]),
    );
    // Only proper names and codes may read the same in two languages.
    expect(untranslated).toEqual([]);
  });

  it('has braces that balance in every message', () => {
    for (const locale of ['en', 'fr', 'es', 'ar'])
      for (const [id, message] of Object.entries(read(locale))) {
        let depth = 0;
        for (const c of message) {
          depth += c === '{' ? 1 : c === '}' ? -1 : 0;
          if (depth < 0) throw new Error(`${locale} ${id}: a } without its {`);
        }
        expect([locale, id, depth]).toEqual([locale, id, 0]);
      }
  });
});

describe('the web app’s themes', () => {
  it('offers every theme of the vocabulary, each with its name in English, French and Spanish', () => {
    expect([...THEMES].sort()).toEqual(VOCABULARY.map((theme) => theme.slug).sort());
    for (const locale of ['en', 'fr', 'es']) {
      const messages = read(locale);
      expect(THEMES.filter((slug) => !messages[`theme.${slug}`])).toEqual([]);
    }
  });
});
