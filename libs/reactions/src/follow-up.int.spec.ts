import { Queue, QueueEvents, Worker } from 'bullmq';
import { caseDecider, caseStreamId, type CaseCommand } from '@keystone/cases';
import { deciderStep, runCommand, type CommandContext } from '@keystone/event-store';
import { SqliteEventStore } from '@keystone/event-store/adapters';
import { SqliteDatabase } from '@keystone/sql';
import { testRedisUrl, uniqueSchema } from '../../../test/support/test-env';
import { FollowUpProcessor } from './follow-up.processor';
import { FollowUpReactor, promoteDue } from './follow-up.reactor';
import { InboxNotifier } from './notifications';

class MovableClock {
  constructor(private current: Date) {}
  now = () => new Date(this.current);
  set = (iso: string) => (this.current = new Date(iso));
}

const UPR = { source: 'upr' as const, reference: 'A/HRC/53/10, 121.4', text: 'Establish an NPM' };

/** Real Redis, real BullMQ, a SQLite log, and a clock the test moves instead of waiting. */
describe('follow-up of a deployment: reminders, then exactly one overdue report', () => {
  let store: SqliteEventStore;
  let queue: Queue;
  let worker: Worker;
  let events: QueueEvents;
  let clock: MovableClock;
  let inbox: InboxNotifier;
  let reactor: FollowUpReactor;

  beforeEach(async () => {
    const connection = { url: testRedisUrl() };
    const name = uniqueSchema('followup');
    store = new SqliteEventStore({ path: ':memory:' });
    clock = new MovableClock(new Date('2026-01-01T00:00:00.000Z'));
    const db = new SqliteDatabase(store.database);
    inbox = new InboxNotifier(db);
    queue = new Queue(name, { connection });
    events = new QueueEvents(name, { connection });
    const processor = new FollowUpProcessor(store, inbox, clock);
    worker = new Worker(name, (job) => processor.process(job), { connection, concurrency: 1 });
    // As the Nest worker does: a failure for good is dead-lettered and told.
    worker.on('failed', (job, error) => void (job && processor.failed(job, error)));
    reactor = new FollowUpReactor(db, store, queue, clock);
    await reactor.init();
    await Promise.all([worker.waitUntilReady(), events.waitUntilReady()]);
  });

  afterEach(async () => {
    await worker.close();
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await store.close();
  });

  async function run(type: CaseCommand['type'], data: object, at: string): Promise<void> {
    const context: CommandContext = {
      actor: 'officer:t',
      role: 'case-officer',
      correlationId: `c-${type}`,
      occurredAt: at,
      now: clock.now().toISOString(),
    };
    await runCommand(store, context, [
      deciderStep(caseStreamId('c1'), caseDecider, { type, data, context } as CaseCommand),
    ]);
  }

  async function deployedCase(startDate = '2026-01-01'): Promise<string> {
    await run(
      'RequestAssistance',
      {
        caseId: 'c1',
        state: 'MWI',
        themes: ['torture-prevention'],
        description: 'NPM',
        supportSought: 'advice',
        recommendations: [UPR],
      },
      '2026-01-01T00:00:00.000Z',
    );
    await run('ConfirmConsent', {}, '2026-01-01T00:00:00.000Z');
    await run('ScreenRequest', { decision: 'accepted', reasons: [] }, '2026-01-01T00:00:00.000Z');
    await run(
      'MakeOffer',
      {
        offerId: 'o1',
        provider: { kind: 'ngo', id: 'p', name: 'APT' },
        offered: 'advice',
        funding: 'provider',
      },
      '2026-01-01T00:00:00.000Z',
    );
    await run('MatchOffer', { offerId: 'o1' }, '2026-01-01T00:00:00.000Z');
    await run(
      'DeployExpert',
      {
        deploymentId: 'd1',
        offerId: 'o1',
        expertId: 'e1',
        startDate,
        endDate: '2026-03-01',
        funding: 'provider',
        amount: 0,
      },
      '2026-01-01T00:00:00.000Z',
    );
    return '2027-01-01T00:00:00.000Z'; // report due 12 months after the start
  }

  /** Moves the clock, promotes what is due by it, and waits until the worker has run those jobs. */
  async function moveTo(iso: string): Promise<void> {
    clock.set(iso);
    const due = (await queue.getDelayed()).filter((j) => j.data.dueAt <= iso).map((j) => j.id!);
    const finished = due.map((id) => waitForJob(id));
    await promoteDue(queue, clock);
    await Promise.all(finished);
    await drained();
  }

  /** Waits until nothing is waiting or running (jobs due at once skip the delayed set). */
  async function drained(): Promise<void> {
    for (let i = 0; i < 500; i++) {
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
      if (counts.waiting + counts.active + counts.prioritized === 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the queue did not drain');
  }

  function waitForJob(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = ({ jobId }: { jobId: string }) => jobId === id && (cleanup(), resolve());
      const failed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) =>
        jobId === id && (cleanup(), reject(new Error(failedReason)));
      const cleanup = () => (events.off('completed', done), events.off('failed', failed));
      events.on('completed', done);
      events.on('failed', failed);
    });
  }

  const overdueEvents = async () =>
    (await store.readStream(caseStreamId('c1'))).filter((e) => e.type === 'ProgressReportOverdue');

  it('reminds 30 and 7 days before the due date, then records the overdue report once', async () => {
    await deployedCase();
    await reactor.catchUp();
    const jobs = await queue.getDelayed();
    const delayed = jobs.map((j) => j.id).sort();
    expect(delayed.filter((id) => /^report-(reminder|overdue)/.test(id!))).toHaveLength(3);
    // The platform's report-back falls due 24 months after the deployment began, its State told
    // 90 days before: both through the same queue.
    const dueOf = (purpose: string) =>
      jobs.find((j) => j.id!.startsWith(`${purpose}-`))?.data.dueAt as string | undefined;
    expect(dueOf('report-back-due')?.slice(0, 10)).toBe('2028-01-01');
    expect(dueOf('report-back-reminder')?.slice(0, 10)).toBe('2027-10-03');

    await moveTo('2026-12-02T00:00:00.000Z'); // 30 days before
    expect((await inbox.inbox('state-focal-point:MWI')).map((n) => n.kind)).toEqual(
      expect.arrayContaining(['report-reminder-30d']),
    );
    expect((await inbox.inbox('state-focal-point:MWI')).map((n) => n.kind)).not.toContain(
      'report-reminder-7d',
    );

    await moveTo('2026-12-25T00:00:00.000Z'); // 7 days before
    expect(
      (await inbox.inbox('state-focal-point:MWI'))
        .filter((n) => n.kind.startsWith('report-reminder'))
        .map((n) => n.kind),
    ).toEqual(['report-reminder-30d', 'report-reminder-7d']);
    expect(await overdueEvents()).toHaveLength(0);

    await moveTo('2027-01-01T00:00:01.000Z'); // past due, no report
    expect(await overdueEvents()).toHaveLength(1);
    expect((await overdueEvents())[0].metadata).toMatchObject({
      actor: 'keystone:follow-up',
      occurredAt: '2027-01-01T00:00:00.000Z',
    });
    expect((await inbox.inbox('case-officer')).map((n) => n.kind)).toContain('report-overdue');

    // Planning the whole log again (a reactor that lost its checkpoint) adds nothing twice.
    await reactor.catchUp();
    const replanned = new FollowUpReactor(new SqliteDatabase(store.database), store, queue, clock);
    await store.database.exec(
      "UPDATE projection_checkpoints SET position = 0 WHERE name = 'reactor:follow-up'",
    );
    await replanned.catchUp();
    await moveTo('2027-02-01T00:00:00.000Z');
    expect(await overdueEvents()).toHaveLength(1);
    expect(
      (await inbox.inbox('state-focal-point:MWI')).filter((n) =>
        n.kind.startsWith('report-reminder'),
      ),
    ).toHaveLength(2);
  });

  it('dead-letters a job that can never succeed at its first attempt, and tells the officers', async () => {
    // A job naming a deployment the case does not have (data written by a planner of another
    // version, say): recording it overdue is refused, and always will be.
    await deployedCase();
    await reactor.catchUp();
    const planned = (await queue.getDelayed()).find((j) => j.name === 'report-overdue')!;
    const failed = new Promise<{ jobId: string; failedReason: string }>((resolve) =>
      events.on('failed', (e) => e.jobId === 'ghost-overdue' && resolve(e)),
    );
    await queue.add(
      'report-overdue',
      { ...planned.data, deploymentId: 'ghost', dueAt: '2026-01-01T00:00:00.000Z' },
      { jobId: 'ghost-overdue', attempts: 5, backoff: { type: 'exponential', delay: 1_000 } },
    );
    const { jobId, failedReason } = await failed;
    expect(failedReason).toMatch(/^CASE\.DEPLOYMENT_NOT_FOUND/);
    const overdueJob = { id: jobId };
    const job = await queue.getJob(overdueJob.id!);
    expect(job!.attemptsMade).toBe(1); // not retried: a refusal it can never get past
    expect((await queue.getJobCounts('failed')).failed).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 100; i++) {
      if ((await inbox.inbox('case-officer')).some((n) => n.kind === 'job-dead-lettered')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const told = (await inbox.inbox('case-officer')).filter((n) => n.kind === 'job-dead-lettered');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ caseId: 'c1' });
    expect(told[0].message).toContain('failed for good after 1 attempt(s)');
  });

  it('sends no reminder and records nothing overdue once the report came in', async () => {
    await deployedCase();
    await reactor.catchUp();
    await moveTo('2026-12-02T00:00:00.000Z');
    await moveTo('2026-12-10T00:00:00.000Z');
    await run(
      'ReportProgress',
      {
        reportId: 'r1',
        progress: [{ reference: UPR.reference, status: 'in-progress', narrative: 'n' }],
      },
      '2026-12-10T00:00:00.000Z',
    );
    await reactor.catchUp();
    await moveTo('2027-01-02T00:00:00.000Z');
    expect(await overdueEvents()).toHaveLength(0);
    const kinds = (await inbox.inbox('state-focal-point:MWI')).map((n) => n.kind);
    expect(kinds.filter((k) => k.startsWith('report-reminder'))).toEqual(['report-reminder-30d']); // the 7-day one was pointless
    expect((await inbox.inbox('case-officer')).map((n) => n.kind)).not.toContain('report-overdue');
  });

  it('tells the committee of the region about a new request, and only reminds about consent still pending', async () => {
    await run(
      'RequestAssistance',
      {
        caseId: 'c1',
        state: 'MWI',
        themes: ['nmirf'],
        description: 'NMIRF',
        supportSought: 'advice',
        recommendations: [UPR],
      },
      '2026-01-01T00:00:00.000Z',
    );
    await reactor.catchUp();
    await moveTo('2026-01-01T00:00:00.000Z');
    expect((await inbox.inbox('committee-member:african')).map((n) => n.kind)).toEqual([
      'committee-new-request',
    ]);
    await moveTo('2026-01-05T00:00:00.000Z');
    await run('ConfirmConsent', {}, '2026-01-05T00:00:00.000Z');
    await reactor.catchUp();
    await moveTo('2026-01-20T00:00:00.000Z'); // the consent reminder (day 14) has no point any more
    expect(await inbox.inbox('state-focal-point:MWI')).toEqual([]);
    await moveTo('2026-02-10T00:00:00.000Z'); // screening waited past 30 days
    expect((await inbox.inbox('committee-member:african')).map((n) => n.kind)).toEqual([
      'committee-new-request',
      'screening-reminder',
    ]);
  });
});
