import { verifyLog } from '@keystone/audit';
import { ApiHarness, EVERY_STORE, recommendation, requestBody } from './support/api-harness';
import { availableExpert, tokens, type Tokens } from './support/scenario';

describe.each(EVERY_STORE)('one case from request to closure, over HTTP [%s]', (store) => {
  const h = new ApiHarness(store);
  let t: Tokens;
  beforeAll(async () => {
    await h.start();
    t = await tokens(h);
  });
  afterAll(() => h.stop());

  it('takes every step with the token of the role that does it, and reads back what happened', async () => {
    const created = await h.call('POST', '/cases', { token: t.focalMalawi, body: requestBody() });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const { caseId } = created.body;

    const step = async (
      method: string,
      path: string,
      token: string,
      body: unknown,
      status = 200,
    ) => {
      const reply = await h.call(method, path, { token, body });
      expect({ path, status: reply.status, body: reply.body }).toMatchObject({ path, status });
      return reply.body;
    };
    await step('POST', `/cases/${caseId}/consent`, t.focalMalawi, {
      occurredAt: '2026-02-01T00:00:00.000Z',
    });
    await step('POST', `/cases/${caseId}/screening`, t.memberAfrica, {
      decision: 'accepted',
      occurredAt: '2026-02-15T00:00:00.000Z',
    });
    await step(
      'POST',
      '/trust-fund/contributions',
      t.officer,
      { donor: 'Norway', amount: 50_000 },
      201,
    );
    const { offerId } = await step(
      'POST',
      `/cases/${caseId}/offers`,
      t.providerNorway,
      {
        offered: 'Two NPM experts for six months',
        funding: 'trust-fund',
        occurredAt: '2026-02-20T00:00:00.000Z',
      },
      201,
    );
    await step('POST', `/cases/${caseId}/offers/${offerId}/match`, t.focalMalawi, {
      occurredAt: '2026-02-25T00:00:00.000Z',
    });
    const expertId = await availableExpert(h, t);
    const { deploymentId } = await step(
      'POST',
      `/cases/${caseId}/deployments`,
      t.officer,
      {
        offerId,
        expertId,
        startDate: '2026-03-01',
        endDate: '2026-08-31',
        funding: 'trust-fund',
        amount: 30_000,
        occurredAt: '2026-03-01T00:00:00.000Z',
      },
      201,
    );
    await step(
      'POST',
      `/cases/${caseId}/progress-reports`,
      t.focalMalawi,
      {
        progress: [
          {
            reference: recommendation.reference,
            status: 'implemented',
            narrative: 'NPM law adopted; first visits made',
          },
        ],
      },
      201,
    );
    await step(
      'POST',
      `/cases/${caseId}/success-profiles`,
      t.officer,
      { panelYear: 2026, summary: 'Malawi set up its NPM in a year' },
      201,
    );
    await step('POST', `/cases/${caseId}/closure`, t.officer, { reason: 'Support completed' });

    const events = await h.call('GET', `/cases/${caseId}/events`, { token: t.auditor });
    expect(events.body.map((e: { type: string }) => e.type)).toEqual([
      'AssistanceRequested',
      'ConsentConfirmed',
      'RequestScreened',
      'OfferMade',
      'OfferMatched',
      'ExpertDeployed',
      'ProgressReported',
      'SuccessProfiled',
      'CaseClosed',
    ]);
    expect(events.body[0]).toMatchObject({
      streamVersion: 1,
      data: { state: 'MWI', region: 'african', ldc: true, themes: ['torture-prevention'] },
      metadata: { role: 'state-focal-point', occurredAt: '2026-01-10T00:00:00.000Z' },
    });
    expect(events.body[1].metadata).toMatchObject({
      actor: 'state-focal-point:MWI',
      occurredAt: '2026-02-01T00:00:00.000Z',
      recordedAt: '2026-06-01T12:00:00.000Z',
    });
    expect(events.body[3].data).toMatchObject({
      offerId,
      direction: 'north-south',
      provider: { id: 'prov:nor', kind: 'state', state: 'NOR' },
    });
    expect(events.body[5].data).toMatchObject({
      deploymentId,
      expertId,
      amount: 30_000,
      reportDueAt: '2027-03-01T00:00:00.000Z',
    });

    const read = await h.call('GET', `/cases/${caseId}`, { token: t.focalMalawi });
    expect(read.headers.get('etag')).toBe('"9"');
    expect(read.body).toMatchObject({
      caseId,
      version: 9,
      stage: 'closed',
      case: {
        consent: 'given',
        screening: 'accepted',
        progressReports: 1,
        profiledYears: [2026],
        closed: true,
      },
    });

    const fund = await h.call('GET', '/trust-fund', { token: t.auditor });
    expect(fund.body).toMatchObject({ received: 50_000, committed: 30_000, available: 20_000 });
    const expert = await h.call('GET', `/experts/${expertId}`, { token: t.officer });
    expect(expert.body.bookings).toEqual([
      { deploymentId, from: '2026-03-01T00:00:00.000Z', to: '2026-08-31T00:00:00.000Z' },
    ]);

    // The follow-up reactor (in this process, on the test Redis) told the African member of the request.
    let inbox: any;
    for (let i = 0; i < 200; i++) {
      inbox = (await h.call('GET', '/notifications', { token: t.memberAfrica })).body;
      if (inbox.notifications.some((n: any) => n.caseId === caseId)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(inbox.recipient).toBe('committee-member:african');
    expect(inbox.notifications).toEqual(
      expect.arrayContaining([expect.objectContaining({ caseId, kind: 'committee-new-request' })]),
    );
    expect((await h.call('GET', '/notifications', { token: t.auditor })).status).toBe(403);

    const log = await h.openLog();
    expect((await verifyLog(log)).findings).toEqual([]);
    await log.close();
  });
});
