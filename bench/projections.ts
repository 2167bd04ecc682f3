/**
 * Projection benchmark: a realistic log of about 1,000,000 events (about 100,000 cases, every event
 * from the real case decider), then a rebuild of every projection, per store, each in a child process
 * of its own so its peak RSS is its own; and GET /panel/{year}?asOf= timed through the real API on
 * the SQLite log. Prints a table, writes bench/results/projections.json. `npm run bench:projections`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signLocalToken } from '@keystone/access';
import { type EventStore } from '@keystone/event-store';
import { PostgresEventStore, SqliteEventStore } from '@keystone/event-store/adapters';
import { PROJECTIONS, rebuildProjection } from '@keystone/projections';
import { sqlDatabaseFor } from '@keystone/sql';
import { fillLog } from './support/fill-log';
import { printResult, runInChild, writeReport } from './support/report';
import { ensureServiceBinaries, freePort, startPostgres } from '../test/support/local-services';
import { spawnApp } from '../test/support/processes';
import { waitUntilUp } from './support/case-load';

const TARGET_EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const CASES = Math.round(TARGET_EVENTS / 10);
const SECRET = 'bench-secret-'.padEnd(48, 'p');

const fill = (store: EventStore) => fillLog(store, TARGET_EVENTS);

async function rebuildAll(store: EventStore) {
  const { db, close } = sqlDatabaseFor(store);
  const started = process.hrtime.bigint();
  for (const projection of PROJECTIONS) await rebuildProjection(db, store, projection);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  close();
  const events = await store.lastPosition();
  return { events, seconds: round(seconds), eventsPerSecond: Math.round(events / seconds) };
}

async function child(
  kind: 'sqlite' | 'postgres',
  phase: 'fill' | 'rebuild',
  location: string,
): Promise<void> {
  const store: EventStore =
    kind === 'sqlite'
      ? new SqliteEventStore({ path: location })
      : await PostgresEventStore.connect({
          connectionString: location,
          schema: 'bench',
          poolSize: 4,
        });
  const result = phase === 'fill' ? await fill(store) : await rebuildAll(store);
  await store.close();
  printResult(result);
}

const runChild = (kind: string, phase: string, location: string) =>
  runInChild<Record<string, number>>(
    __filename,
    [kind, phase, location],
    `projections bench: ${kind} ${phase}`,
  );

/** GET /panel/{year}?asOf= through the compiled API on the SQLite log. */
async function timeAsOfPanel(path: string): Promise<{ seconds: number[]; status: number }> {
  const port = await freePort();
  const api = spawnApp('api', {
    env: {
      PORT: String(port),
      KEYSTONE_SQLITE_PATH: path,
      KEYSTONE_AUTH_SECRET: SECRET,
      KEYSTONE_REDIS_URL: 'redis://127.0.0.1:1',
      KEYSTONE_ROLES: 'api,reactors,processors',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitUntilUp(`http://127.0.0.1:${port}`);
    const token = await signLocalToken(
      { mode: 'local', secret: SECRET, issuer: 'keystone-local' },
      { sub: 'auditor:bench', role: 'auditor' },
    );
    const seconds: number[] = [];
    let status = 0;
    for (let i = 0; i < 3; i++) {
      const start = process.hrtime.bigint();
      const response = await fetch(
        `http://127.0.0.1:${port}/panel/2025?asOf=2025-12-31T23:59:59.999Z`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      await response.json();
      status = response.status;
      seconds.push(round(Number(process.hrtime.bigint() - start) / 1e9));
    }
    return { seconds, status };
  } finally {
    api.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const [kind, phase, location] = process.argv.slice(2);
  if (kind) return child(kind as 'sqlite' | 'postgres', phase as 'fill' | 'rebuild', location);

  const dir = mkdtempSync(join(tmpdir(), 'keystone-bench-projections-'));
  const sqlitePath = join(dir, 'keystone.db');
  interface StoreResult {
    store: string;
    log: Record<string, number>;
    rebuild: Record<string, number>;
    asOfPanel?: { seconds: number[]; status: number };
  }
  const results: StoreResult[] = [];
  try {
    const filled = runChild('sqlite', 'fill', sqlitePath);
    const rebuilt = runChild('sqlite', 'rebuild', sqlitePath);
    const asOfPanel = await timeAsOfPanel(sqlitePath);
    results.push({ store: 'sqlite', log: filled, rebuild: rebuilt, asOfPanel });

    const { postgresBin } = ensureServiceBinaries();
    const server = await startPostgres(postgresBin, { durable: true });
    try {
      const pgFilled = runChild('postgres', 'fill', server.url);
      const pgRebuilt = runChild('postgres', 'rebuild', server.url);
      results.push({ store: 'postgres', log: pgFilled, rebuild: pgRebuilt });
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.table(
    results.map((r) => ({
      store: r.store,
      'log events': r.log.events,
      'rebuild events/s': r.rebuild.eventsPerSecond,
      'rebuild s': r.rebuild.seconds,
      'rebuild peak RSS MiB': r.rebuild.peakRssMiB,
      'as-of panel s': r.asOfPanel ? Math.min(...r.asOfPanel.seconds) : '—',
    })),
  );
  writeReport('projections', {
    setup: `about ${TARGET_EVENTS} events from the real case decider over ${CASES} cases; rebuild of every projection into fresh tables and swap; as-of panel through the API (3 tries)`,
    goals: { sqliteRebuildEventsPerSecond: 100_000, peakRssMiB: 400, asOfPanelSeconds: 3 },
    results,
  });
}

const round = (n: number) => Math.round(n * 100) / 100;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
