import {
  cooperationDirection,
  MEMBER_STATES,
  memberState,
  REFERENCE_DATA_EDITION,
  REGIONAL_GROUP_IDS,
  themeLabel,
  themeSlug,
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
