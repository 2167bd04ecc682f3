import { ApiHarness, recommendation, requestBody } from './support/api-harness';
import { availableExpert, tokens, type Tokens } from './support/scenario';

/**
 * A scripted set of cases, each step at its own business date and recorded an hour later, then the
 * read models checked against figures worked out by hand (the comments show the working).
 */
describe('read models over a scripted year', () => {
  const h = new ApiHarness();
  let t: Tokens;
  const ids: Record<string, string> = {};
  const recordedAt: Record<string, string> = {};

  const at = (day: string) => `${day}T00:00:00.000Z`;
  const recorded = (day: string) => `${day}T01:00:00.000Z`;

  async function step(
    label: string,
    day: string,
    run: () => Promise<{ status: number; body: any }>,
  ): Promise<any> {
    h.clock.set(recorded(day));
    const reply = await run();
    if (reply.status >= 300)
      throw new Error(`${label}: ${reply.status} ${JSON.stringify(reply.body)}`);
    recordedAt[label] = recorded(day);
    return reply.body;
  }
  const request = (label: string, state: string, day: string, token: string) =>
    step(label, day, () =>
      h.call('POST', '/cases', { token, body: requestBody(state, { occurredAt: at(day) }) }),
    ).then((b) => (ids[label] = b.caseId));
  const consent = (label: string, day: string, recordedDay = day) =>
    step(`${label}:consent`, recordedDay, () =>
      h.call('POST', `/cases/${ids[label]}/consent`, {
        token: t.officer,
        body: { occurredAt: at(day) },
      }),
    );
  const screen = (label: string, day: string, decision: string, region = t.memberAfrica) =>
    step(`${label}:screen`, day, () =>
      h.call('POST', `/cases/${ids[label]}/screening`, {
        token: region,
        body: { decision, reasons: ['Please add the draft law'], occurredAt: at(day) },
      }),
    );
  const offer = (label: string, day: string, token: string) =>
    step(`${label}:offer`, day, () =>
      h.call('POST', `/cases/${ids[label]}/offers`, {
        token,
        body: { offered: 'Two experts for three months', funding: 'provider', occurredAt: at(day) },
      }),
    ).then((b) => (ids[`${label}:offer`] = b.offerId));

  beforeAll(async () => {
    await h.start();
    t = await tokens(h);
    // G (2025): consent given on 5 June 2025 but recorded only on 20 June 2025.
    await request('G', 'GHA', '2025-06-01', t.officer);
    await consent('G', '2025-06-05', '2025-06-20');
    // 2026
    await request('F', 'SEN', '2026-01-05', t.officer);
    await consent('F', '2026-01-06');
    await request('A', 'MWI', '2026-01-10', t.focalMalawi);
    await screen('F', '2026-01-15', 'accepted');
    await consent('A', '2026-01-20');
    await offer('F', '2026-01-25', t.providerNgo);
    await screen('A', '2026-02-01', 'accepted');
    await request('D', 'ZMB', '2026-02-01', t.officer);
    await consent('D', '2026-02-02');
    await offer('A', '2026-02-10', t.providerNorway);
    await screen('D', '2026-02-15', 'more-information');
    await step('A:match', '2026-02-20', () =>
      h.call('POST', `/cases/${ids.A}/offers/${ids['A:offer']}/match`, {
        token: t.focalMalawi,
        body: { occurredAt: at('2026-02-20') },
      }),
    );
    const expertId = await availableExpert(h, t);
    await step('A:deploy', '2026-03-01', () =>
      h.call('POST', `/cases/${ids.A}/deployments`, {
        token: t.officer,
        body: {
          offerId: ids['A:offer'],
          expertId,
          startDate: '2026-03-01',
          endDate: '2026-05-31',
          funding: 'provider',
          occurredAt: at('2026-03-01'),
        },
      }),
    );
    await request('B', 'FJI', '2026-03-01', t.officer);
    await consent('B', '2026-03-05');
    await offer('B', '2026-03-10', t.providerNgo);
    await request('C', 'HTI', '2026-04-01', t.officer);
    await request('E', 'KEN', '2026-05-01', t.officer);
    await consent('E', '2026-05-03');
    const report = (day: string, status: string) =>
      step(`A:report:${day}`, day, () =>
        h.call('POST', `/cases/${ids.A}/progress-reports`, {
          token: t.focalMalawi,
          body: {
            progress: [{ reference: recommendation.reference, status, narrative: 'n' }],
            occurredAt: at(day),
          },
        }),
      );
    await report('2026-09-01', 'in-progress');
    await report('2026-09-15', 'implemented');
    await step('A:profile', '2026-09-20', () =>
      h.call('POST', `/cases/${ids.A}/success-profiles`, {
        token: t.officer,
        body: { panelYear: 2026, summary: 'Malawi set up its NPM', occurredAt: at('2026-09-20') },
      }),
    );
    h.clock.set('2026-10-01T00:00:00.000Z');
  });
  afterAll(() => h.stop());

  /** Reads after everything written so far (read-your-writes), as the role given. */
  const get = async (path: string, token = t.auditor) => {
    const position = (await h.call('GET', '/health/details', { token: t.admin })).body.eventStore
      .lastPosition;
    const reply = await h.call(
      'GET',
      `${path}${path.includes('?') ? '&' : '?'}waitForPosition=${position}`,
      { token },
    );
    expect({ path, status: reply.status }).toEqual({ path, status: 200 });
    return reply.body;
  };

  it('gives the 2026 panel: the funnel, its breakdowns and the success story', async () => {
    const panel = await get('/panel/2026');
    // received A B C D E F; consented A B D E F; screened A D F; matched, deployed, reported on, profiled: A
    expect(panel.totals).toEqual({
      received: 6,
      consented: 5,
      screened: 3,
      matched: 1,
      deployed: 1,
      reportedOn: 1,
      profiled: 1,
    });
    expect(panel.byRegion.african).toEqual({
      received: 4,
      consented: 4,
      screened: 3,
      matched: 1,
      deployed: 1,
      reportedOn: 1,
      profiled: 1,
    }); // A D E F
    expect(panel.byRegion['asia-pacific']).toEqual({
      received: 1,
      consented: 1,
      screened: 0,
      matched: 0,
      deployed: 0,
      reportedOn: 0,
      profiled: 0,
    }); // B
    expect(panel.byRegion['latin-american-caribbean']).toMatchObject({ received: 1, consented: 0 }); // C
    expect(panel.ldc).toEqual({
      received: 4,
      consented: 3,
      screened: 3,
      matched: 1,
      deployed: 1,
      reportedOn: 1,
      profiled: 1,
    }); // MWI HTI ZMB SEN
    expect(panel.sids).toEqual({
      received: 2,
      consented: 1,
      screened: 0,
      matched: 0,
      deployed: 0,
      reportedOn: 0,
      profiled: 0,
    }); // FJI HTI
    expect(panel.byTheme['torture-prevention'].received).toBe(6);
    expect(panel.byDirection).toEqual({ 'north-south': 1 }); // Norway → Malawi
    expect(panel.successStories).toEqual([
      expect.objectContaining({
        caseId: ids.A,
        state: 'MWI',
        stateName: 'Malawi',
        providers: ['Norway'],
        summary: 'Malawi set up its NPM',
        progress: [{ reference: recommendation.reference, status: 'implemented' }],
      }),
    ]);
    const csv = await h.call('GET', '/panel/2026?format=csv', { token: t.officer });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.body.split('\n')[0]).toBe(
      'breakdown,group,received,consented,screened,matched,deployed,reportedOn,profiled,offers_matched',
    );
    expect(csv.body).toContain('total,all,6,5,3,1,1,1,1');
    expect(csv.body).toContain('direction,north-south,,,,,,,,1');
  });

  it("lists the African committee's queue, oldest first, with the days each has waited", async () => {
    const { requests } = await get('/screening-queue', t.memberAfrica);
    // G (Ghana) waits since its consent took effect on 5 June 2025; D since its consent on 2 Feb
    // (asked for more information since); E since 3 May; now is 1 Oct 2026.
    expect(requests.map((r: any) => [r.caseId, r.stage, r.waitingDays])).toEqual([
      [ids.G, 'awaiting-screening', 483],
      [ids.D, 'more-information', 241],
      [ids.E, 'awaiting-screening', 151],
    ]);
    const other = await h.call('GET', '/screening-queue?region=asia-pacific', {
      token: t.memberAfrica,
    });
    expect(other.status).toBe(403);
  });

  it("gives an officer every region's queue at once, or one region's when asked", async () => {
    const all = await get('/screening-queue', t.officer);
    expect(all.region).toBeNull();
    const african = all.requests
      .filter((r: any) => r.region === 'african')
      .map((r: any) => r.caseId);
    expect(african).toEqual([ids.G, ids.D, ids.E]);
    expect(new Set(all.requests.map((r: any) => r.region)).size).toBeGreaterThanOrEqual(1);
    const one = await get('/screening-queue?region=african', t.officer);
    expect(one.requests.map((r: any) => r.caseId)).toEqual([ids.G, ids.D, ids.E]);
  });

  it('shows the matchmaking board: open requests beside their open offers, with the direction', async () => {
    const board = await get('/matchmaking', t.officer);
    // Only F is consented, accepted and taking offers; B is not screened yet, A is matched and has
    // no other offer open.
    expect(board).toEqual({
      'torture-prevention': [
        {
          caseId: ids.F,
          state: 'SEN',
          stateName: 'Senegal',
          stage: 'open-for-offers',
          offers: [
            {
              offerId: ids['F:offer'],
              provider: 'Association for the Prevention of Torture',
              direction: 'civil-society',
              funding: 'provider',
            },
          ],
        },
      ],
    });
  });

  it('measures impact for 2026', async () => {
    const impact = await get('/impact?year=2026');
    expect(impact.cases).toBe(6);
    // request→consent: F 1, D 1, E 2, B 4, A 10 → median 2, p90 10
    expect(impact.daysFromRequestTo.consent).toEqual({ cases: 5, medianDays: 2, p90Days: 10 });
    // request→first offer: B 9, F 20, A 31
    expect(impact.daysFromRequestTo.firstOffer).toEqual({ cases: 3, medianDays: 20, p90Days: 31 });
    expect(impact.daysFromRequestTo.match).toEqual({ cases: 1, medianDays: 41, p90Days: 41 });
    expect(impact.daysFromRequestTo.firstDeployment).toEqual({
      cases: 1,
      medianDays: 50,
      p90Days: 50,
    });
    expect(impact.daysFromRequestTo.firstReport).toEqual({
      cases: 1,
      medianDays: 234,
      p90Days: 234,
    });
    expect(impact.shareWithOffer).toBe(0.5); // A B F of 6
    expect(impact.shareMatched).toBe(0.167); // A of 6
    expect(impact.reports).toEqual({ onTime: 1, overdue: 0 }); // due 1 March 2027, in on 1 September 2026
    expect(impact.recommendationMoves).toEqual({ 'in-progress→implemented': 1 });
  });

  it('lists cases with filters, scoped to the caller', async () => {
    const african = await get('/cases?region=african&limit=10', t.officer);
    expect(african.total).toBe(5); // A D E F, and G of 2025
    expect(
      (await get('/cases?stage=awaiting-consent', t.officer)).items.map((c: any) => c.caseId),
    ).toEqual([ids.C]);
    expect((await get('/cases?text=ZMB', t.officer)).total).toBe(0);
    expect((await get('/cases?text=zambia', t.officer)).items.map((c: any) => c.caseId)).toEqual([
      ids.D,
    ]);
    const mine = await get('/cases', t.focalMalawi);
    expect(mine.items.map((c: any) => c.caseId)).toEqual([ids.A]);
    const memberView = await get('/cases?region=asia-pacific', t.memberAfrica);
    expect(memberView.items.every((c: any) => c.region === 'african')).toBe(true);
  });

  it('reads a case as of a moment between two of its events, by recorded and by business time', async () => {
    const between = '2026-01-25T12:00:00.000Z'; // after A's consent was recorded (20 Jan), before its screening (1 Feb)
    const then = await h.call('GET', `/cases/${ids.A}?asOf=${between}`, { token: t.auditor });
    expect(then.body).toMatchObject({ version: 2, stage: 'awaiting-screening', asOf: between });
    expect(then.headers.get('etag')).toBe('"2"');
    const before = await h.call('GET', `/cases/${ids.A}?asOf=2026-01-09T00:00:00.000Z`, {
      token: t.auditor,
    });
    expect(before.status).toBe(404); // it did not exist yet

    // G's consent took effect on 5 June 2025 but was recorded on 20 June.
    const recordedView = await h.call('GET', `/cases/${ids.G}?asOf=2025-06-10T00:00:00.000Z`, {
      token: t.auditor,
    });
    const effectiveView = await h.call(
      'GET',
      `/cases/${ids.G}?asOfEffective=2025-06-10T00:00:00.000Z`,
      { token: t.auditor },
    );
    expect(recordedView.body.stage).toBe('awaiting-consent');
    expect(effectiveView.body.stage).toBe('awaiting-screening');
  });

  it('gives the panel as it read on a past date', async () => {
    // Recorded by 25 February: A (to its match), D (to more information), F (to its open offer).
    const panel = await get('/panel/2026?asOf=2026-02-25T00:00:00.000Z');
    expect(panel.totals).toEqual({
      received: 3,
      consented: 3,
      screened: 3,
      matched: 1,
      deployed: 0,
      reportedOn: 0,
      profiled: 0,
    });
    const impact = await get('/impact?year=2026&asOf=2026-02-25T00:00:00.000Z');
    expect(impact.cases).toBe(3);
  });

  it('gives the panel, impact and the report as the world stood on a day (business time)', async () => {
    // Every step here is recorded an hour after it took effect: by midday of a day, what had taken
    // effect and what was recorded are the same set.
    const day = '2026-02-24T12:00:00.000Z';
    const effective = await get(`/panel/2026?asOfEffective=${day}`);
    const recorded = await get(`/panel/2026?asOf=${day}`);
    expect(effective.totals).toEqual(recorded.totals);
    expect(effective.asOfEffective).toBe(day);
    expect((await get(`/impact?year=2026&asOfEffective=${day}`)).cases).toBe(
      (await get(`/impact?year=2026&asOf=${day}`)).cases,
    );
    const before = await get('/panel/2026?asOfEffective=2025-12-31T00:00:00.000Z');
    expect(before.totals.received).toBe(0);
    const report = await h.call(
      'GET',
      `/panel/2026/report?asOfEffective=${day}&waitForPosition=1`,
      { token: t.auditor },
    );
    expect(report.status).toBe(200);
    expect(report.body).toContain(`<dt>Taken effect by</dt><dd>${day} (business time)</dd>`);
  });
});
