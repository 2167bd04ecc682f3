/**
 * Event log benchmark: for each adapter, single-event appends with an expected version over
 * 10,000 streams, 10-event appends, readAll over 1,000,000 events, and peak RSS. Each adapter runs
 * in a child process of its own so its peak RSS is its own. Then the peers (event-store-peers.ts):
 * Keystone's PostgreSQL adapter against Emmett's, and its SQLite adapter against a bare
 * better-sqlite3 transaction, alternating in one process, each PostgreSQL row beside a bare
 * statement per append (its floor). Prints the tables and writes bench/results/event-store.json.
 * Run with `npm run bench:event-store` (BENCH_ROUNDS: pairs per
 * peer row, after one unmeasured run of each; default 5).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@keystone/event-store';
import { PostgresEventStore, SqliteEventStore } from '@keystone/event-store/adapters';
import { ensureServiceBinaries, startPostgres } from '../test/support/local-services';
import { printResult, runInChild, writeReport } from './support/report';
import { benchEvent, postgresPeers, sqliteAgainstBare, type PeerRow } from './event-store-peers';

const STREAMS = 10_000;
const READ_ALL_EVENTS = 1_000_000;

interface AdapterFigures {
  adapter: string;
  setup: string;
  singleAppends: { appends: number; clients: number; seconds: number; appendsPerSecond: number };
  batchAppends: {
    appends: number;
    eventsPerAppend: number;
    clients: number;
    seconds: number;
    eventsPerSecond: number;
  };
  readAll: { events: number; batchSize: number; seconds: number; eventsPerSecond: number };
  peakRssMiB: number;
}

const event = benchEvent;

async function timed(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** `clients` loops share the work; each keeps its streams' versions and appends with them. */
async function singleAppends(
  stores: EventStore[],
  total: number,
): Promise<AdapterFigures['singleAppends']> {
  const versions = new Map<string, number>();
  let next = 0;
  const seconds = await timed(async () => {
    await Promise.all(
      stores.map(async (store, client) => {
        for (;;) {
          const n = next++;
          if (n >= total) return;
          // Each client owns the streams with its index modulo clients: no conflicts, real checks.
          const streamId = `case-${(n * stores.length + client) % STREAMS}`;
          const expected = versions.get(streamId) ?? 0;
          const result = await store.append(streamId, [event(n)], expected);
          versions.set(streamId, result.nextExpectedVersion);
        }
      }),
    );
  });
  return {
    appends: total,
    clients: stores.length,
    seconds,
    appendsPerSecond: Math.round(total / seconds),
  };
}

async function batchAppends(
  stores: EventStore[],
  total: number,
  size: number,
): Promise<AdapterFigures['batchAppends']> {
  let next = 0;
  const seconds = await timed(async () => {
    await Promise.all(
      stores.map(async (store) => {
        for (;;) {
          const n = next++;
          if (n >= total) return;
          await store.append(
            `batch-${n}`,
            Array.from({ length: size }, (_, i) => event(i)),
            'no_stream',
          );
        }
      }),
    );
  });
  return {
    appends: total,
    eventsPerAppend: size,
    clients: stores.length,
    seconds,
    eventsPerSecond: Math.round((total * size) / seconds),
  };
}

async function fillTo(store: EventStore, events: number): Promise<void> {
  let filler = 0;
  while ((await store.lastPosition()) < events) {
    const missing = events - (await store.lastPosition());
    const size = Math.min(1_000, missing);
    await store.append(
      `filler-${filler++}`,
      Array.from({ length: size }, (_, i) => event(i)),
      'no_stream',
    );
  }
}

async function readAll(store: EventStore, events: number): Promise<AdapterFigures['readAll']> {
  const batchSize = 10_000;
  let read = 0;
  const seconds = await timed(async () => {
    let from = 1;
    while (read < events) {
      const batch = await store.readAll({ fromPosition: from, limit: batchSize });
      if (batch.length === 0) break;
      read += batch.length;
      from = batch[batch.length - 1].globalPosition + 1;
    }
  });
  return { events: read, batchSize, seconds, eventsPerSecond: Math.round(read / seconds) };
}

