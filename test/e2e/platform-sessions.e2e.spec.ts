import { recommendation } from './support/api-harness';
import { apiForSuite, availableExpert } from './support/scenario';

/**
 * Two sessions of the voluntary platform, through the API as the people who take part would use it:
 * an officer convenes; Malawi (an LDC), Fiji (a SIDS) and Bangladesh (an LDC at the first session,
 * graduated on 24 November 2026, before today) present and lodge requests; providers of five kinds
 * pledge, one joint offer among them; offers are matched and experts deployed; at the second session
 * Malawi and Bangladesh report back and Zambia presents. Every figure checked below is worked out
 * by hand in the comments beside it.
 */
describe('the voluntary platform over two sessions', () => {
  const { h, t } = apiForSuite();
  let last = 0;
  const ok = async (reply: Promise<{ status: number; body: any }>, status = [200, 201]) => {
    const r = await reply;
    if (!status.includes(r.status)) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    if (typeof r.body?.position === 'number') last = Math.max(last, r.body.position);
    return r.body;
  };
  const at = (day: string) => `${day}T09:00:00.000Z`;
  const focal: Record<string, string> = {};
  const member: Record<string, string> = {};
  const provider: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const lodge = async (state: string, day: string, over: Record<string, unknown>) =>
    (
      await ok(
        h.call('POST', '/cases', {
          token: focal[state],
          body: {
            state,
            themes: ['NMIRF'],
            description: `${state}: a national mechanism for implementation, reporting and follow-up`,
            supportSought: 'Advice on its mandate and a tracking database',
            recommendations: [recommendation],
            occurredAt: at(day),
            ...over,
          },
        }),
      )
    ).caseId as string;
  const screen = async (caseId: string, state: string, region: string, day: string) => {
    await ok(
      h.call('POST', `/cases/${caseId}/consent`, {
        token: focal[state],
        body: { occurredAt: at(day) },
      }),
    );
    await ok(
      h.call('POST', `/cases/${caseId}/screening`, {
        token: member[region],
        body: { decision: 'accepted', occurredAt: at(day) },
      }),
    );
  };
  const pledge = async (
    caseId: string,
    by: string,
    day: string,
    over: Record<string, unknown> = {},
  ) =>
    (
      await ok(
        h.call('POST', `/cases/${caseId}/offers`, {
          token: provider[by],
          body: {
            offered: `Support from ${by}`,
            funding: 'provider',
            occurredAt: at(day),
            ...over,
          },
        }),
      )
    ).offerId as string;
  const match = (caseId: string, offerId: string, state: string, day: string) =>
    ok(
      h.call('POST', `/cases/${caseId}/offers/${offerId}/match`, {
        token: focal[state],
        body: { occurredAt: at(day) },
      }),
    );
  const deploy = async (caseId: string, offerId: string, day: string, expertId: string) =>
    ok(
      h.call('POST', `/cases/${caseId}/deployments`, {
        token: t.officer,
        body: {
          offerId,
          expertId,
          startDate: day,
          endDate: day.replace(/^(\d{4})/, (y) => String(Number(y) + 1)),
          funding: 'provider',
          occurredAt: at(day),
        },
      }),
    );
  const get = async (path: string, token = t.officer) =>
    ok(h.call('GET', `${path}${path.includes('?') ? '&' : '?'}waitForPosition=${last}`, { token }));

  beforeAll(async () => {
    // Today: Bangladesh graduated from the LDC category three days ago.
    h.clock.set('2026-11-27T12:00:00.000Z');
    for (const state of ['MWI', 'FJI', 'BGD', 'ZMB'])
      focal[state] = await h.token({ role: 'state-focal-point', state });
    member.african = await h.token({ role: 'committee-member', region: 'african' });
    member['asia-pacific'] = await h.token({ role: 'committee-member', region: 'asia-pacific' });
    // The registry, as officers keep it: five kinds of provider.
    const registered: [string, string, string, string?][] = [
      ['prov:nor', 'state', 'Norway', 'NOR'],
      ['prov:bra', 'state', 'Brazil', 'BRA'],
      ['prov:undp', 'un-entity', 'UNDP'],
      ['prov:au', 'regional-organisation', 'African Union'],
      ['prov:wb', 'development-partner', 'World Bank'],
      ['nhri:ken', 'nhri', 'Kenya National Commission on Human Rights', 'KEN'],
      ['prov:apt', 'ngo', 'Association for the Prevention of Torture'],
    ];
    for (const [providerId, kind, name, state] of registered) {
      // Norway and the APT were registered as the suite began (support/scenario's tokens).
      await h.registerProvider(t.officer, { providerId, kind, name, state });
      // The token names only its provider: kind, name and State come from the registry.
      provider[providerId] = await h.token({
        role: 'provider',
        provider: providerId,
        provider_kind: 'ngo',
        provider_name: 'claimed',
      });
    }
  });

  it('runs two sessions and answers each one’s figures, the panel of each year and impact as worked out by hand', async () => {
    // ── Session 1, June 2025 ─────────────────────────────────────────────────────────────
    ids.s1 = (
      await ok(
        h.call('POST', '/sessions', {
          token: t.officer,
          body: {
            title: 'Voluntary platform, 1st session: national mechanisms for follow-up',
            themes: ['NMIRF'],
            startDate: '2025-06-16',
            endDate: '2025-06-17',
            venue: { mode: 'hybrid', place: 'Palais des Nations, Geneva' },
            coHosts: [
              { kind: 'state', state: 'FJI' },
              { kind: 'organisation', name: 'Commonwealth Secretariat' },
            ],
            occurredAt: at('2025-03-01'),
          },
        }),
      )
    ).sessionId;
    // Planned: no request may name it yet.
    const early = await h.call('POST', '/cases', {
      token: focal.MWI,
      body: {
        state: 'MWI',
        themes: ['nmirf'],
        description: 'd',
        supportSought: 's',
        recommendations: [recommendation],
        sessionId: ids.s1,
        occurredAt: at('2025-03-02'),
      },
    });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('PLATFORM.SESSION_NOT_TAKING');
    await ok(
      h.call('POST', `/sessions/${ids.s1}/registration`, {
        token: t.officer,
        body: { occurredAt: at('2025-04-01') },
      }),
    );

    ids.c1 = await lodge('MWI', '2025-06-16', { sessionId: ids.s1, sdgTargets: ['16.3', '16.a'] });
    ids.c2 = await lodge('FJI', '2025-06-16', {
      sessionId: ids.s1,
      themes: ['NPM'],
      sdgTargets: ['5.c'],
      recommendations: [],
      notTiedToRecommendation: true,
    });
    ids.c3 = await lodge('BGD', '2025-06-16', { sessionId: ids.s1, sdgTargets: ['16.a', '10.2'] });
    for (const [state, caseId] of [
      ['MWI', ids.c1],
      ['FJI', ids.c2],
      ['BGD', ids.c3],
    ])
      await ok(
        h.call('POST', `/sessions/${ids.s1}/presentations`, {
          token: focal[state],
          body: {
            state,
            kind: 'presentation',
            achievements: `${state}: a mechanism set up`,
            challenges: 'Staff and budget',
            recommendations: [{ reference: recommendation.reference, status: 'in-progress' }],
            caseIds: [caseId],
            occurredAt: at('2025-06-16'),
          },
        }),
      );
    // A focal point presents for its own State only.
    const other = await h.call('POST', `/sessions/${ids.s1}/presentations`, {
      token: focal.MWI,
      body: { state: 'ZMB', kind: 'presentation', achievements: 'x' },
    });
    expect(other.status).toBe(403);
    await ok(
      h.call('POST', `/sessions/${ids.s1}/held`, {
        token: t.officer,
        body: { occurredAt: at('2025-06-17') },
      }),
    );

    await screen(ids.c1, 'MWI', 'african', '2025-06-18');
    await screen(ids.c2, 'FJI', 'asia-pacific', '2025-06-18');
    await screen(ids.c3, 'BGD', 'asia-pacific', '2025-06-18');
    // Pledges at the session: Norway; a joint offer by Brazil, the African Union and Kenya's NHRI; UNDP.
    ids.o1 = await pledge(ids.c1, 'prov:nor', '2025-06-26', { sessionId: ids.s1 });
    ids.o2 = await pledge(ids.c1, 'prov:bra', '2025-06-26', {
      sessionId: ids.s1,
      coProviders: ['prov:au', 'nhri:ken'],
    });
    ids.o3 = await pledge(ids.c2, 'prov:undp', '2025-06-26', { sessionId: ids.s1 });
    // The World Bank's offer to Bangladesh is not a pledge at the session.
    ids.o4 = await pledge(ids.c3, 'prov:wb', '2025-06-26');
    // An officer cannot record an offer by a provider the registry does not know.
    const ghost = await h.call('POST', `/cases/${ids.c1}/offers`, {
      token: t.officer,
      body: {
        offered: 'x',
        funding: 'provider',
        provider: { kind: 'ngo', id: 'prov:ghost', name: 'Ghost' },
      },
    });
    expect([ghost.status, ghost.body.code]).toEqual([422, 'PROVIDER.NOT_REGISTERED']);

    await match(ids.c1, ids.o1, 'MWI', '2025-07-10'); // 24 days after the request; within 90 days of 17 June
    await match(ids.c2, ids.o3, 'FJI', '2025-10-01'); // 107 days after; beyond 15 September
    await match(ids.c3, ids.o4, 'BGD', '2025-08-01'); // 46 days after
    const expert = await availableExpert(h, t);
    await h.call('PATCH', `/experts/${expert}/availability`, {
      token: t.officer,
      body: { periods: [{ from: '2025-01-01', to: '2028-12-31' }] },
    });
    await deploy(ids.c1, ids.o1, '2025-08-01', expert);
    const expert2 = await availableExpert(h, t, 'Dr. Lin Mei');
    await h.call('PATCH', `/experts/${expert2}/availability`, {
      token: t.officer,
      body: { periods: [{ from: '2025-01-01', to: '2028-12-31' }] },
    });
    await deploy(ids.c3, ids.o4, '2025-09-01', expert2);
    await ok(
      h.call('POST', `/sessions/${ids.s1}/outcome`, {
        token: t.officer,
        body: {
          summary: 'Three States presented; three requests lodged; three pledges, one joint.',
          occurredAt: at('2025-07-15'),
        },
      }),
    );
    // Its outcome published, the session takes no more pledges.
    const late = await h.call('POST', `/cases/${ids.c1}/offers`, {
      token: provider['prov:apt'],
      body: { offered: 'late', funding: 'provider', sessionId: ids.s1 },
    });
    expect([late.status, late.body.code]).toEqual([422, 'PLATFORM.SESSION_NOT_TAKING']);
    await ok(
      h.call('POST', `/cases/${ids.c1}/progress-reports`, {
        token: focal.MWI,
        body: {
          progress: [
            {
              reference: recommendation.reference,
              status: 'implemented',
              narrative: 'Decree adopted',
            },
          ],
          occurredAt: at('2026-08-01'),
        },
      }),
    );

    // ── Session 2, October 2026 ──────────────────────────────────────────────────────────
    ids.s2 = (
      await ok(
        h.call('POST', '/sessions', {
          token: t.officer,
          body: {
            title: 'Voluntary platform, 2nd session: reporting back',
            themes: ['nmirf', 'torture prevention'],
            startDate: '2026-10-05',
            endDate: '2026-10-06',
            venue: { mode: 'online' },
            occurredAt: at('2026-03-01'),
          },
        }),
      )
    ).sessionId;
    await ok(
      h.call('POST', `/sessions/${ids.s2}/registration`, {
        token: t.officer,
        body: { occurredAt: at('2026-04-01') },
      }),
    );
    ids.c4 = await lodge('ZMB', '2026-10-05', { sessionId: ids.s2, sdgTargets: ['16.6'] });
    await ok(
      h.call('POST', `/sessions/${ids.s2}/presentations`, {
        token: focal.ZMB,
        body: {
          state: 'ZMB',
          kind: 'presentation',
          challenges: 'No NMIRF yet',
          caseIds: [ids.c4],
          occurredAt: at('2026-10-05'),
        },
      }),
    );
    // Fiji cannot report back: no expert was deployed on its case.
    const nothing = await h.call('POST', `/sessions/${ids.s2}/presentations`, {
      token: focal.FJI,
      body: { state: 'FJI', kind: 'report-back', achievements: 'x', caseIds: [ids.c2] },
    });
    expect([nothing.status, nothing.body.code]).toEqual([422, 'PLATFORM.NOTHING_TO_REPORT_BACK']);
    for (const [state, caseId] of [
      ['MWI', ids.c1],
      ['BGD', ids.c3],
    ])
      await ok(
        h.call('POST', `/sessions/${ids.s2}/presentations`, {
          token: focal[state],
          body: {
            state,
            kind: 'report-back',
            achievements: 'The mechanism now tracks every recommendation',
            recommendations: [{ reference: recommendation.reference, status: 'implemented' }],
            caseIds: [caseId],
            occurredAt: at('2026-10-05'),
          },
        }),
      );
    ids.o5 = await pledge(ids.c2, 'prov:apt', '2026-10-06', { sessionId: ids.s2 });
    await ok(
      h.call('POST', `/sessions/${ids.s2}/held`, {
        token: t.officer,
        body: { occurredAt: at('2026-10-06') },
      }),
    );
    await match(ids.c2, ids.o5, 'FJI', '2026-10-20');
    // Bangladesh graduated from the LDC category on 24 November 2026: its request of today is not an LDC's.
    ids.c5 = await lodge('BGD', '2026-11-25', {});

    // ── Session 1's outcome figures ──────────────────────────────────────────────────────
    const s1 = await get(`/sessions/${ids.s1}`);
    expect(s1).toMatchObject({ status: 'outcome-published', heldAt: at('2025-06-17') });
    expect(s1.presentations.map((p: any) => p.state).sort()).toEqual(['BGD', 'FJI', 'MWI']);
    expect(s1.requestsLodged.map((r: any) => [r.state, r.ldc, r.sids]).sort()).toEqual([
      ['BGD', true, false], // an LDC in June 2025
      ['FJI', false, true],
      ['MWI', true, false],
    ]);
    expect(s1.offersPledged.map((o: any) => o.offerId).sort()).toEqual(
      [ids.o1, ids.o2, ids.o3].sort(),
    );
    expect(s1.outcomeFigures).toEqual({
      requests: {
        total: 3,
        byRegion: {
          african: 1,
          'asia-pacific': 2,
          'eastern-european': 0,
          'latin-american-caribbean': 0,
          'western-european-other': 0,
        },
        ldc: 2, // Malawi, Bangladesh
        sids: 1, // Fiji
        notTiedToRecommendation: 1, // Fiji's
        matchedWithin90Days: 2, // Malawi (10 July), Bangladesh (1 August, not a pledge but its request was lodged there); Fiji's on 1 October is past 15 September
      },
      offers: {
        total: 3,
        joint: 1,
        // Norway→Malawi north-south; Brazil→Malawi south-south, the AU multilateral, Kenya's NHRI a peer; UNDP multilateral.
        byDirection: { 'north-south': 1, 'south-south': 1, multilateral: 2, 'peer-institution': 1 },
        byProviderKind: { state: 2, 'regional-organisation': 1, nhri: 1, 'un-entity': 1 },
        matched: 2, // Norway's and UNDP's
        matchedWithin90Days: 1, // Norway's
      },
      presentations: 3,
      reportBacks: 0,
      statesPresenting: ['BGD', 'FJI', 'MWI'],
    });

    // ── Session 2's ─────────────────────────────────────────────────────────────────────
    const s2 = await get(`/sessions/${ids.s2}`);
    expect(s2.outcomeFigures).toMatchObject({
      requests: { total: 1, ldc: 1, sids: 0, notTiedToRecommendation: 0, matchedWithin90Days: 0 },
      offers: {
        total: 1,
        joint: 0,
        byDirection: { 'civil-society': 1 },
        byProviderKind: { ngo: 1 },
        matched: 1,
        matchedWithin90Days: 1,
      },
      presentations: 1,
      reportBacks: 2,
      statesPresenting: ['BGD', 'MWI', 'ZMB'],
    });

    // ── The panel of 2025 ───────────────────────────────────────────────────────────────
    const p2025 = await get('/panel/2025');
    expect(p2025.totals).toEqual({
      received: 3,
      consented: 3,
      screened: 3,
      matched: 3,
      deployed: 2,
      reportedOn: 0,
      profiled: 0,
    });
    expect(p2025.ldc.received).toBe(2);
    expect(p2025.sids.received).toBe(1);
    // Malawi 16.3 and 16.a → goal 16; Fiji 5.c → 5; Bangladesh 16.a and 10.2 → 10 and 16.
    expect(
      Object.fromEntries(
        Object.entries(p2025.bySdgGoal).map(([g, c]: [string, any]) => [g, c.received]),
      ),
    ).toEqual({ '5': 1, '10': 1, '16': 2 });
    expect(p2025.notTiedToRecommendation).toEqual({ requests: 1, share: 0.333 });
    // Matched in 2025: Norway's (north-south), UNDP's and the World Bank's (multilateral).
    expect(p2025.byDirection).toEqual({ 'north-south': 1, multilateral: 2 });
    expect(p2025.platform).toEqual({
      sessionsHeld: 1,
      statesPresenting: ['BGD', 'FJI', 'MWI'],
      presentations: 3,
      reportBacks: 0,
    });

    // ── The panel of 2026 ───────────────────────────────────────────────────────────────
    const p2026 = await get('/panel/2026');
    // Received: Zambia's (October) and Bangladesh's (November); Malawi's report of August.
    expect(p2026.totals).toEqual({
      received: 2,
      consented: 0,
      screened: 0,
      matched: 0,
      deployed: 0,
      reportedOn: 1,
      profiled: 0,
    });
    expect(p2026.ldc.received).toBe(1); // Zambia; Bangladesh had graduated the day before its request
    expect(p2026.byDirection).toEqual({ 'civil-society': 1 });
    expect(p2026.notTiedToRecommendation).toEqual({ requests: 0, share: 0 });
    expect(p2026.platform).toEqual({
      sessionsHeld: 1,
      statesPresenting: ['BGD', 'MWI', 'ZMB'],
      presentations: 1,
      reportBacks: 2,
    });

    // ── Filtered by session ─────────────────────────────────────────────────────────────
    const p2026s2 = await get(`/panel/2026?session=${ids.s2}`);
    // Session 2 touched Zambia's request (lodged) and Fiji's (the APT's pledge).
    expect(p2026s2.totals.received).toBe(1);
    expect(p2026s2.byDirection).toEqual({ 'civil-society': 1 });
    expect(p2026s2.platform.sessionsHeld).toBe(1);
    const p2026s1 = await get(`/panel/2026?session=${ids.s1}`);
    expect(p2026s1.platform.sessionsHeld).toBe(0);
    expect(p2026s1.totals.reportedOn).toBe(1); // Malawi's report, its request lodged at session 1

    // ── Impact of session 1's requests ──────────────────────────────────────────────────
    const impact = await get(`/impact?session=${ids.s1}&year=2025`);
    expect(impact.cases).toBe(3);
    expect(impact.shareWithOffer).toBe(1);
    expect(impact.shareMatched).toBe(1);
    // Days from request to match: 24, 107, 46 → median 46.
    expect(impact.daysFromRequestTo.match).toMatchObject({ cases: 3, medianDays: 46 });

    // ── The matchmaking board of session 1: Malawi's case, for the joint offer still open ──
    const board = await get(`/matchmaking?session=${ids.s1}`);
    expect(Object.values(board).flat()).toEqual([
      expect.objectContaining({
        caseId: ids.c1,
        offers: [
          expect.objectContaining({
            offerId: ids.o2,
            provider: 'Brazil & African Union & Kenya National Commission on Human Rights',
          }),
        ],
      }),
    ]);
    // Kenya's NHRI, a co-provider, sees the joint offer as its own; Norway sees it as a count.
    const asNhri = await get(`/matchmaking?session=${ids.s1}`, provider['nhri:ken']);
    expect(Object.values(asNhri).flat()).toEqual([
      expect.objectContaining({
        offers: [expect.objectContaining({ offerId: ids.o2 })],
        otherOpenOffers: 0,
      }),
    ]);
    const asNorway = await get(`/matchmaking?session=${ids.s1}`, provider['prov:nor']);
    expect(Object.values(asNorway).flat()).toEqual([
      expect.objectContaining({ offers: [], otherOpenOffers: 1 }),
    ]);

    // The registry recorded each offer as registered, whatever the token claimed.
    const c1 = await ok(h.call('GET', `/cases/${ids.c1}`, { token: t.officer }));
    const joint = c1.offers.find((o: any) => o.offerId === ids.o2);
    expect(joint.provider).toEqual({ id: 'prov:bra', name: 'Brazil', kind: 'state' });
    expect(joint.coProviders).toEqual([
      {
        id: 'prov:au',
        name: 'African Union',
        kind: 'regional-organisation',
        direction: 'multilateral',
      },
      {
        id: 'nhri:ken',
        name: 'Kenya National Commission on Human Rights',
        kind: 'nhri',
        direction: 'peer-institution',
      },
    ]);
  });
});

