/**
 * Themes of assistance: a canonical vocabulary, each theme with its label and the other names people
 * give it (abbreviations such as NHRI, NMIRF, NPM, BHR, NAP), open to new themes. A theme is kept as
 * a slug (lower-case words joined by hyphens), so "Women's rights" and "womens-rights" are one theme,
 * and free text that names a known theme by its slug, label or a synonym is that theme.
 */
export interface Theme {
  readonly slug: string;
  readonly label: string;
  readonly synonyms: readonly string[];
}

export const THEMES: readonly Theme[] = [
  { slug: 'womens-rights', label: "Women's rights", synonyms: ['rights of women', 'CEDAW'] },
  {
    slug: 'rights-of-the-child',
    label: 'Rights of the child',
    synonyms: ["children's rights", 'child rights', 'CRC'],
  },
  { slug: 'gender-mainstreaming', label: 'Gender mainstreaming', synonyms: [] },
  {
    slug: 'torture-prevention',
    label: 'Torture prevention',
    synonyms: [
      'prevention of torture',
      'NPM',
      'NPMs',
      'national preventive mechanism',
      'national preventive mechanisms',
      'OPCAT',
      // French and Spanish
      'MNP',
      'mécanisme national de prévention',
      'mecanismo nacional de prevención',
    ],
  },
  {
    slug: 'detention-and-prison-reform',
    label: 'Detention and prison reform',
    synonyms: ['prison reform', 'detention'],
  },
  {
    slug: 'business-and-human-rights',
    label: 'Business and human rights',
    synonyms: ['BHR', 'business & human rights'],
  },
  {
    slug: 'national-human-rights-institutions',
    label: 'National human rights institutions (NHRIs)',
    synonyms: [
      'NHRI',
      'NHRIs',
      'national human rights institution',
      // French and Spanish
      'INDH',
      'institution nationale des droits de l’homme',
      'institución nacional de derechos humanos',
    ],
  },
  {
    slug: 'nmirf',
    label: 'National mechanisms for implementation, reporting and follow-up (NMIRFs)',
    synonyms: [
      'NMIRFs',
      'national mechanism for implementation, reporting and follow-up',
      'national mechanisms for implementation, reporting and follow-up',
      'NMRF',
      'national mechanism for reporting and follow-up',
    ],
  },
  {
    slug: 'national-action-plans',
    label: 'National action plans (NAPs)',
    synonyms: [
      'NAP',
      'NAPs',
      'national action plan',
      'human rights action plan',
      // French and Spanish
      'plan d’action national',
      'plan de acción nacional',
    ],
  },
  {
    slug: 'recommendation-tracking',
    label: 'Recommendation tracking',
    synonyms: ['tracking recommendations', 'implementation tracking'],
  },
  { slug: 'death-penalty', label: 'Death penalty', synonyms: ['capital punishment'] },
  {
    slug: 'right-to-adequate-housing',
    label: 'Right to adequate housing',
    synonyms: ['housing rights', 'right to housing'],
  },
];

/** Slug → label of every theme of the vocabulary. */
export const KNOWN_THEMES: Readonly<Record<string, string>> = Object.fromEntries(
  THEMES.map((theme) => [theme.slug, theme.label]),
);

const MAX_THEME_LENGTH = 80;

/** The slug of a theme, or null when nothing usable is left (empty, or too long). */
export function themeSlug(theme: string): string | null {
  const slug = theme
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.length > 0 && slug.length <= MAX_THEME_LENGTH ? slug : null;
}

/** Each name of each theme (its slug, its label, its synonyms), as a slug, to the theme's slug. */
let byName: Map<string, string> | null = null;
function names(): Map<string, string> {
  if (byName) return byName;
  byName = new Map();
  for (const theme of THEMES)
    for (const name of [theme.slug, theme.label, ...theme.synonyms]) {
      const slug = themeSlug(name);
      if (slug) byName.set(slug, theme.slug);
    }
  return byName;
}

/**
 * The theme free text names: a known theme when the text is its slug, its label or one of its
 * synonyms, in any case or spelling that gives the same slug ("NHRI", "nhris", "National human
 * rights institutions (NHRIs)"); otherwise a new theme under the text's slug; null when nothing
 * usable is left.
 */
export function resolveTheme(text: string): string | null {
  const slug = themeSlug(text);
  if (slug === null) return null;
  return names().get(slug) ?? slug;
}

export function themeLabel(slug: string): string {
  return KNOWN_THEMES[slug] ?? slug.replace(/-/g, ' ');
}
