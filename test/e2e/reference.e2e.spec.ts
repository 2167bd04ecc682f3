import { requestBody } from './support/api-harness';
import { apiForSuite } from './support/scenario';

/** The lists every figure is broken down by, public and dated: what a reader checks a figure against. */
describe('reference data over HTTP', () => {
  const { h, t } = apiForSuite('sqlite');

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
      ldcChange: {
        change: 'graduated',
        on: '2020-12-04',
        inForceFrom: '2020-12-04',
        includedIn: 1985,
      },
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

  it('lists the vocabulary of themes, slug, label and synonyms', async () => {
    const reply = await h.call('GET', '/reference/themes');
    expect(reply.status).toBe(200);
    expect(reply.body.themes).toContainEqual({
      slug: 'national-human-rights-institutions',
      label: 'National human rights institutions (NHRIs)',
      synonyms: [
        'NHRI',
        'NHRIs',
        'national human rights institution',
        'INDH',
        'institution nationale des droits de l’homme',
        'institución nacional de derechos humanos',
      ],
      origin: 'reference',
    });
  });

  it('files a request under the theme its free text names, and finds it by any name of the theme', async () => {
    const made = await h.call('POST', '/cases', {
      token: t.focalMalawi,
      body: requestBody('MWI', { themes: ['NHRI', 'National human rights institutions (NHRIs)'] }),
    });
    expect(made.status).toBe(201);
    const { caseId, position } = made.body;
    for (const name of [
      'nhri',
      'NHRIs',
      'National Human Rights Institutions',
      'national-human-rights-institutions',
    ]) {
      const found = await h.call(
        'GET',
        `/cases?theme=${encodeURIComponent(name)}&waitForPosition=${position}`,
        { token: t.officer },
      );
      expect(found.status).toBe(200);
      expect(found.body.items.map((c: { caseId: string }) => c.caseId)).toContain(caseId);
      expect(found.body.items.find((c: { caseId: string }) => c.caseId === caseId).themes).toEqual([
        'national-human-rights-institutions',
      ]);
    }
    const other = await h.call('GET', `/cases?theme=NPM&waitForPosition=${position}`, {
      token: t.officer,
    });
    expect(other.body.items.map((c: { caseId: string }) => c.caseId)).not.toContain(caseId);
  });
});
