/**
 * What SQLite's WAL checkpoint costs the embedded log, and what changing when it runs would buy.
 * Keystone leaves `wal_autocheckpoint` at SQLite's 1,000 pages: the commit that takes the WAL past
 * them copies the WAL into the database file, syncing both, inside that commit. This times single
 * appends with the expected version (300 streams, one event each, an event-loop turn between two
 * appends as in the API) on one file per run, with the threshold at 100, 250, 1,000 and 4,000
 * pages, alternating, and reports per variant the median over rounds of the mean, p99, p999 and
 * longest append and the WAL file's size at the end. Prints the table and writes
 * bench/results/sqlite-checkpoint.json. `npm run bench:sqlite-checkpoint` (BENCH_ROUNDS, default 3;
 * BENCH_APPENDS, default 20,000).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@keystone/event-store/adapters';
import { percentile } from './support/case-load';
import { median, writeReport } from './support/report';

const THRESHOLDS = [100, 250, 1_000, 4_000];
const STREAMS = 300;

interface Run {
  readonly meanUs: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly maxUs: number;
  readonly walMiB: number;
}

async function run(pages: number, appends: number): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'keystone-checkpoint-'));
  const path = join(dir, 'log.db');
  const store = new SqliteEventStore({ path });
  try {
    store.database.pragma(`wal_autocheckpoint = ${pages}`);
    const versions = new Map<string, number>();
    const took: number[] = [];
    const started = process.hrtime.bigint();
    for (let i = 0; i < appends; i++) {
      const streamId = `case-${i % STREAMS}`;
      const version = versions.get(streamId);
      const before = process.hrtime.bigint();
      const result = await store.append(
        streamId,
        [
          {
            eventId: randomUUID(),
            type: 'ProgressReported',
            data: { caseId: streamId, summary: 'x'.repeat(200), step: i },
            metadata: {
              actor: 'officer-1',
              role: 'case-officer',
              correlationId: randomUUID(),
              occurredAt: new Date().toISOString(),
            },
          },
        ],
        version === undefined ? 'no_stream' : version,
      );
      took.push(Number(process.hrtime.bigint() - before) / 1000);
      versions.set(streamId, result.nextExpectedVersion);
      await new Promise((resolve) => setImmediate(resolve)); // the API's next request
    }
    const meanUs = Number(process.hrtime.bigint() - started) / 1000 / appends;
    const wal = `${path}-wal`;
    const walMiB = existsSync(wal) ? statSync(wal).size / 2 ** 20 : 0;
    took.sort((a, b) => a - b);
    return {
      meanUs,
      p99Us: percentile(took, 99),
      p999Us: percentile(took, 99.9),
      maxUs: took[took.length - 1],
      walMiB,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const appends = Number(process.env.BENCH_APPENDS ?? 20_000);
  const runs = new Map<number, Run[]>(THRESHOLDS.map((pages) => [pages, []]));
  await run(1_000, 2_000); // warm-up, not counted
  for (let round = 0; round < rounds; round++) {
    // The order turns each round, so no variant always runs on a freshly written disk.
    const order = THRESHOLDS.map((_, i) => THRESHOLDS[(i + round) % THRESHOLDS.length]);
    for (const pages of order) {
      const result = await run(pages, appends);
      runs.get(pages)!.push(result);
      console.log(
        `round ${round + 1}, ${pages} pages: ${result.meanUs.toFixed(0)} µs/append, p999 ${result.p999Us.toFixed(0)} µs`,
      );
    }
  }
  const rows = THRESHOLDS.map((pages) => {
    const of = (key: keyof Run) => Number(median(runs.get(pages)!.map((r) => r[key])).toFixed(1));
    return {
      walAutocheckpointPages: pages,
      keystone: pages === 1_000,
      meanUs: of('meanUs'),
      appendsPerSecond: Math.round(1e6 / of('meanUs')),
      p99Us: of('p99Us'),
      p999Us: of('p999Us'),
      maxUs: of('maxUs'),
      walMiB: of('walMiB'),
      rounds: runs.get(pages)!,
    };
  });
  console.log('\nwal_autocheckpoint | µs/append | appends/s | p99 µs | p999 µs | max µs | WAL MiB');
  for (const r of rows)
    console.log(
      `${String(r.walAutocheckpointPages).padStart(18)}${r.keystone ? '*' : ' '}| ${String(r.meanUs).padStart(9)} | ${String(r.appendsPerSecond).padStart(9)} | ${String(r.p99Us).padStart(6)} | ${String(r.p999Us).padStart(7)} | ${String(r.maxUs).padStart(6)} | ${r.walMiB}`,
    );
  console.log('* what Keystone runs with (SQLite default)');
  writeReport('sqlite-checkpoint', {
    setup: `single-event appends with the expected version over ${STREAMS} streams, ${appends} per run, one file per run, synchronous = NORMAL, an event-loop turn between appends; median of ${rounds} rounds`,
    appendsPerRun: appends,
    rows,
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
