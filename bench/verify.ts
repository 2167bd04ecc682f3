/**
 * Verify benchmark: `keystone verify` itself (the compiled CLI, in a process of its own: every hash
 * chain recomputed, versions, positions and stream heads checked) over a log of about 1,000,000
 * events, per store: walked whole in one thread, and in parts at once with a thread per core,
 * alternating. Beside it, on SQLite, what a bare read of every column of every row costs in one
 * thread (nothing checked): the floor of one walk on this machine. Prints a table, writes
 * bench/results/verify.json. `npm run bench:verify` (builds first).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { GENESIS_HASH, hashOfCanonicalText, logHash, type EventStore } from '@keystone/event-store';
import { PostgresEventStore, SqliteEventStore } from '@keystone/event-store/adapters';
import { CANONICAL_AROUND } from '@keystone/event-store/sqlite/sqlite.event-store';
import { ensureServiceBinaries, startPostgres } from '../test/support/local-services';
import { fillLog } from './support/fill-log';
import { printResult, runInChild, writeReport } from './support/report';

const TARGET_EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const THREADS = [1, availableParallelism()];
const CLI = resolve(__dirname, '..', 'scripts', 'keystone.js');

async function open(kind: string, location: string): Promise<EventStore> {
  return kind === 'sqlite'
    ? new SqliteEventStore({ path: location })
    : PostgresEventStore.connect({ connectionString: location, schema: 'bench', poolSize: 2 });
}

/** A bare read of every column of every row, a batch at a time, one thread: nothing checked. */
function bareRead(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  db.pragma('mmap_size = 1073741824');
  const page = db
    .prepare('SELECT * FROM events WHERE global_position > ? ORDER BY global_position LIMIT 5000')
    .raw(true);
  const started = process.hrtime.bigint();
  let rows = 0;
  for (let after = 0; ;) {
    const batch = page.all(after) as unknown[][];
    if (batch.length === 0) break;
    rows += batch.length;
    after = batch[batch.length - 1][0] as number;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  return { rows, seconds: round(seconds), rowsPerSecond: Math.round(rows / seconds) };
}

/**
 * The floor of a walk with every check: the same rows, the same two hashes and the same position,
 * version and chain checks as verify, written as one loop over the raw rows (no object per row, no
 * port, no finding built), in one thread. Counts what does not hold; on the bench's log, nothing.
 */
function bareCheck(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  db.pragma('mmap_size = 1073741824');
  const page = db
    .prepare<[number], [number, string, number, string, string, string, string]>(
      `SELECT global_position, stream_id, stream_version, hash, log_hash, ${CANONICAL_AROUND}
         FROM events WHERE global_position > ? ORDER BY global_position LIMIT 1000`,
    )
    .raw(true);
  const started = process.hrtime.bigint();
  const heads = new Map<string, { version: number; hash: string }>();
  let [expected, previousLogHash, failed, rows] = [1, GENESIS_HASH, 0, 0];
  for (let after = 0; ;) {
    const batch = page.all(after);
    if (batch.length === 0) break;
    for (const [position, streamId, version, hash, storedLogHash, before, rest] of batch) {
      if (position !== expected) failed++;
      expected = position + 1;
      if (logHash(previousLogHash, position, hash) !== storedLogHash) failed++;
      previousLogHash = storedLogHash;
      let head = heads.get(streamId);
      if (head === undefined) heads.set(streamId, (head = { version: 0, hash: GENESIS_HASH }));
      if (version !== head.version + 1) failed++;
      if (hashOfCanonicalText(before, head.hash, rest) !== hash) failed++;
      head.version = version;
      head.hash = hash;
      rows++;
    }
    after = batch[batch.length - 1][0];
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  return { rows, failed, seconds: round(seconds), rowsPerSecond: Math.round(rows / seconds) };
}

async function child(kind: string, phase: string, location: string): Promise<void> {
  if (phase === 'read') return printResult(bareRead(location));
  if (phase === 'check') return printResult(bareCheck(location));
  const store = await open(kind, location);
  const result = await fillLog(store, TARGET_EVENTS);
  await store.close();
  printResult(result);
}

const run = (kind: string, phase: string, location: string) =>
  runInChild<Record<string, number>>(
    __filename,
    [kind, phase, location],
    `verify bench: ${kind} ${phase}`,
  );

const round = (n: number) => Math.round(n * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** `keystone verify --json --threads N` on the log; the seconds it reports for its own work. */
interface VerifyRun {
  events: number;
  streams: number;
  findings: number;
  seconds: number;
  eventsPerSecond: number;
}

function verifyWith(env: Record<string, string>, threads: number): VerifyRun {
  console.log(`verify bench: keystone verify --threads ${threads}…`);
  const output = execFileSync(
    process.execPath,
    [CLI, 'verify', '--json', '--threads', String(threads)],
    {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const report = JSON.parse(output) as {
    eventsChecked: number;
    streamsChecked: number;
    findings: unknown[];
    seconds: number;
  };
  return {
    events: report.eventsChecked,
    streams: report.streamsChecked,
    findings: report.findings.length,
    seconds: report.seconds,
    eventsPerSecond: Math.round(report.eventsChecked / report.seconds),
  };
}

/** Each thread count ROUNDS times, alternating; the median run of each. */
function verifyRuns(env: Record<string, string>) {
  const runs = new Map<number, VerifyRun[]>(THREADS.map((t) => [t, []]));
  for (let r = 0; r < ROUNDS; r++) for (const t of THREADS) runs.get(t)!.push(verifyWith(env, t));
  return THREADS.map((threads) => {
    const all = runs.get(threads)!;
    const mid = median(all.map((x) => x.eventsPerSecond));
    return {
      threads,
      ...all.find((x) => x.eventsPerSecond === mid)!,
      runs: all.map((x) => x.eventsPerSecond),
    };
  });
}

async function main(): Promise<void> {
  const [kind, phase, location] = process.argv.slice(2);
  if (kind) return child(kind, phase, location);
  const dir = mkdtempSync(join(tmpdir(), 'keystone-bench-verify-'));
  const results: {
    store: string;
    log: Record<string, number>;
    bareRead?: Record<string, number>;
    bareCheck?: Record<string, number>;
    verify: ReturnType<typeof verifyRuns>;
  }[] = [];
  try {
    const path = join(dir, 'keystone.db');
    const sqliteLog = run('sqlite', 'fill', path);
    const env = { KEYSTONE_STORE: 'sqlite', KEYSTONE_SQLITE_PATH: path };
    results.push({
      store: 'sqlite',
      log: sqliteLog,
      bareRead: run('sqlite', 'read', path),
      bareCheck: run('sqlite', 'check', path),
      verify: verifyRuns(env),
    });
    const server = await startPostgres(ensureServiceBinaries().postgresBin, { durable: true });
    try {
      const log = run('postgres', 'fill', server.url);
      results.push({
        store: 'postgres',
        log,
        verify: verifyRuns({
          KEYSTONE_STORE: 'postgres',
          KEYSTONE_POSTGRES_URL: server.url,
          KEYSTONE_POSTGRES_SCHEMA: 'bench',
          KEYSTONE_AUTH_SECRET: 'verify-bench-'.padEnd(40, 'x'),
        }),
      });
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.table(
    results.flatMap((r) =>
      r.verify.map((v) => ({
        store: r.store,
        threads: v.threads,
        events: v.events,
        findings: v.findings,
        'verify events/s': v.eventsPerSecond,
        seconds: v.seconds,
        'bare read rows/s (1 thread)': r.bareRead?.rowsPerSecond ?? '',
        'bare check rows/s (1 thread)': r.bareCheck?.rowsPerSecond ?? '',
      })),
    ),
  );
  writeReport('verify', {
    setup: `about ${TARGET_EVENTS} events from the real case decider; keystone verify (compiled) in a process of its own, --threads 1 and --threads ${THREADS[1]} alternating ${ROUNDS} times (median); the bare read is every column of every row through better-sqlite3 in one thread, nothing checked; the bare check is every check verify makes on every row, as one loop over the raw rows in one thread (no port, no object per row, no finding built)`,
    goals: { sqliteEventsPerSecond: 300_000 },
    results,
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
