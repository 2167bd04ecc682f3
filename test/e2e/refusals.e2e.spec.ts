import { ApiHarness, EVERY_STORE, recommendation } from './support/api-harness';
import { availableExpert, caseAt, tokens, type Tokens } from './support/scenario';

/** Each refusal answers a stable code and a reason, and leaves the log as it was. */
describe.each(EVERY_STORE)('refusals, end to end [%s]', (store) => {
  const h = new ApiHarness(store);
  let t: Tokens;
  beforeAll(async () => {
    await h.start();
    t = await tokens(h);
  });
  afterAll(() => h.stop());

  async function refused(
    method: string,
    path: string,
    token: string,
    body: unknown,
    status: number,
    code: string,
    headers?: Record<string, string>,
  ) {
    const log = await h.openLog();
    const before = await log.lastPosition();
    const reply = await h.call(method, path, { token, body, headers });
    const after = await log.lastPosition();
    await log.close();
    expect({ status: reply.status, code: reply.body.code }).toEqual({ status, code });
    expect(reply.body.message.length).toBeGreaterThan(20);
    expect(after).toBe(before);
    return reply;
  }

  it('matching without consent', async () => {
    const { caseId } = await caseAt(h, t, 'requested');
    const { body } = await h.call('POST', `/cases/${caseId}/offers`, {
      token: t.providerNorway,
      body: { offered: 'Advice', funding: 'provider' },
    });
    await refused(
      'POST',
      `/cases/${caseId}/offers/${body.offerId}/match`,
      t.focalMalawi,
      {},
      422,
      'CASE.CONSENT_REQUIRED',
    );
  });

  it('matching while consent is withdrawn (the case is suspended)', async () => {
    const { caseId, offerId } = await caseAt(h, t, 'offered');
    await h.call('POST', `/cases/${caseId}/consent/withdrawal`, {
      token: t.focalMalawi,
      body: { reason: 'Elections' },
    });
    await refused(
      'POST',
      `/cases/${caseId}/offers/${offerId}/match`,
      t.officer,
      {},
      422,
      'CASE.CONSENT_REQUIRED',
    );
  });

  it('deploying an expert who is not available on those dates', async () => {
    const { caseId, offerId } = await caseAt(h, t, 'matched');
    const expertId = await availableExpert(h, t);
    const body = {
      offerId,
      expertId,
      startDate: '2028-01-01',
      endDate: '2028-02-01',
      funding: 'provider',
    };
    const reply = await refused(
      'POST',
      `/cases/${caseId}/deployments`,
      t.officer,
      body,
      422,
      'ROSTER.EXPERT_UNAVAILABLE',
    );
    expect(reply.body.message).toMatch(/not available from 2028-01-01/);
  });

  it('deploying an expert already deployed on overlapping dates', async () => {
    const first = await caseAt(h, t, 'deployed');
    const second = await caseAt(h, t, 'matched');
    const body = {
      offerId: second.offerId,
      expertId: first.expertId,
      startDate: '2026-07-01',
      endDate: '2026-07-31',
      funding: 'provider',
    };
    await refused(
      'POST',
      `/cases/${second.caseId}/deployments`,
      t.officer,
      body,
      422,
      'ROSTER.EXPERT_UNAVAILABLE',
    );
  });

  it('committing more than the trust fund holds, and two deployments racing for the last money', async () => {
    const fund = (await h.call('GET', '/trust-fund', { token: t.officer })).body;
    expect(fund.available).toBe(0);
    await h.call('POST', '/trust-fund/contributions', {
      token: t.officer,
      body: { donor: 'Switzerland', amount: 10_000 },
    });
    const [a, b] = [await caseAt(h, t, 'matched'), await caseAt(h, t, 'matched')];
    const [expertA, expertB] = [
      await availableExpert(h, t, 'Expert A'),
      await availableExpert(h, t, 'Expert B'),
    ];
    const deploy = (at: typeof a, expertId: string, amount: number) =>
      h.call('POST', `/cases/${at.caseId}/deployments`, {
        token: t.officer,
        body: {
          offerId: at.offerId,
          expertId,
          startDate: '2026-06-15',
          endDate: '2026-07-15',
          funding: 'trust-fund',
          amount,
        },
      });
    await refused(
      'POST',
      `/cases/${a.caseId}/deployments`,
      t.officer,
      {
        offerId: a.offerId,
        expertId: expertA,
        startDate: '2026-06-15',
        endDate: '2026-07-15',
        funding: 'trust-fund',
        amount: 10_001,
      },
      422,
      'FUND.INSUFFICIENT',
    );

    const replies = await Promise.all([deploy(a, expertA, 8_000), deploy(b, expertB, 8_000)]);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(replies.find((r) => r.status === 422)!.body.code).toBe('FUND.INSUFFICIENT');
    const after = (await h.call('GET', '/trust-fund', { token: t.officer })).body;
    expect(after).toMatchObject({ committed: 8_000, available: 2_000 });
    // The loser's case and expert were not touched either: all of the step, or none of it.
    const loser =
      replies[0].status === 422 ? { at: a, expertId: expertA } : { at: b, expertId: expertB };
    expect(
      (await h.call('GET', `/experts/${loser.expertId}`, { token: t.officer })).body.bookings,
    ).toEqual([]);
    expect(
      (await h.call('GET', `/cases/${loser.at.caseId}`, { token: t.officer })).body.stage,
    ).toBe('matched');
  });

  it('profiling success without a progress report', async () => {
    const { caseId } = await caseAt(h, t, 'deployed');
    await refused(
      'POST',
      `/cases/${caseId}/success-profiles`,
      t.officer,
      { panelYear: 2026, summary: 'Too early' },
      422,
      'CASE.PROGRESS_REPORT_REQUIRED',
    );
  });

  it('any command on a closed case', async () => {
    const { caseId } = await caseAt(h, t, 'closed');
    await refused(
      'POST',
      `/cases/${caseId}/amendments`,
      t.focalMalawi,
      { description: 'More' },
      422,
      'CASE.CLOSED',
    );
    await refused(
      'POST',
      `/cases/${caseId}/progress-reports`,
      t.focalMalawi,
      {
        progress: [{ reference: recommendation.reference, status: 'implemented', narrative: 'n' }],
      },
      422,
      'CASE.CLOSED',
    );
    await refused(
      'POST',
      `/cases/${caseId}/closure`,
      t.officer,
      { reason: 'Again' },
      422,
      'CASE.CLOSED',
    );
  });

  it('a stale If-Match', async () => {
    const { caseId } = await caseAt(h, t, 'requested');
    const read = await h.call('GET', `/cases/${caseId}`, { token: t.officer });
    const etag = read.headers.get('etag')!;
    await h.call('POST', `/cases/${caseId}/amendments`, {
      token: t.officer,
      body: { description: 'First change' },
      headers: { 'if-match': etag },
    });
    const reply = await refused(
      'POST',
      `/cases/${caseId}/amendments`,
      t.focalMalawi,
      { description: 'Second change' },
      412,
      'REQUEST.STALE_VERSION',
      { 'if-match': etag },
    );
    expect(reply.body.details).toMatchObject({ expected: 1, actual: 2 });
  });

  it('a replayed Idempotency-Key answers the first response and writes nothing; another body under it is refused', async () => {
    const { caseId } = await caseAt(h, t, 'screened');
    const send = (offered: string) =>
      h.call('POST', `/cases/${caseId}/offers`, {
        token: t.providerNorway,
        body: { offered, funding: 'provider' },
        headers: { 'idempotency-key': `offer-${caseId}` },
      });
    const first = await send('Two experts');
    const log = await h.openLog();
    const before = await log.lastPosition();
    const again = await send('Two experts');
    expect(await log.lastPosition()).toBe(before);
    await log.close();
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    await refused(
      'POST',
      `/cases/${caseId}/offers`,
      t.providerNorway,
      { offered: 'Three experts', funding: 'provider' },
      422,
      'IDEMPOTENCY.KEY_REUSED',
      { 'idempotency-key': `offer-${caseId}` },
    );
    const offers = (
      await h.call('GET', `/cases/${caseId}/events`, { token: t.officer })
    ).body.filter((e: { type: string }) => e.type === 'OfferMade');
    expect(offers).toHaveLength(1);
  });

  it('a refused request leaves its Idempotency-Key free: the corrected request is served under it, once', async () => {
    const { caseId } = await caseAt(h, t, 'consented');
    const key = { 'idempotency-key': `screen-${caseId}` };
    await refused(
      'POST',
      `/cases/${caseId}/screening`,
      t.memberAfrica,
      { decision: 'maybe' },
      400,
      'REQUEST.INVALID',
      key,
    );
    const send = () =>
      h.call('POST', `/cases/${caseId}/screening`, {
        token: t.memberAfrica,
        body: { decision: 'accepted' },
        headers: key,
      });
    const served = await send();
    expect([served.status, served.headers.get('idempotent-replayed')]).toEqual([200, null]);
    expect(served.headers.get('etag')).toMatch(/^"\d+"$/);
    const again = await send();
    expect(again).toMatchObject({ status: 200, body: served.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('etag')).toBe(served.headers.get('etag'));
  });

  it('a keyed request from a caller who is not signed in is refused by the guard, and its key stays unused', async () => {
    const { caseId } = await caseAt(h, t, 'consented');
    const key = { 'idempotency-key': `unsigned-${caseId}` };
    await refused(
      'POST',
      `/cases/${caseId}/screening`,
      'not-a-token',
      { decision: 'accepted' },
      401,
      'AUTH.TOKEN_INVALID',
      key,
    );
    const served = await h.call('POST', `/cases/${caseId}/screening`, {
      token: t.memberAfrica,
      body: { decision: 'accepted' },
      headers: key,
    });
    expect([served.status, served.headers.get('idempotent-replayed')]).toEqual([200, null]);
  });

  it('a screening by the member of another region', async () => {
    const { caseId } = await caseAt(h, t, 'consented');
    const reply = await refused(
      'POST',
      `/cases/${caseId}/screening`,
      t.memberAsia,
      { decision: 'accepted' },
      403,
      'ACCESS.DENIED',
    );
    expect(reply.body.message).toMatch(/asia-pacific.*african/);
  });

  it('bad input: unknown fields, wrong types, malformed JSON and oversized bodies, every problem listed', async () => {
    const { caseId } = await caseAt(h, t, 'consented');
    const invalid = await refused(
      'POST',
      `/cases/${caseId}/screening`,
      t.memberAfrica,
      { decision: 'maybe', reasons: 'no', extra: true },
      400,
      'REQUEST.INVALID',
    );
    expect(invalid.body.details.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^extra/),
        expect.stringMatching(/^decision must be one of/),
        expect.stringMatching(/^reasons must be an array/),
      ]),
    );
    const malformed = await h.call('POST', `/cases/${caseId}/screening`, {
      token: t.memberAfrica,
      raw: '{"decision":',
    });
    expect(malformed).toMatchObject({ status: 400, body: { code: 'REQUEST.MALFORMED_JSON' } });
    const huge = await h.call('POST', `/cases/${caseId}/screening`, {
      token: t.memberAfrica,
      raw: JSON.stringify({ decision: 'declined', reasons: ['x'.repeat(2 * 1024 * 1024)] }),
    });
    expect(huge).toMatchObject({ status: 400, body: { code: 'REQUEST.TOO_LARGE' } });
    await refused(
      'POST',
      `/cases/${caseId}/consent`,
      t.focalMalawi,
      {},
      409,
      'CASE.CONSENT_ALREADY_GIVEN',
    );
    const future = await caseAt(h, t, 'requested');
    await refused(
      'POST',
      `/cases/${future.caseId}/consent`,
      t.focalMalawi,
      { occurredAt: '2030-01-01T00:00:00.000Z' },
      400,
      'CASE.OCCURRED_IN_FUTURE',
    );
    await refused('GET', '/cases/no-such-case', t.officer, undefined, 404, 'CASE.NOT_FOUND');
  });
});
