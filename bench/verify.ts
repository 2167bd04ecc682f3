/**
 * Verify benchmark: `keystone verify`'s work (every hash chain recomputed, versions, positions and
 * stream heads checked) over a log of about 1,000,000 events, per store, each in a child process of
 * its own for its peak RSS. Prints a table, writes bench/results/verify.json. `npm run bench:verify`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyLog } from '@keystone/audit';
import { type EventStore } from '@keystone/event-store';
import { PostgresEventStore, SqliteEventStore } from '@keystone/event-store/adapters';
import { ensureServiceBinaries, startPostgres } from '../test/support/local-services';
import { fillLog } from './support/fill-log';
import { printResult, runInChild, writeReport } from './support/report';

const TARGET_EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);

async function open(kind: string, location: string): Promise<EventStore> {
  return kind === 'sqlite'
    ? new SqliteEventStore({ path: location })
    : PostgresEventStore.connect({ connectionString: location, schema: 'bench', poolSize: 2 });
}

async function child(kind: string, phase: string, location: string): Promise<void> {
  const store = await open(kind, location);
  let result: Record<string, unknown>;
  if (phase === 'fill') {
    result = await fillLog(store, TARGET_EVENTS);
  } else {
    const started = process.hrtime.bigint();
    const verification = await verifyLog(store);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    result = {
      events: verification.eventsChecked,
      streams: verification.streamsChecked,
      findings: verification.findings.length,
      seconds: Math.round(seconds * 100) / 100,
      eventsPerSecond: Math.round(verification.eventsChecked / seconds),
    };
  }
  await store.close();
  printResult(result);
}

const run = (kind: string, phase: string, location: string) =>
  runInChild<Record<string, number>>(
    __filename,
    [kind, phase, location],
    `verify bench: ${kind} ${phase}`,
  );

async function main(): Promise<void> {
  const [kind, phase, location] = process.argv.slice(2);
  if (kind) return child(kind, phase, location);
  const dir = mkdtempSync(join(tmpdir(), 'keystone-bench-verify-'));
  const results: { store: string; log: Record<string, number>; verify: Record<string, number> }[] =
    [];
  try {
    const path = join(dir, 'keystone.db');
    results.push({
      store: 'sqlite',
      log: run('sqlite', 'fill', path),
      verify: run('sqlite', 'verify', path),
    });
    const server = await startPostgres(ensureServiceBinaries().postgresBin, { durable: true });
    try {
      results.push({
        store: 'postgres',
        log: run('postgres', 'fill', server.url),
        verify: run('postgres', 'verify', server.url),
      });
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.table(
    results.map((r) => ({
      store: r.store,
      events: r.verify.events,
      findings: r.verify.findings,
      'verify events/s': r.verify.eventsPerSecond,
      seconds: r.verify.seconds,
      'peak RSS MiB': r.verify.peakRssMiB,
    })),
  );
  writeReport('verify', {
    setup: `about ${TARGET_EVENTS} events from the real case decider; keystone verify's work in a process of its own`,
    goals: { sqliteEventsPerSecond: 300_000 },
    results,
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
