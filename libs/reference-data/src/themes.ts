/**
 * Themes of assistance: a starting vocabulary, open to new themes. A theme is kept as a slug
 * (lower-case words joined by hyphens), so "Women's rights" and "womens-rights" are one theme.
 */
export const KNOWN_THEMES: Readonly<Record<string, string>> = {
  'womens-rights': "Women's rights",
  'rights-of-the-child': 'Rights of the child',
  'gender-mainstreaming': 'Gender mainstreaming',
  'torture-prevention': 'Torture prevention',
  'detention-and-prison-reform': 'Detention and prison reform',
  'business-and-human-rights': 'Business and human rights',
  'national-human-rights-institutions': 'National human rights institutions (NHRIs)',
  nmirf: 'National mechanisms for implementation, reporting and follow-up (NMIRFs)',
  'recommendation-tracking': 'Recommendation tracking',
  'death-penalty': 'Death penalty',
  'right-to-adequate-housing': 'Right to adequate housing',
};

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

export function themeLabel(slug: string): string {
  return KNOWN_THEMES[slug] ?? slug.replace(/-/g, ' ');
}
