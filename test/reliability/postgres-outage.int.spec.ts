import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signLocalToken } from '@keystone/access';
import { verifyLog } from '@keystone/audit';
import { PostgresEventStore } from '@keystone/event-store/adapters';
import { PROJECTIONS } from '@keystone/projections';
import { straightFold, tableRows } from '@keystone/projections/testing/straight-fold';
import { PostgresDatabase } from '@keystone/sql';
import { requestBody } from '../e2e/support/api-harness';
import {
  ensureServiceBinaries,
  freePort,
  startPostgres,
  type PostgresService,
} from '../support/local-services';
import { launchApp, ROOT, stopProcess } from '../support/processes';
import { testRedisUrl, uniqueSchema } from '../support/test-env';

/**
 * PostgreSQL stopped three times and frozen once under keyed load, on a PostgreSQL of this test's
 * own: the API answers 503 STORAGE.UNAVAILABLE with Retry-After (promptly, even while the server is
 * frozen), /health says the log is down, the worker process lives through it all, and afterwards
 * every key resolved to one case and every read model equals a fold of the log.
 */
jest.setTimeout(240_000);
const SECRET = 'outage-test-secret-'.padEnd(48, 'o');
const STOPS = 3;

let pg: PostgresService;
beforeAll(async () => {
  pg = await startPostgres(ensureServiceBinaries().postgresBin);
});
afterAll(() => pg?.stop());

