import {
  cooperationDirection,
  flagsOn,
  LDC_CHANGES,
  MEMBER_STATES,
  memberState,
  REFERENCE_DATA_EDITION,
  REGIONAL_GROUP_IDS,
  resolveTheme,
  themeLabel,
  themeSlug,
  THEMES,
} from './index';

describe('UN member States', () => {
  it('holds all 193, each once, each in one of the five regional groups', () => {
    expect(MEMBER_STATES).toHaveLength(193);
    expect(new Set(MEMBER_STATES.map((s) => s.iso3)).size).toBe(193);
    const counts = Object.fromEntries(
      REGIONAL_GROUP_IDS.map((g) => [g, MEMBER_STATES.filter((s) => s.regionalGroup === g).length]),
    );
    expect(counts).toEqual({
      african: 54,
      'asia-pacific': 54,
      'eastern-european': 23,
      'latin-american-caribbean': 33,
      'western-european-other': 29,
    });
    for (const state of MEMBER_STATES) expect(state.iso3).toMatch(/^[A-Z]{3}$/);
  });

  it('is dated and names its sources', () => {
    expect(REFERENCE_DATA_EDITION.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(REFERENCE_DATA_EDITION.sources.length).toBeGreaterThanOrEqual(4);
  });

  it('carries the LDC, SIDS and development flags the reports break down by', () => {
    expect(MEMBER_STATES.filter((s) => s.ldc)).toHaveLength(44);
    expect(memberState('hti')).toMatchObject({
      name: 'Haiti',
      regionalGroup: 'latin-american-caribbean',
      ldc: true,
      sids: true,
      development: 'developing',
    });
    expect(memberState('STP')).toMatchObject({ ldc: false, sids: true }); // graduated December 2024
    expect(memberState('NOR')).toMatchObject({ ldc: false, sids: false, development: 'developed' });
    expect(memberState('XXX')).toBeUndefined();
  });
});

describe('flagsOn: the LDC flag in force on a day', () => {
  const on = (iso3: string, day: string) => flagsOn(memberState(iso3)!, day).ldc;

  it('dates every graduation since 1971 and each scheduled one, with a source', () => {
    expect(LDC_CHANGES.filter((c) => c.change === 'graduated').map((c) => c.iso3)).toEqual([
      'BWA',
      'CPV',
      'MDV',
      'WSM',
      'GNQ',
      'VUT',
      'BTN',
      'STP',
    ]);
    for (const change of LDC_CHANGES) {
      expect(change.on).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
      expect(change.source.length).toBeGreaterThan(20);
      // Listed today as the change says: graduated States are no LDC, scheduled ones still are.
      expect(memberState(change.iso3)!.ldc).toBe(change.change === 'scheduled-graduation');
    }
  });

  it('dates each of those States’ inclusion in the category: no LDC before it', () => {
    for (const change of LDC_CHANGES) expect(change.includedIn).toBeGreaterThanOrEqual(1971);
    // Vanuatu was included in 1985: an LDC from 1986 (known to the year), until 4 December 2020.
    expect(on('VUT', '1985-06-01')).toBe(false);
    expect(on('VUT', '1986-01-01')).toBe(true);
    // Bangladesh, included in 1975.
    expect(on('BGD', '1975-12-31')).toBe(false);
    expect(on('BGD', '1990-01-01')).toBe(true);
  });

  it.each([
    ['GNQ', '2017-06-03', true],
    ['GNQ', '2017-06-04', false],
    ['VUT', '2020-12-03', true],
    ['VUT', '2020-12-04', false],
    ['STP', '2024-12-12', true],
    ['STP', '2024-12-13', false],
    // Known to the month (December 2023): in force from the first day of the month after.
    ['BTN', '2020-03-15', true],
    ['BTN', '2023-12-31', true],
    ['BTN', '2024-01-01', false],
    ['BWA', '1994-12-31', true],
    ['BWA', '1995-01-01', false],
    // Scheduled (24 November 2026): an LDC before, not on or after.
    ['BGD', '2026-11-23', true],
    ['BGD', '2026-11-24', false],
    ['NPL', '2025-06-30', true],
    // No change: as listed.
    ['MWI', '1990-01-01', true],
    ['NOR', '2020-01-01', false],
  ])('%s on %s: LDC %s', (iso3, day, ldc) => {
    expect(on(iso3, day)).toBe(ldc);
  });

  it('keeps SIDS as listed', () => {
    expect(flagsOn(memberState('STP')!, '2020-01-01')).toEqual({ ldc: true, sids: true });
    expect(flagsOn(memberState('STP')!, '2025-01-01')).toEqual({ ldc: false, sids: true });
  });
});

describe('cooperationDirection', () => {
  it.each([
    [{ kind: 'state' as const, state: 'NOR' }, 'MWI', 'north-south'],
    [{ kind: 'state' as const, state: 'BRA' }, 'MOZ', 'south-south'],
    [{ kind: 'state' as const, state: 'IND' }, 'GBR', 'south-north'],
    [{ kind: 'state' as const, state: 'DEU' }, 'FRA', 'north-north'],
    [{ kind: 'un-entity' as const }, 'FJI', 'multilateral'],
    [{ kind: 'ngo' as const }, 'FJI', 'civil-society'],
  ])('%j to %s is %s', (provider, recipient, direction) => {
    expect(cooperationDirection(provider, recipient)).toBe(direction);
  });
});

describe('resolveTheme: free text to the vocabulary', () => {
  it.each([
    ['NHRI', 'national-human-rights-institutions'],
    ['nhris', 'national-human-rights-institutions'],
    ['National human rights institutions (NHRIs)', 'national-human-rights-institutions'],
    ['national-human-rights-institutions', 'national-human-rights-institutions'],
    ['NMIRF', 'nmirf'],
    ['NMIRFs', 'nmirf'],
    ['NPM', 'torture-prevention'],
    ['National Preventive Mechanism', 'torture-prevention'],
    ['BHR', 'business-and-human-rights'],
    ['Business & Human Rights', 'business-and-human-rights'],
    ['NAP', 'national-action-plans'],
    ['Torture prevention', 'torture-prevention'],
    // Not in the vocabulary: a new theme under its slug.
    ['Right to water', 'right-to-water'],
  ])('%s is %s', (text, slug) => {
    expect(resolveTheme(text)).toBe(slug);
  });

  it('gives no two themes the same name', () => {
    const seen = new Map<string, string>();
    for (const theme of THEMES)
      for (const name of [theme.slug, theme.label, ...theme.synonyms]) {
        const slug = themeSlug(name)!;
        expect([theme.slug, undefined]).toContain(seen.get(slug));
        seen.set(slug, theme.slug);
      }
  });

  it('leaves nothing usable as nothing', () => expect(resolveTheme('  ')).toBeNull());
});

describe('themes', () => {
  it('accepts new themes and folds spellings of one theme together', () => {
    expect(themeSlug("Women's rights")).toBe('womens-rights');
    expect(themeSlug('  Right to Water & Sanitation ')).toBe('right-to-water-sanitation');
    expect(themeSlug('Droits économiques')).toBe('droits-economiques');
    expect(themeSlug('!!!')).toBeNull();
    expect(themeLabel('womens-rights')).toBe("Women's rights");
    expect(themeLabel('right-to-water-sanitation')).toBe('right to water sanitation');
  });
});
