import { recommendation, ApiHarness } from './support/api-harness';
import { caseAt, tokens, type Tokens } from './support/scenario';

/**
 * Follow-up through the whole app: deployments over HTTP, the API's own reactor and processors on the
 * test Redis, and the app's clock moved instead of waiting a year.
 */
describe('follow-up of a deployment, end to end', () => {
  const h = new ApiHarness();
  let t: Tokens;
  beforeAll(async () => {
    await h.start();
    t = await tokens(h);
  });
  afterAll(() => h.stop());

  async function until<T>(
    what: string,
    read: () => Promise<T>,
    ok: (value: T) => boolean,
  ): Promise<T> {
    for (let i = 0; i < 400; i++) {
      const value = await read();
      if (ok(value)) return value;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }
  const health = async () => (await h.call('GET', '/health/details', { token: t.admin })).body;
  const settled = () =>
    until(
      'the reactor and the queue to settle',
      health,
      (b) =>
        b.queues.reactorPosition === b.eventStore.lastPosition &&
        b.queues.followUp.waiting + b.queues.followUp.active === 0,
    );
  const reminders = async (caseId: string) =>
    ((await h.call('GET', '/notifications', { token: t.focalMalawi })).body.notifications as any[])
      .filter((n) => n.caseId === caseId && n.kind.startsWith('report-reminder'))
      .map((n) => n.kind);
  const overdue = async (caseId: string) =>
    ((await h.call('GET', `/cases/${caseId}/events`, { token: t.officer })).body as any[]).filter(
      (e) => e.type === 'ProgressReportOverdue',
    );

  it('reminds at 30 and 7 days, then records exactly one overdue report; nothing of it once the report is in', async () => {
    const silent = await caseAt(h, t, 'deployed');
    const reported = await caseAt(h, t, 'deployed'); // both due 15 June 2027 (start 15 June 2026, 12 months)
    await settled();
    expect(await reminders(silent.caseId)).toEqual([]);

    h.clock.set('2027-05-16T00:00:00.000Z');
    await until(
      'the 30-day reminder',
      () => reminders(silent.caseId),
      (k) => k.length === 1,
    );
    expect(await reminders(silent.caseId)).toEqual(['report-reminder-30d']);

    h.clock.set('2027-05-20T00:00:00.000Z');
    const report = await h.call('POST', `/cases/${reported.caseId}/progress-reports`, {
      token: t.focalMalawi,
      body: {
        progress: [
          { reference: recommendation.reference, status: 'in-progress', narrative: 'Draft law' },
        ],
      },
    });
    expect(report.status).toBe(201);

    h.clock.set('2027-06-08T00:00:00.000Z');
    await until(
      'the 7-day reminder',
      () => reminders(silent.caseId),
      (k) => k.length === 2,
    );

    h.clock.set('2027-06-16T00:00:00.000Z');
    await until(
      'the overdue report',
      () => overdue(silent.caseId),
      (events) => events.length > 0,
    );
    await settled();
    expect(await overdue(silent.caseId)).toHaveLength(1);
    expect((await overdue(silent.caseId))[0]).toMatchObject({
      metadata: { actor: 'keystone:follow-up', occurredAt: '2027-06-15T00:00:00.000Z' },
    });
    const officers = (await h.call('GET', '/notifications', { token: t.officer })).body
      .notifications as any[];
    expect(officers.filter((n) => n.kind === 'report-overdue').map((n) => n.caseId)).toEqual([
      silent.caseId,
    ]);

    // The case whose report came in: the 30-day reminder went (before the report), nothing after it.
    expect(await reminders(reported.caseId)).toEqual(['report-reminder-30d']);
    expect(await overdue(reported.caseId)).toHaveLength(0);
  });
});
