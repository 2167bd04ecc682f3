import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore } from '@keystone/event-store';
import { PostgresEventStore, SqliteEventStore } from '@keystone/event-store/adapters';
import { casesProjection, ProjectionRunner, rebuildProjection } from '@keystone/projections';
import { sqlDatabaseFor } from '@keystone/sql';
import { generateHistory, seededRandom } from '../../apps/cli/src/demo/history-generator';
import { straightFold, tableRows } from '@keystone/projections/testing/straight-fold';
import { compiledApp, launchApp } from '../support/processes';
import { testPostgresUrl, uniqueSchema } from '../support/test-env';

/**
 * Crash safety: the real worker process is killed with SIGKILL at random moments of a live run and of
 * a rebuild, many times over, while cases keep arriving. After a restart the read model equals a
 * clean rebuild, row for row. Runs the compiled apps (npm test builds them first).
 */
const KILLS_LIVE = 8;
const KILLS_REBUILD = 4;

beforeAll(() => {
  compiledApp('worker');
  compiledApp('cli');
});

const dir = mkdtempSync(join(tmpdir(), 'keystone-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Target {
  env: Record<string, string>;
  open(): Promise<EventStore>;
}

function sqliteTarget(): Target {
  const path = join(dir, `${uniqueSchema('crash')}.db`);
  return {
    env: { KEYSTONE_STORE: 'sqlite', KEYSTONE_SQLITE_PATH: path },
    open: async () => new SqliteEventStore({ path }),
  };
}

function postgresTarget(): Target {
  const schema = uniqueSchema('crash');
  return {
    env: {
      KEYSTONE_STORE: 'postgres',
      KEYSTONE_POSTGRES_URL: testPostgresUrl(),
      KEYSTONE_POSTGRES_SCHEMA: schema,
      KEYSTONE_AUTH_SECRET: 'crash-test-'.padEnd(40, 'x'),
    },
    open: () =>
      PostgresEventStore.connect({ connectionString: testPostgresUrl(), schema, poolSize: 4 }),
  };
}

/** The worker, or `keystone rebuild cases`, on the target's log, without Redis. */
const launch = (app: 'worker' | 'cli', args: string[], env: Record<string, string>) =>
  launchApp(app, {
    args,
    env: { ...env, KEYSTONE_REDIS_URL: 'redis://127.0.0.1:1' },
    readyOn: ['worker: ready', 'rebuild cases'],
    exitZeroIsReady: true,
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const killed = (child: ChildProcess) =>
  new Promise<void>((r) =>
    child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
  );

describe.each([
  ['sqlite', sqliteTarget],
  ['postgres', postgresTarget],
] as const)('the projection worker killed at random moments [%s]', (_kind, makeTarget) => {
  jest.setTimeout(120_000);

  it('leaves read models equal to a clean rebuild, row for row', async () => {
    const target = makeTarget();
    const store = await target.open();
    const random = seededRandom(42);
    const history = generateHistory({ seed: 7, cases: 600, steps: 9_000 });
    const chunks = Array.from({ length: KILLS_LIVE + KILLS_REBUILD + 1 }, (_, i) =>
      history.filter((_, n) => n % (KILLS_LIVE + KILLS_REBUILD + 1) === i),
    );
    for (const append of chunks[0]) await store.append(append.streamId, append.events, 'any');

    let kills = 0;
    for (let round = 1; round <= KILLS_LIVE + KILLS_REBUILD; round++) {
      const rebuilding = round > KILLS_LIVE;
      const { child, ready } = rebuilding
        ? launch('cli', ['rebuild', 'cases'], target.env)
        : launch('worker', [], target.env);
      await ready;
      const writing = (async () => {
        for (const append of chunks[round])
          await store.append(append.streamId, append.events, 'any');
      })();
      await sleep(20 + Math.floor(random() * 300));
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        kills++;
      }
      await Promise.all([killed(child), writing]);
    }
    expect(kills).toBeGreaterThanOrEqual(KILLS_LIVE); // the worker really was killed mid-run

    const { child, ready } = launch('worker', [], target.env);
    await ready;
    const { db, close } = sqlDatabaseFor(store);
    const runner = new ProjectionRunner(db, store, casesProjection);
    const head = await store.lastPosition();
    for (let i = 0; i < 600 && (await runner.position()) < head; i++) await sleep(100);
    child.kill('SIGTERM');
    await killed(child);

    expect(await runner.position()).toBe(head);
    const afterCrashes = await tableRows(db, casesProjection);
    expect(afterCrashes).toEqual(await straightFold(store, casesProjection));
    await rebuildProjection(db, store, casesProjection);
    expect(await tableRows(db, casesProjection)).toEqual(afterCrashes);
    close();
    await store.close();
  });
});
