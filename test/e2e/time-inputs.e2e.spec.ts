import { ApiHarness, requestBody } from './support/api-harness';
import { tokens, type Tokens } from './support/scenario';

/**
 * One instant, one answer: every route that takes a time reads it through the one time module and
 * the one as-of replay. 12:00+05:00 is 07:00Z; the consent below is recorded at 07:30Z, so both
 * spellings must show the case before its consent (the bug this pins: "+05:00" was compared as
 * text and counted the consent). Loose formats are refused with the accepted one named, never a 500.
 */
describe('times in requests: one parser, instants compared as instants', () => {
  const h = new ApiHarness();
  let t: Tokens;
  let caseId = '';
  const OFFSET = '2026-03-01T12:00:00+05:00';
  const ZULU = '2026-03-01T07:00:00Z';

  beforeAll(async () => {
    await h.start();
    t = await tokens(h);
    h.clock.set('2026-03-01T06:00:00.000Z');
    const created = await h.call('POST', '/cases', {
      token: t.officer,
      body: requestBody('MWI', { occurredAt: '2026-03-01T06:00:00Z' }),
    });
    caseId = created.body.caseId;
    h.clock.set('2026-03-01T07:30:00.000Z');
    const consent = await h.call('POST', `/cases/${caseId}/consent`, {
      token: t.officer,
      body: { occurredAt: '2026-03-01T06:30:00+00:00' },
    });
    expect(consent.status).toBe(200);
    h.clock.set('2026-03-02T00:00:00.000Z');
  });
  afterAll(() => h.stop());

  const routes = () => [
    { path: `/cases/${caseId}`, param: 'asOf', token: t.auditor },
    { path: `/cases/${caseId}`, param: 'asOfEffective', token: t.auditor },
    { path: '/panel/2026', param: 'asOf', token: t.auditor },
    { path: '/impact', param: 'asOf', token: t.auditor },
    { path: '/panel/2026/report', param: 'asOf', token: t.auditor },
  ];
  const withoutComputedAt = (body: unknown) =>
    typeof body === 'string'
      ? body.replace(/<dt>Computed at<\/dt><dd>[^<]*<\/dd>/, '')
      : { ...(body as object), computedAt: undefined };

  it('answers the same for the same instant written in Z and in +05:00, on every route', async () => {
    for (const route of routes()) {
      const q = (at: string) =>
        h.call('GET', `${route.path}?${route.param}=${encodeURIComponent(at)}`, {
          token: route.token,
        });
      const [offset, zulu] = [await q(OFFSET), await q(ZULU)];
      expect([route.path, route.param, offset.status]).toEqual([route.path, route.param, 200]);
      expect(withoutComputedAt(offset.body)).toEqual(withoutComputedAt(zulu.body));
    }
  });

  it('shows what was recorded by that instant, and what had taken effect by it', async () => {
    const q = (param: string) =>
      h.call('GET', `/cases/${caseId}?${param}=${encodeURIComponent(OFFSET)}`, {
        token: t.officer,
      });
    // Recorded at 07:30Z, after the instant: not yet known to Keystone at 07:00Z.
    expect((await q('asOf')).body).toMatchObject({
      asOf: '2026-03-01T07:00:00.000Z',
      stage: 'awaiting-consent',
    });
    // Given at 06:30Z, before the instant: in force in the world at 07:00Z.
    expect((await q('asOfEffective')).body).toMatchObject({ stage: 'awaiting-screening' });
    const panel = await h.call('GET', `/panel/2026?asOf=${encodeURIComponent(OFFSET)}`, {
      token: t.auditor,
    });
    expect(panel.body.totals).toMatchObject({ received: 1, consented: 0 });
  });

  const LOOSE = [
    '20260101',
    '2026-W01-1',
    '2026-01-01T10:00,5Z',
    '2026-01-01T10:00:00',
    '2026-02-30T10:00:00Z',
  ];

  it('refuses loose times in every query with a 400 naming the accepted format', async () => {
    for (const route of routes())
      for (const value of LOOSE) {
        const reply = await h.call(
          'GET',
          `${route.path}?${route.param}=${encodeURIComponent(value)}`,
          { token: route.token },
        );
        expect([route.path, route.param, value, reply.status, reply.body.code]).toEqual([
          route.path,
          route.param,
          value,
          400,
          'REQUEST.INVALID',
        ]);
        expect(reply.body.message).toContain('ISO 8601 date-time with an offset');
      }
  });

  it('refuses loose times in command bodies with a 400, writing nothing', async () => {
    const before = await h.call('GET', `/cases/${caseId}/events`, { token: t.officer });
    for (const value of LOOSE) {
      const reply = await h.call('POST', `/cases/${caseId}/consent/withdrawal`, {
        token: t.officer,
        body: { reason: 'changed government', occurredAt: value },
      });
      expect([value, reply.status]).toEqual([value, 400]);
      expect(reply.body.message).toContain(
        `occurredAt must be an ISO 8601 date-time with an offset`,
      );
      const contribution = await h.call('POST', '/trust-fund/contributions', {
        token: t.officer,
        body: { donor: 'Norway', amount: 100, occurredAt: value },
      });
      expect([value, contribution.status]).toEqual([value, 400]);
    }
    const after = await h.call('GET', `/cases/${caseId}/events`, { token: t.officer });
    expect(after.body).toHaveLength(before.body.length);
  });
});