it('keeps the worker alive, answers 503 promptly, and catches up exactly after PostgreSQL goes away', async () => {
  const schema = uniqueSchema('outage');
  const port = await freePort();
  const common = {
    KEYSTONE_STORE: 'postgres',
    KEYSTONE_POSTGRES_URL: pg.url,
    KEYSTONE_POSTGRES_SCHEMA: schema,
    KEYSTONE_POSTGRES_POOL_SIZE: '4',
    KEYSTONE_POSTGRES_STATEMENT_TIMEOUT_MS: '2000',
    KEYSTONE_POSTGRES_CONNECT_TIMEOUT_MS: '1000',
    KEYSTONE_AUTH_SECRET: SECRET,
    KEYSTONE_REDIS_URL: testRedisUrl(),
    KEYSTONE_QUEUE_PREFIX: schema,
    KEYSTONE_IDEMPOTENCY_LEASE_SECONDS: '3',
  };
  const store = await PostgresEventStore.connect({ connectionString: pg.url, schema, poolSize: 2 });
  const api = launchApp('api', {
    env: { ...common, PORT: String(port), KEYSTONE_ROLES: 'api' },
    readyOn: ['API on http'],
  });
  const worker = launchApp('worker', {
    env: { ...common, KEYSTONE_ROLES: 'projections,reactors,processors' },
    readyOn: ['worker: ready'],
  });
  const settings = { mode: 'local' as const, secret: SECRET, issuer: 'keystone-local' };
  const token = await signLocalToken(settings, {
    sub: 'focal:mwi',
    role: 'state-focal-point',
    state: 'MWI',
  });
  const figures = {
    created: 0,
    unavailable: 0,
    otherErrors: [] as string[],
    frozenAnswerMs: 0,
    recoverMs: [] as number[],
  };
  const post = async (i: number) => {
    const started = Date.now();
    const response = await fetch(`http://127.0.0.1:${port}/cases`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': `outage-${i}`,
      },
      body: JSON.stringify(requestBody('MWI', { description: `Outage request ${i}` })),
    });
    const body = (await response.json()) as any;
    return {
      status: response.status,
      body,
      ms: Date.now() - started,
      retryAfter: response.headers.get('retry-after'),
    };
  };
  const caseIdOf = new Map<number, string>();
  /** Both processes live; if one died, what it said is the failure. */
  const alive = () =>
    expect({
      worker: worker.child.exitCode === null ? 'alive' : worker.output().slice(-3000),
      api: api.child.exitCode === null ? 'alive' : api.output().slice(-3000),
    }).toEqual({ worker: 'alive', api: 'alive' });
  try {
    await Promise.all([api.ready, worker.ready]);
    let next = 0;
    let running = true;
    let lastOutage = 0;
    // Four clients, each sending its keys one after another, each key until it is answered.
    const clients = Array.from({ length: 4 }, async () => {
      while (running) {
        const i = next++;
        for (;;) {
          const reply = await post(i);
          if (reply.status === 201 || reply.status === 200) {
            caseIdOf.set(i, reply.body.caseId);
            figures.created++;
            break;
          }
          if (reply.status === 503) {
            expect(reply.body.code).toBe('STORAGE.UNAVAILABLE');
            expect(reply.retryAfter).toBe('5');
            figures.unavailable++;
            lastOutage = Date.now();
          } else if (!(reply.status === 409 && reply.body.code === 'IDEMPOTENCY.IN_PROGRESS')) {
            figures.otherErrors.push(`${reply.status} ${reply.body.code}`);
            break;
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    });
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const health = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      return { status: response.status, body: (await response.json()) as any };
    };
    await pause(1_500);
    for (let stop = 0; stop < STOPS; stop++) {
      pg.halt();
      await pause(1_500);
      expect(await health()).toMatchObject({
        status: 503,
        body: { status: 'down', down: ['event log'] },
      });
      await pause(1_500);
      const back = Date.now();
      pg.resume();
      // Time to recover: from the server being back to the next command answered 201.
      for (const created = figures.created; figures.created === created;) await pause(50);
      figures.recoverMs.push(Date.now() - back);
      alive();
    }
    // Frozen: nothing answers, yet a request gets its 503 within the time limits, not a hang.
    pg.freeze();
    await pause(300);
    const frozen = await post(1_000_000);
    figures.frozenAnswerMs = frozen.ms;
    expect(frozen.status).toBe(503);
    expect(frozen.body.code).toBe('STORAGE.UNAVAILABLE');
    pg.thaw();
    await pause(2_000);
    running = false;
    await Promise.all(clients);
    alive();
    expect(figures.otherErrors).toEqual([]);
    expect(figures.unavailable).toBeGreaterThan(0);
    expect(lastOutage).toBeGreaterThan(0);

    // Every key: one case, and the frozen request's key resolves on retry too.
    for (;;) {
      const reply = await post(1_000_000);
      if (reply.status === 201 || reply.status === 200) {
        caseIdOf.set(1_000_000, reply.body.caseId);
        break;
      }
      await pause(200);
    }
    const requested = (await store.readAll({ limit: 10_000, types: ['AssistanceRequested'] })).map(
      (e) => (e.data as { description: string }).description,
    );
    expect(requested.length).toBe(new Set(requested).size); // none doubled
    expect(requested.length).toBe(caseIdOf.size); // none lost
    // The worker caught up, and every read model equals a fold of the log.
    const db = new PostgresDatabase(store.sqlPool);
    for (let i = 0; ; i++) {
      const checkpoints = await db.all<{ position: string }>(
        'SELECT position FROM projection_checkpoints',
      );
      const least =
        checkpoints.length < PROJECTIONS.length
          ? 0
          : Math.min(...checkpoints.map((c) => Number(c.position)));
      if (least >= (await store.lastPosition())) break;
      if (i > 600) throw new Error('the read models did not catch up');
      await pause(100);
    }
    for (const projection of PROJECTIONS)
      expect({ [projection.name]: await tableRows(db, projection) }).toEqual({
        [projection.name]: await straightFold(store, projection),
      });
    expect((await verifyLog(store)).findings).toEqual([]);
    const summary = { ...figures, keys: caseIdOf.size, stops: STOPS, workerAlive: true };
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    writeFileSync(
      join(ROOT, 'test-artifacts', 'postgres-outage.json'),
      JSON.stringify(summary, null, 2),
    );
    console.log(`postgres outage run: ${JSON.stringify(summary)}`);
  } finally {
    pg.thaw();
    await Promise.all([stopProcess(api.child), stopProcess(worker.child)]);
    await store.close();
  }
});
