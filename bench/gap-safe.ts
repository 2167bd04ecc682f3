/**
 * Would gap-safe numbering pay? Keystone's PostgreSQL appends keep positions gap-free: a batch holds
 * the log head's row lock to its commit, so batches of different processes commit one after
 * another (docs/postgres-appends.md). The alternative is positions from a sequence with no head lock,
 * readers stopping at a high-water mark and the log chain computed after commit by a sealer (as
 * Emmett and Marten do). Before redesigning every reader for it, this measures its best case: the
 * same append function, the same client and group commit, with the head's lock, the log hash and its
 * update taken out and each position taken from a sequence (with and without the notification, which
 * PostgreSQL also serialises at commit). The sealer's work and the readers' high-water mark are not
 * counted, so the gap-safe figures are an upper bound; the variant is an experiment, never installed
 * by Keystone. Runs alternate (gap-free, gap-safe with notify, gap-safe) on one durable server, for
 * 2 processes × 4 clients and 1 process × 8 clients, single-event appends with the expected version.
 * Prints the table and writes bench/results/gap-safe.json. `npm run bench:gap-safe` (BENCH_ROUNDS,
 * default 5). `node … bench/gap-safe.ts worker …` is the child that appends.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { PostgresEventStore } from '@keystone/event-store/adapters';
import { APPEND_FUNCTION } from '@keystone/event-store/postgres/postgres.schema';
import { ensureServiceBinaries, startPostgres } from '../test/support/local-services';
import { benchEvent } from './event-store-peers';
import { median, writeReport } from './support/report';
import { runTogether } from './support/workers';

const CLIENTS = 8;
const APPENDS = 4_000;
const STREAMS_PER_CLIENT = 50;

function replaced(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the append function no longer holds: ${from}`);
  return text.replace(from, to);
}

/** The append function without the head's lock: positions from a sequence, no log chain. */
function gapSafe(notify: boolean): string {
  let fn = APPEND_FUNCTION;
  fn = replaced(
    fn,
    `  SELECT h.last_position, h.last_log_hash INTO v_position, v_log_hash
    FROM keystone_log_head h WHERE h.id = 1 FOR UPDATE;`,
    '',
  );
  fn = replaced(
    fn,
    'RETURN QUERY SELECT m, v_status, v_position, NULL::text, NULL::int;',
    'RETURN QUERY SELECT m, v_status, NULL::bigint, NULL::text, NULL::int;',
  );
  fn = replaced(
    fn,
    '        v_position := v_position + 1;',
    "        v_position := nextval('bench_positions');",
  );
  fn = replaced(
    fn,
    `v_log_hash := encode(sha256(convert_to('{"globalPosition":' || v_position || ',"hash":"' || p_hashes[j]
                      || '","previousLogHash":"' || v_log_hash || '"}', 'UTF8')), 'hex');`,
    'v_log_hash := NULL;',
  );
  fn = replaced(
    fn,
    '  UPDATE keystone_log_head SET last_position = v_position, last_log_hash = v_log_hash WHERE id = 1;',
    '',
  );
  if (!notify) fn = replaced(fn, "  PERFORM pg_notify('keystone_events', v_position::text);", '');
  return `CREATE SEQUENCE IF NOT EXISTS bench_positions;\n${fn}`;
}

const VARIANTS = {
  'gap-free (Keystone)': APPEND_FUNCTION,
  'gap-safe, notify': gapSafe(true),
  'gap-safe': gapSafe(false),
} as const;
type Variant = keyof typeof VARIANTS;

async function worker(url: string, schema: string, clients: number[]): Promise<void> {
  const store = await PostgresEventStore.connect({ connectionString: url, schema });
  process.stdout.write('READY\n');
  await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
  const versions = new Map<string, number>();
  const startedAt = Date.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let n = 0; n < APPENDS / CLIENTS; n++) {
        const streamId = `s-${(n % STREAMS_PER_CLIENT) * CLIENTS + client}`;
        const expected = versions.get(streamId) ?? 0;
        await store.append(streamId, [benchEvent(n)], expected);
        versions.set(streamId, expected + 1);
      }
    }),
  );
  const endedAt = Date.now();
  await store.close();
  process.stdout.write(
    `${JSON.stringify({ startedAt, endedAt, appends: (APPENDS / CLIENTS) * clients.length })}\n`,
  );
  process.exit(0);
}

/** One run: the variant installed in a schema of its own, `processes` workers started together. */
async function runOnce(
  url: string,
  admin: Client,
  variant: Variant,
  processes: number,
  schema: string,
) {
  const first = await PostgresEventStore.connect({ connectionString: url, schema });
  await first.close();
  await admin.query(`SET search_path = ${schema}`);
  await admin.query(VARIANTS[variant]);
  const perProcess = CLIENTS / processes;
  const workers = Array.from({ length: processes }, (_, p) =>
    spawn(
      process.execPath,
      [
        ...process.execArgv,
        __filename,
        'worker',
        url,
        schema,
        JSON.stringify(Array.from({ length: perProcess }, (_, c) => p * perProcess + c)),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    ),
  );
  const { appends, ms } = await runTogether(workers);
  return Math.round((appends / ms) * 1000);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'worker') {
    const [url, schema, clients] = process.argv.slice(3);
    return worker(url, schema, JSON.parse(clients) as number[]);
  }
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const { postgresBin } = ensureServiceBinaries();
  const server = await startPostgres(postgresBin, { durable: true });
  const admin = new Client({ connectionString: server.url });
  await admin.connect();
  const rows: { workload: string; variant: Variant; runs: number[]; median: number }[] = [];
  try {
    for (const processes of [2, 1]) {
      const workload = `${processes} process${processes > 1 ? 'es' : ''} × ${CLIENTS / processes} clients, single-event appends`;
      const runs = new Map<Variant, number[]>(Object.keys(VARIANTS).map((v) => [v as Variant, []]));
      // One unmeasured round first, then the measured ones, each variant in turn.
      for (let round = -1; round < rounds; round++) {
        for (const [i, variant] of (Object.keys(VARIANTS) as Variant[]).entries()) {
          const rate = await runOnce(
            server.url,
            admin,
            variant,
            processes,
            `g${processes}r${round + 1}v${i}`,
          );
          if (round >= 0) runs.get(variant)!.push(rate);
          console.log(`  ${workload}, ${variant}, round ${round + 1}: ${rate} appends/s`);
        }
      }
      for (const [variant, values] of runs)
        rows.push({ workload, variant, runs: values, median: median(values) });
    }
  } finally {
    await admin.end();
    await server.stop();
  }
  console.table(
    rows.map((r) => ({
      workload: r.workload,
      variant: r.variant,
      'appends/s (per run)': r.runs.join(' '),
      median: r.median,
    })),
  );
  writeReport('gap-safe', { appendsPerRun: APPENDS, rows });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
