import { rmSync } from 'node:fs';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { caseDecider, caseStreamId, type CaseCommand } from '@keystone/cases';
import { deciderStep, runCommand, type CommandContext } from '@keystone/event-store';
import { SqliteEventStore } from '@keystone/event-store/adapters';
import { SqliteDatabase } from '@keystone/sql';
import { findRedisServer, startRedis } from '../../../test/support/local-services';
import { FollowUpProcessor } from './follow-up.processor';
import { FollowUpReactor, promoteDue } from './follow-up.reactor';
import { InboxNotifier } from './notifications';

const UPR = { source: 'upr' as const, reference: 'A/HRC/53/10, 121.4', text: 'Establish an NPM' };

/**
 * Redis stopped while cases keep moving, then restarted (with its append-only file, as in
 * production): the reactor does not advance while Redis is away, and afterwards every due job is
 * scheduled exactly once; the event and notification counts come out exact.
 */
describe('a Redis outage', () => {
  jest.setTimeout(60_000);

  it('pauses the reactor, loses nothing and doubles nothing', async () => {
    const redisServer = findRedisServer();
    if (!redisServer)
      throw new Error('redis-server is missing: run infra/local/install-services.sh');
    let redis = await startRedis(redisServer, { persistent: true });
    const connection = { url: redis.url, maxRetriesPerRequest: null, retryStrategy: () => 100 };
    const clock = {
      current: new Date('2026-01-01T00:00:00.000Z'),
      now() {
        return new Date(this.current);
      },
    };
    const store = new SqliteEventStore({ path: ':memory:' });
    const db = new SqliteDatabase(store.database);
    const inbox = new InboxNotifier(db);
    const queue = new Queue('outage', { connection });
    const events = new QueueEvents('outage', { connection });
    const processor = new FollowUpProcessor(store, inbox, clock);
    // A job running when Redis went away is found stalled and run again once it is back (its effects are idempotent).
    const worker = new Worker('outage', (job) => processor.process(job), {
      connection,
      concurrency: 2,
      lockDuration: 2_000,
      stalledInterval: 1_000,
    });
    const reactor = new FollowUpReactor(db, store, queue, clock);
    await reactor.init();

    const run = async (caseId: string, type: CaseCommand['type'], data: object) => {
      const context: CommandContext = {
        actor: 'officer:t',
        role: 'case-officer',
        correlationId: `${caseId}-${type}`,
        occurredAt: '2026-01-01T00:00:00.000Z',
        now: clock.now().toISOString(),
      };
      await runCommand(store, context, [
        deciderStep(caseStreamId(caseId), caseDecider, { type, data, context } as CaseCommand),
      ]);
    };
    const deploy = async (caseId: string) => {
      await run(caseId, 'RequestAssistance', {
        caseId,
        state: 'MWI',
        themes: ['nmirf'],
        description: 'd',
        supportSought: 's',
        recommendations: [UPR],
      });
      await run(caseId, 'ConfirmConsent', {});
      await run(caseId, 'ScreenRequest', {
        decision: 'accepted',
        reasons: [],
      });
      await run(caseId, 'MakeOffer', {
        offerId: 'o',
        provider: { kind: 'ngo', id: 'p', name: 'APT' },
        offered: 'o',
        funding: 'provider',
      });
      await run(caseId, 'MatchOffer', { offerId: 'o' });
      await run(caseId, 'DeployExpert', {
        deploymentId: `d-${caseId}`,
        offerId: 'o',
        expertId: 'e',
        startDate: '2026-01-01',
        endDate: '2026-02-01',
        funding: 'provider',
        amount: 0,
      });
    };
    const guardedStep = async () => {
      const client = await queue.client;
      if (client.status !== 'ready') throw new Error(`Redis is ${client.status}`);
      return reactor.step();
    };

    try {
      for (const id of ['a', 'b', 'c']) await deploy(id);
      await reactor.catchUp();
      const before = await reactor.position();

      await redis.stop(); // Redis goes away; cases keep moving
      for (const id of ['d', 'e', 'f']) await deploy(id);
      await new Promise((r) => setTimeout(r, 200));
      await expect(guardedStep()).rejects.toThrow(/Redis is/);
      expect(await reactor.position()).toBe(before); // the reactor did not advance

      redis = await startRedis(redisServer, { persistent: true, port: redis.port, dir: redis.dir });
      for (let i = 0; i < 100 && (await queue.client).status !== 'ready'; i++)
        await new Promise((r) => setTimeout(r, 50));
      await events.waitUntilReady();
      await reactor.catchUp();
      expect(await reactor.position()).toBe(await store.lastPosition());

      clock.current = new Date('2027-01-02T00:00:00.000Z'); // past every due date
      await promoteDue(queue, clock);
      for (let i = 0; i < 1_200; i++) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        const told = (await inbox.inbox('committee-member:african')).length;
        if (
          told === 6 &&
          counts.waiting + counts.active + counts.delayed + counts.prioritized === 0
        )
          break;
        await promoteDue(queue, clock);
        await new Promise((r) => setTimeout(r, 25));
      }
      const all = await store.readAll({ limit: 10_000 });
      expect(all.filter((e) => e.type === 'ProgressReportOverdue')).toHaveLength(6); // one per case, none lost
      const officers = await inbox.inbox('case-officer');
      expect(officers.filter((n) => n.kind === 'report-overdue')).toHaveLength(6);
      const focal = await inbox.inbox('state-focal-point:MWI');
      expect(focal.filter((n) => n.kind.startsWith('report-reminder'))).toHaveLength(12); // 30 and 7 days, per case
      expect(
        (await inbox.inbox('committee-member:african')).filter(
          (n) => n.kind === 'committee-new-request',
        ),
      ).toHaveLength(6);
      expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 });
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await store.close();
      await redis.stop();
      rmSync(redis.dir, { recursive: true, force: true });
    }
  });
});
