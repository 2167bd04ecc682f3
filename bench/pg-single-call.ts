/**
 * Where a single client's append goes on PostgreSQL (docs/postgres-appends.md, "1 client"): one
 * client, one event per call, on one durable server, alternating in blocks (the order reversed every
 * block, the first block unmeasured) between a bare round trip (`SELECT 1`), the peer bench's bare
 * statement (its floor) and Keystone's adapter, with `synchronous_commit` on (durable, what the peer
 * bench measures) and off (no WAL flush waited for: what is left is the call itself). Then, durable,
 * `pg_stat_statements` (track = all) over each store's appends: the server's time per statement,
 * Keystone's function and the statements inside it. Prints the figures and writes
 * bench/results/pg-single-call.json. `npm run bench:pg-single-call` (BENCH_CALLS per block, default
 * 1,500; BENCH_BLOCKS, default 7).
 */
import { Client } from 'pg';
import { ensureServiceBinaries, startPostgres } from '../test/support/local-services';
import { openStore, type BenchStore } from './event-store-peers';
import { median, writeReport } from './support/report';

const CALLS = Number(process.env.BENCH_CALLS ?? 1_500);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 7);
const STREAMS = 300;
const STATEMENT_CALLS = 3_000;

type Variant = 'round trip' | 'bare statement' | 'keystone';

/** One call of a variant; each store's streams move on from where its last call left them. */
function caller(store: BenchStore, prefix: string): () => Promise<void> {
  const versions = new Map<string, number>();
  let n = 0;
  return async () => {
    const streamId = `${prefix}-${n++ % STREAMS}`;
    const expected = versions.get(streamId) ?? 0;
    await store.append(streamId, 1, expected);
    versions.set(streamId, expected + 1);
  };
}

async function main(): Promise<void> {
  const server = await startPostgres(ensureServiceBinaries().postgresBin, { durable: true });
  try {
    const admin = new Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
    await admin.end();
    server.halt();
    server.resume();
    const sql = new Client({ connectionString: server.url });
    await sql.connect();
    await sql.query('CREATE EXTENSION pg_stat_statements');
    await sql.query(`ALTER SYSTEM SET pg_stat_statements.track = 'all'`);
    await sql.query('CREATE DATABASE bench_bare');
    const bareUrl = new URL(server.url);
    bareUrl.pathname = '/bench_bare';

    const ping = new Client({ connectionString: server.url });
    await ping.connect();
    const stores = {
      bare: await openStore('bare-postgres', bareUrl.toString(), 1),
      keystone: await openStore('keystone-postgres', server.url, 1),
    };
    const calls: Record<Variant, () => Promise<void>> = {
      'round trip': async () => {
        await ping.query({ name: 'ping', text: 'SELECT 1 AS one' });
      },
      'bare statement': caller(stores.bare, 'bare'),
      keystone: caller(stores.keystone, 'keystone'),
    };
    const order = Object.keys(calls) as Variant[];
    const microseconds: Record<string, Record<Variant, number[]>> = {};
    for (const commit of ['on', 'off']) {
      await sql.query(`ALTER SYSTEM SET synchronous_commit = ${commit}`);
      await sql.query('SELECT pg_reload_conf()');
      const runs: Record<Variant, number[]> = {
        'round trip': [],
        'bare statement': [],
        keystone: [],
      };
      microseconds[commit] = runs;
      for (let block = 0; block < BLOCKS; block++) {
        for (const variant of block % 2 ? [...order].reverse() : order) {
          const started = process.hrtime.bigint();
          for (let i = 0; i < CALLS; i++) await calls[variant]();
          const us = Number(process.hrtime.bigint() - started) / 1e3 / CALLS;
          if (block > 0) runs[variant].push(Math.round(us));
        }
      }
      for (const variant of order)
        console.log(
          `synchronous_commit ${commit}, ${variant}: ${median(runs[variant])} µs a call (blocks ${runs[variant].join(', ')})`,
        );
    }

    await sql.query(`ALTER SYSTEM SET synchronous_commit = on`);
    await sql.query('SELECT pg_reload_conf()');
    const statements: Record<
      string,
      { toplevel: boolean; calls: number; us: number; query: string }[]
    > = {};
    for (const [name, call] of [
      ['bare statement', calls['bare statement']],
      ['keystone', calls.keystone],
    ] as const) {
      await sql.query('SELECT pg_stat_statements_reset()');
      for (let i = 0; i < STATEMENT_CALLS; i++) await call();
      const { rows } = await sql.query<{
        toplevel: boolean;
        calls: string;
        us: string;
        query: string;
      }>(
        `SELECT toplevel, calls, round((total_exec_time * 1000 / calls)::numeric, 1) AS us,
                left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS query
           FROM pg_stat_statements WHERE calls >= $1 ORDER BY toplevel DESC, total_exec_time DESC`,
        [STATEMENT_CALLS],
      );
      statements[name] = rows.map((r) => ({ ...r, calls: Number(r.calls), us: Number(r.us) }));
      console.log(
        `${name}, the server's time per statement (µs, ${STATEMENT_CALLS} appends, durable):`,
      );
      for (const r of statements[name])
        console.log(
          `  ${r.toplevel ? 'top   ' : 'inside'} ${String(r.us).padStart(7)}  ${r.query}`,
        );
    }

    await Promise.all([stores.bare.close(), stores.keystone.close(), ping.end(), sql.end()]);
    const medians = Object.fromEntries(
      Object.entries(microseconds).map(([commit, runs]) => [
        commit,
        Object.fromEntries(order.map((v) => [v, median(runs[v])])),
      ]),
    );
    writeReport('pg-single-call', {
      setup: `1 client, single-event appends over ${STREAMS} streams with the expected version, one durable PostgreSQL; ${BLOCKS} blocks of ${CALLS} calls per variant, alternating, the first unmeasured; statements: ${STATEMENT_CALLS} appends per store with pg_stat_statements (track = all)`,
      microsecondsPerCall: { medians, blocks: microseconds },
      statements,
    });
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
