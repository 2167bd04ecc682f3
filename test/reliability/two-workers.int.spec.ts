import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { caseDecider, caseStreamId, type CaseCommand } from '@keystone/cases';
import { deciderStep, runCommand, type CommandContext } from '@keystone/event-store';
import { SqliteEventStore } from '@keystone/event-store/adapters';
import { casesProjection } from '@keystone/projections';
import { SqliteDatabase } from '@keystone/sql';
import { InboxNotifier, FOLLOW_UP_QUEUE } from '@keystone/reactions';
import { straightFold, tableRows } from '@keystone/projections/testing/straight-fold';
import { launchApp } from '../support/processes';
import { testRedisUrl, uniqueSchema } from '../support/test-env';

/**
 * Two real worker processes on one log and one Redis; one is killed mid-run with SIGKILL. Every due
 * job still runs once: one overdue event per case, one notification per purpose, read models right.
 */
const CASES = 60;
const UPR = { source: 'upr' as const, reference: 'A/HRC/53/10, 121.4', text: 'Establish an NPM' };

describe('two workers, one killed mid-run', () => {
  jest.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'keystone-two-workers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses nothing and doubles nothing', async () => {
    const path = join(dir, 'keystone.db');
    const store = new SqliteEventStore({ path });
    for (let n = 0; n < CASES; n++) {
      const caseId = `case${n}`;
      const run = async (type: CaseCommand['type'], data: object) => {
        const context: CommandContext = {
          actor: 'officer:t',
          role: 'case-officer',
          correlationId: `${caseId}-${type}`,
          occurredAt: '2025-01-01T00:00:00.000Z',
          now: new Date().toISOString(),
        };
        await runCommand(store, context, [
          deciderStep(caseStreamId(caseId), caseDecider, { type, data, context } as CaseCommand),
        ]);
      };
      await run('RequestAssistance', {
        caseId,
        state: 'MWI',
        themes: ['nmirf'],
        description: 'd',
        supportSought: 's',
        recommendations: [UPR],
      });
      await run('ConfirmConsent', {});
      await run('ScreenRequest', { decision: 'accepted', reasons: [] });
      await run('MakeOffer', {
        offerId: 'o',
        provider: { kind: 'ngo', id: 'p', name: 'APT' },
        offered: 'o',
        funding: 'provider',
      });
      await run('MatchOffer', { offerId: 'o' });
      // Started in January 2025: the report fell due in January 2026, so every job is due now.
      await run('DeployExpert', {
        deploymentId: `d-${caseId}`,
        offerId: 'o',
        expertId: 'e',
        startDate: '2025-01-01',
        endDate: '2025-02-01',
        funding: 'provider',
        amount: 0,
      });
    }
    const prefix = uniqueSchema('two');
    const env = {
      KEYSTONE_SQLITE_PATH: path,
      KEYSTONE_REDIS_URL: testRedisUrl(),
      KEYSTONE_QUEUE_PREFIX: prefix,
    };
    const a = launchApp('worker', { env, readyOn: ['worker: ready'] });
    const b = launchApp('worker', { env, readyOn: ['worker: ready'] });
    await Promise.all([a.ready, b.ready]);
    await new Promise((r) => setTimeout(r, 150));
    a.child.kill('SIGKILL');

    const queue = new Queue(FOLLOW_UP_QUEUE, { connection: { url: testRedisUrl() }, prefix });
    try {
      for (let i = 0; i < 1200; i++) {
        const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'completed');
        const overdue = (await store.readAll({ limit: 10_000, types: ['ProgressReportOverdue'] }))
          .length;
        if (
          overdue === CASES &&
          counts.waiting + counts.active + counts.prioritized === 0 &&
          (await dueDelayed(queue)) === 0
        )
          break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const overdue = await store.readAll({ limit: 10_000, types: ['ProgressReportOverdue'] });
      expect(overdue).toHaveLength(CASES);
      expect(new Set(overdue.map((e) => e.streamId)).size).toBe(CASES); // one per case
      const inbox = new InboxNotifier(new SqliteDatabase(store.database));
      expect(
        (await inbox.inbox('case-officer')).filter((n) => n.kind === 'report-overdue'),
      ).toHaveLength(CASES);
      expect(
        (await inbox.inbox('state-focal-point:MWI')).filter((n) =>
          n.kind.startsWith('report-reminder'),
        ),
      ).toHaveLength(2 * CASES);
      expect(
        (await inbox.inbox('committee-member:african')).filter(
          (n) => n.kind === 'committee-new-request',
        ),
      ).toHaveLength(CASES);
      expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 });
      // The platform's report-backs fall due in January 2027: planned once per case, still waiting.
      const reportBacks = (await queue.getDelayed()).filter((j) =>
        j.id!.startsWith('report-back-due-'),
      );
      expect(reportBacks).toHaveLength(CASES);
      // The projections both workers kept are right too.
      for (let i = 0; i < 100; i++) {
        const rows = await tableRows(new SqliteDatabase(store.database), casesProjection);
        if ([...rows.values()].every((r) => r.overdue)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await tableRows(new SqliteDatabase(store.database), casesProjection)).toEqual(
        await straightFold(store, casesProjection),
      );
    } finally {
      b.child.kill('SIGTERM');
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await store.close();
    }
  });
});

/** Delayed jobs already due (the report-backs planned for 2027 are not). */
async function dueDelayed(queue: Queue): Promise<number> {
  const now = Date.now();
  return (await queue.getDelayed()).filter((j) => j.timestamp + (j.opts.delay ?? 0) <= now).length;
}
