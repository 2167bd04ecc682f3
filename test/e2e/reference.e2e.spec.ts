import { apiForSuite } from './support/scenario';

/** The lists every figure is broken down by, public and dated: what a reader checks a figure against. */
describe('reference data over HTTP', () => {
  const { h } = apiForSuite('sqlite');

  it('lists the 193 Member States with their flags, each LDC graduation dated and sourced, without signing in', async () => {
    const reply = await h.call('GET', '/reference/states');
    expect(reply.status).toBe(200);
    const { edition, regionalGroups, states } = reply.body;
    expect(edition.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(edition.sources.length).toBeGreaterThanOrEqual(4);
    expect(regionalGroups).toHaveLength(5);
    expect(states).toHaveLength(193);
    const byIso3 = new Map(states.map((s: { iso3: string }) => [s.iso3, s]));
    expect(byIso3.get('BTN')).toMatchObject({
      ldc: false,
      ldcChange: { change: 'graduated', on: '2023-12', inForceFrom: '2024-01-01' },
    });
    expect(byIso3.get('VUT')).toMatchObject({
      ldc: false,
      sids: true,
      ldcChange: { change: 'graduated', on: '2020-12-04', inForceFrom: '2020-12-04' },
    });
    expect(byIso3.get('NPL')).toMatchObject({
      ldc: true,
      ldcChange: { change: 'scheduled-graduation', inForceFrom: '2026-11-24' },
    });
    expect(byIso3.get('MWI')).toEqual({
      iso3: 'MWI',
      name: 'Malawi',
      regionalGroup: 'african',
      ldc: true,
      sids: false,
      development: 'developing',
    });
  });

  it('lists the vocabulary of themes, slug and label', async () => {
    const reply = await h.call('GET', '/reference/themes');
    expect(reply.status).toBe(200);
    expect(reply.body.themes).toContainEqual({
      slug: 'torture-prevention',
      label: 'Torture prevention',
    });
  });
});