async function runSqlite(): Promise<AdapterFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'keystone-bench-'));
  const store = new SqliteEventStore({ path: join(dir, 'bench.db') });
  try {
    const single = await singleAppends([store], 100_000);
    const batch = await batchAppends([store], 20_000, 10);
    await fillTo(store, READ_ALL_EVENTS);
    const all = await readAll(store, READ_ALL_EVENTS);
    return figures(
      'sqlite',
      'in-process, WAL, synchronous=NORMAL, file on local disk',
      single,
      batch,
      all,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runPostgres(): Promise<AdapterFigures> {
  const { postgresBin } = ensureServiceBinaries();
  const server = await startPostgres(postgresBin, { durable: true });
  const clients = 8;
  try {
    // One store, as one API process has: its appends are coalesced into group commits.
    const store = await PostgresEventStore.connect({
      connectionString: server.url,
      schema: 'bench',
    });
    const stores = Array.from({ length: clients }, () => store);
    const single = await singleAppends(stores, 40_000);
    const batch = await batchAppends(stores, 8_000, 10);
    await fillTo(store, READ_ALL_EVENTS);
    const all = await readAll(store, READ_ALL_EVENTS);
    await store.close();
    return figures(
      'postgres',
      `${clients} concurrent clients of one store (pool of 10), local server, fsync on`,
      single,
      batch,
      all,
    );
  } finally {
    await server.stop();
  }
}

function figures(
  adapter: string,
  setup: string,
  singleAppends: AdapterFigures['singleAppends'],
  batchAppends: AdapterFigures['batchAppends'],
  readAll: AdapterFigures['readAll'],
): AdapterFigures {
  return {
    adapter,
    setup,
    singleAppends,
    batchAppends,
    readAll,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

const GOALS = {
  sqlite: { singleAppendsPerSecond: 20_000, readAllEventsPerSecond: 500_000 },
  postgres: { singleAppendsPerSecond: 3_000 },
};

function printTable(results: AdapterFigures[]): void {
  const rows = results.map((r) => ({
    adapter: r.adapter,
    'single appends/s': r.singleAppends.appendsPerSecond,
    clients: r.singleAppends.clients,
    '10-event appends, events/s': r.batchAppends.eventsPerSecond,
    'readAll events/s': r.readAll.eventsPerSecond,
    'events read': r.readAll.events,
    'peak RSS MiB': r.peakRssMiB,
  }));
  console.table(rows);
}

async function runPeers(): Promise<PeerRow[]> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const { postgresBin } = ensureServiceBinaries();
  const server = await startPostgres(postgresBin, { durable: true });
  try {
    return [...(await postgresPeers(server.url, rounds)), await sqliteAgainstBare(rounds)];
  } finally {
    await server.stop();
  }
}

function printPeers(peers: PeerRow[]): void {
  console.table(
    peers.map((p) => ({
      workload: p.workload.name,
      against: p.peer,
      unit: p.unit,
      peer: p.medianPeerPerSecond,
      keystone: p.medianKeystonePerSecond,
      'ratios (per pair)': p.runs.map((r) => r.ratio).join(' '),
      'median ratio': p.medianRatio,
      goal: p.goal ? `≥ ${p.goal}×` : 'fraction of the limit',
      met: p.goal ? (p.met ? 'yes' : 'no') : '',
      'bare statement': p.floor?.medianPerSecond ?? '',
      'keystone / bare': p.floor?.keystoneFraction ?? '',
      'goal / bare': p.floor?.goalFraction ?? '',
    })),
  );
  console.log(
    'bare statement: one statement per append, a durable commit of its own, nothing else. With 1 client no\n' +
      'durable store passes it; goal / bare over 1 asks more than one commit per append gives on this machine.',
  );
}

async function main(): Promise<void> {
  const only = process.argv[2];
  if (only === 'sqlite' || only === 'postgres') {
    const result = only === 'sqlite' ? await runSqlite() : await runPostgres();
    printResult(result);
    return;
  }
  if (only === 'peers') {
    printResult({ peers: await runPeers() });
    return;
  }
  const results = ['sqlite', 'postgres'].map((adapter) =>
    runInChild<AdapterFigures>(__filename, [adapter], `event-store bench: running ${adapter}`),
  );
  printTable(results);
  const { peers } = runInChild<{ peers: PeerRow[] }>(
    __filename,
    ['peers'],
    'event-store bench: Keystone beside its peers, alternating',
  );
  printPeers(peers);
  writeReport('event-store', { goals: GOALS, results, peers });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