describe('a new theme, proposed by a State and accepted by an officer', () => {
  const { h, t } = apiForSuite();
  const request = (themes: string[]) =>
    h.call('POST', '/cases', {
      token: t.focalMalawi,
      body: {
        state: 'MWI',
        themes,
        description: 'Climate displacement and rights',
        supportSought: 'A study of the law',
        recommendations: [recommendation],
        occurredAt: '2026-01-10T00:00:00.000Z',
      },
    });

  it('is refused in requests until accepted, then found by any of its names', async () => {
    const unknown = await request(['Climate and human rights']);
    expect([unknown.status, unknown.body.code]).toEqual([400, 'THEME.UNKNOWN']);

    const proposed = await h.call('POST', '/themes/proposals', {
      token: t.focalMalawi,
      body: { label: 'Climate justice', synonyms: ['Climate and human rights'] },
    });
    expect([proposed.status, proposed.body.slug]).toEqual([201, 'climate-justice']);
    const again = await h.call('POST', '/themes/proposals', {
      token: t.focalZambia,
      body: { label: 'NHRI' },
    });
    expect([again.status, again.body.code]).toEqual([409, 'THEME.KNOWN']);
    // Proposed is not accepted: requests still cannot use it, and only an officer decides.
    expect((await request(['climate justice'])).body.code).toBe('THEME.UNKNOWN');
    const byFocal = await h.call('POST', '/themes/proposals/climate-justice/acceptance', {
      token: t.focalMalawi,
      body: {},
    });
    expect(byFocal.status).toBe(403);
    const accepted = await h.call('POST', '/themes/proposals/climate-justice/acceptance', {
      token: t.officer,
      body: {},
    });
    expect(accepted.status).toBe(200);

    const made = await request(['CLIMATE AND HUMAN RIGHTS', 'NPM']);
    expect(made.status).toBe(201);
    const reference = await h.call('GET', '/reference/themes');
    expect(reference.body.themes).toContainEqual({
      slug: 'climate-justice',
      label: 'Climate justice',
      synonyms: ['Climate and human rights'],
      origin: 'accepted',
    });
    const found = await h.call(
      'GET',
      `/cases?theme=Climate%20Justice&waitForPosition=${made.body.position}`,
      { token: t.officer },
    );
    expect(found.body.items.map((c: { caseId: string }) => c.caseId)).toEqual([made.body.caseId]);
    const c = await h.call('GET', `/cases/${made.body.caseId}`, { token: t.officer });
    expect(c.body.request.themes).toEqual(['climate-justice', 'torture-prevention']);
  });
});
