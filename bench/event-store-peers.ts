/**
 * The event log beside its peers, in one run on one machine: Keystone's PostgreSQL adapter against
 * Emmett's PostgreSQL event store (@event-driven-io/emmett-postgresql, pinned), and Keystone's SQLite
 * adapter against a bare better-sqlite3 transaction (the physical limit here). Runs alternate
 * (peer, Keystone, floor, peer, Keystone, floor, …) on one PostgreSQL server, each store in a
 * database of its own, so drift in the machine falls on all. The floor of each PostgreSQL row is a
 * bare statement per append (version check, insert, head move: one round trip, one durable commit of
 * its own, nothing else). With one client nothing can share a commit, so no durable store appends
 * faster than it; with more, a store that puts many appends in one commit can pass it. Every row:
 * appends with the expected stream version over hundreds of streams, then every stream read back and counted (a store that lost an event fails
 * the bench). Used by bench/event-store.ts; `node … bench/event-store-peers.ts worker …` is the
 * child of the two-process rows.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { Client, Pool } from 'pg';
import { newEventId, type EventStore, type NewEvent } from '@keystone/event-store';
import { PostgresEventStore, SqliteEventStore } from '@keystone/event-store/adapters';
import { runTogether } from './support/workers';

const STREAMS = 400;

/** What a store must do for the bench: append with an expected version, read a stream back. */
export interface BenchStore {
  append(streamId: string, events: number, expected: number): Promise<void>;
  count(streamId: string): Promise<number>;
  close(): Promise<void>;
}

export interface Workload {
  name: string;
  clients: number;
  processes: number;
  eventsPerAppend: number;
  appends: number;
}

export interface PeerRow {
  workload: Workload;
  goal: number;
  peer: string;
  runs: { peer: number; keystone: number; ratio: number; floor?: number }[];
  medianRatio: number;
  medianPeerPerSecond: number;
  medianKeystonePerSecond: number;
  /** PostgreSQL rows: the bare statement's rate, and the goal as a fraction of it (over 1: above it). */
  floor?: { medianPerSecond: number; keystoneFraction: number; goalFraction: number };
  unit: 'appends/s' | 'events/s';
  met: boolean;
}

function payload(n: number) {
  return {
    data: {
      caseId: `case-${n}`,
      period: 12,
      statuses: [{ recommendation: 'UPR 123.45', status: 'in-progress' }],
      narrative: 'Workshops held with the NHRI.',
    },
    metadata: {
      actor: 'officer:bench',
      role: 'case-officer',
      correlationId: newEventId(),
      occurredAt: '2026-03-01T00:00:00.000Z',
    },
  };
}

/** The event every event-log benchmark appends: a progress report of a realistic size. */
export function benchEvent(n: number): NewEvent {
  return { eventId: newEventId(), type: 'ProgressReported', ...payload(n) };
}

function keystoneEvents(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => benchEvent(i));
}

function keystone(store: EventStore): BenchStore {
  return {
    append: async (streamId, events, expected) => {
      await store.append(streamId, keystoneEvents(events), expected);
    },
    count: async (streamId) => (await store.readStream(streamId)).length,
    close: () => store.close(),
  };
}

async function emmett(url: string): Promise<BenchStore> {
  const { getPostgreSQLEventStore } = await import('@event-driven-io/emmett-postgresql');
  const store = getPostgreSQLEventStore(url, { schema: { autoMigration: 'CreateOrUpdate' } });
  await store.schema.migrate();
  return {
    append: async (streamId, events, expected) => {
      await store.appendToStream(
        streamId,
        Array.from({ length: events }, (_, i) => ({ type: 'ProgressReported', ...payload(i) })),
        { expectedStreamVersion: BigInt(expected) },
      );
    },
    count: async (streamId) => (await store.readStream(streamId)).events.length,
    close: () => store.close(),
  };
}

/** A bare better-sqlite3 transaction: read the stream's version, check it, insert, move the head. */
export function bareSqlite(path: string): BenchStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE,
             stream_id TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL,
             metadata TEXT NOT NULL, UNIQUE (stream_id, version));
           CREATE TABLE streams (stream_id TEXT PRIMARY KEY, version INTEGER NOT NULL);`);
  const head = db.prepare<[string], { version: number }>(
    'SELECT version FROM streams WHERE stream_id = ?',
  );
  const insert = db.prepare(
    'INSERT INTO events (event_id, stream_id, version, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const move = db.prepare(
    'INSERT INTO streams (stream_id, version) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version',
  );
  const append = db.transaction((streamId: string, events: number, expected: number) => {
    const actual = head.get(streamId)?.version ?? 0;
    if (actual !== expected) throw new Error(`${streamId} is at ${actual}, not ${expected}`);
    for (let i = 0; i < events; i++) {
      const { data, metadata } = payload(i);
      insert.run(
        newEventId(),
        streamId,
        actual + i + 1,
        'ProgressReported',
        JSON.stringify(data),
        JSON.stringify(metadata),
      );
    }
    move.run(streamId, actual + events);
  });
  const count = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM events WHERE stream_id = ?',
  );
  return {
    append: async (streamId, events, expected) => append(streamId, events, expected),
    count: async (streamId) => count.get(streamId)!.n,
    close: async () => {
      db.close();
    },
  };
}

/**
 * The floor: one statement per append in its own transaction (autocommit), a connection per client,
 * so PostgreSQL's own group commit merges the commits of clients that wait at once. The stream's
 * version is checked by the row it moves (or, expected 0, by creating it); no hashes, no gap-free
 * positions (a sequence), no receipts, no notification.
 */
async function barePostgres(url: string, clients: number): Promise<BenchStore> {
  const pool = new Pool({ connectionString: url, max: clients });
  await pool.query(`CREATE TABLE IF NOT EXISTS bare_events (position BIGSERIAL PRIMARY KEY,
      event_id UUID NOT NULL UNIQUE, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
      type TEXT NOT NULL, data JSON NOT NULL, metadata JSON NOT NULL, UNIQUE (stream_id, version));
    CREATE TABLE IF NOT EXISTS bare_streams (stream_id TEXT PRIMARY KEY, version INTEGER NOT NULL);`);
  const append = {
    name: 'bare_append',
    text: `WITH moved AS (
        UPDATE bare_streams SET version = $2 + $3 WHERE stream_id = $1 AND version = $2 RETURNING 1
      ), created AS (
        INSERT INTO bare_streams (stream_id, version) SELECT $1, $3 WHERE $2 = 0 RETURNING 1
      )
      INSERT INTO bare_events (event_id, stream_id, version, type, data, metadata)
      SELECT e.id, $1, $2 + e.n, 'ProgressReported', e.data, e.metadata
      FROM unnest($4::uuid[], $5::json[], $6::json[]) WITH ORDINALITY AS e(id, data, metadata, n)
      WHERE EXISTS (SELECT 1 FROM moved UNION ALL SELECT 1 FROM created)`,
  };
  return {
    append: async (streamId, events, expected) => {
      const payloads = Array.from({ length: events }, (_, i) => payload(i));
      const { rowCount } = await pool.query({
        ...append,
        values: [
          streamId,
          expected,
          events,
          payloads.map(() => newEventId()),
          payloads.map((p) => JSON.stringify(p.data)),
          payloads.map((p) => JSON.stringify(p.metadata)),
        ],
      });
      if (rowCount !== events) throw new Error(`${streamId} is not at version ${expected}`);
    },
    count: async (streamId) =>
      Number(
        (
          await pool.query<{ n: string }>(
            'SELECT count(*) AS n FROM bare_events WHERE stream_id = $1',
            [streamId],
          )
        ).rows[0].n,
      ),
    close: () => pool.end(),
  };
}

/** Client `index` of `of` owns the streams congruent to it: real version checks, no conflicts. */
async function drive(
  store: BenchStore,
  prefix: string,
  clientIndexes: number[],
  of: number,
  appends: number,
  eventsPerAppend: number,
): Promise<{ appends: number; startedAt: number; endedAt: number }> {
  const versions = new Map<string, number>();
  const perClient = Math.ceil(appends / clientIndexes.length);
  const startedAt = Date.now();
  await Promise.all(
    clientIndexes.map(async (client) => {
      const mine = Array.from(
        { length: Math.ceil(STREAMS / of) },
        (_, i) => `${prefix}-${i * of + client}`,
      );
      for (let n = 0; n < perClient; n++) {
        const streamId = mine[n % mine.length];
        const expected = versions.get(streamId) ?? 0;
        await store.append(streamId, eventsPerAppend, expected);
        versions.set(streamId, expected + eventsPerAppend);
      }
    }),
  );
  const endedAt = Date.now();
  for (const [streamId, version] of versions) {
    const read = await store.count(streamId);
    if (read !== version)
      throw new Error(`${streamId}: ${read} events read back, ${version} written`);
  }
  return { appends: perClient * clientIndexes.length, startedAt, endedAt };
}

export type StoreName = 'emmett' | 'keystone-postgres' | 'bare-postgres';

export async function openStore(
  name: StoreName,
  url: string,
  clients: number,
): Promise<BenchStore> {
  if (name === 'emmett') return emmett(url);
  if (name === 'bare-postgres') return barePostgres(url, clients);
  return keystone(await PostgresEventStore.connect({ connectionString: url, schema: 'bench' }));
}

/** One run of a workload on one store; two-process rows spawn two workers started together. */
async function runOnce(
  name: StoreName,
  url: string,
  workload: Workload,
  prefix: string,
): Promise<number> {
  // appends/s for single-event rows, events/s for the others: appends × events each, per second.
  const perSecond = (appends: number, ms: number) =>
    Math.round(((appends * workload.eventsPerAppend) / ms) * 1000);
  if (workload.processes === 1) {
    const store = await openStore(name, url, workload.clients);
    try {
      const clients = Array.from({ length: workload.clients }, (_, i) => i);
      const run = await drive(
        store,
        prefix,
        clients,
        workload.clients,
        workload.appends,
        workload.eventsPerAppend,
      );
      return perSecond(run.appends, run.endedAt - run.startedAt);
    } finally {
      await store.close();
    }
  }
  const perProcess = workload.clients / workload.processes;
  const workers = Array.from({ length: workload.processes }, (_, p) =>
    spawn(
      process.execPath,
      [
        ...process.execArgv,
        __filename,
        'worker',
        name,
        url,
        prefix,
        JSON.stringify(Array.from({ length: perProcess }, (_, c) => p * perProcess + c)),
        String(workload.clients),
        String(workload.appends / workload.processes),
        String(workload.eventsPerAppend),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    ),
  );
  const { appends, ms } = await runTogether(workers);
  return perSecond(appends, ms);
}

async function worker(args: string[]): Promise<void> {
  const [name, url, prefix, clients, of, appends, eventsPerAppend] = args;
  const mine = JSON.parse(clients) as number[];
  const store = await openStore(name as StoreName, url, mine.length);
  // A fresh process: its connections, prepared statements and compiled code are warmed by an
  // unmeasured run of its own first, as the one-process rows are by the run before the pairs.
  await drive(
    store,
    `${prefix}warm`,
    mine,
    Number(of),
    Number(appends) / 4,
    Number(eventsPerAppend),
  );
  process.stdout.write('READY\n');
  await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
  const run = await drive(
    store,
    prefix,
    mine,
    Number(of),
    Number(appends),
    Number(eventsPerAppend),
  );
  process.stdout.write(`${JSON.stringify(run)}\n`);
  await store.close();
  process.exit(0);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function row(workload: Workload, goal: number, peer: string, runs: PeerRow['runs']): PeerRow {
  const medianRatio = Math.round(median(runs.map((r) => r.ratio)) * 100) / 100;
  const floors = runs.flatMap((r) => (r.floor ? [r.floor] : []));
  const fraction = (x: number) => Math.round((x / median(floors)) * 100) / 100;
  return {
    workload,
    goal,
    peer,
    runs,
    medianRatio,
    medianPeerPerSecond: median(runs.map((r) => r.peer)),
    medianKeystonePerSecond: median(runs.map((r) => r.keystone)),
    unit: workload.eventsPerAppend > 1 ? 'events/s' : 'appends/s',
    met: medianRatio >= goal,
    ...(floors.length > 0 && {
      floor: {
        medianPerSecond: median(floors),
        keystoneFraction: fraction(median(runs.map((r) => r.keystone))),
        goalFraction: fraction(goal * median(runs.map((r) => r.peer))),
      },
    }),
  };
}

export const POSTGRES_WORKLOADS: { workload: Workload; goal: number }[] = [
  {
    workload: {
      name: '8 clients, 1 process, single-event appends',
      clients: 8,
      processes: 1,
      eventsPerAppend: 1,
      appends: 4_000,
    },
    goal: 3,
  },
  {
    workload: {
      name: '1 client, single-event appends',
      clients: 1,
      processes: 1,
      eventsPerAppend: 1,
      appends: 1_500,
    },
    goal: 1.5,
  },
  {
    workload: {
      name: '2 processes × 4 clients, single-event appends',
      clients: 8,
      processes: 2,
      eventsPerAppend: 1,
      appends: 4_000,
    },
    goal: 3,
  },
  {
    workload: {
      name: '8 clients, 10-event appends',
      clients: 8,
      processes: 1,
      eventsPerAppend: 10,
      appends: 1_000,
    },
    goal: 2,
  },
];

/** Keystone's PostgreSQL adapter against Emmett's, `rounds` alternating pairs per workload. */
export async function postgresPeers(serverUrl: string, rounds: number): Promise<PeerRow[]> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE bench_emmett');
  await admin.query('CREATE DATABASE bench_keystone');
  await admin.query('CREATE DATABASE bench_bare');
  await admin.end();
  const urlOf = (db: string) => serverUrl.replace(/\/[^/]*$/, `/${db}`);
  const rows: PeerRow[] = [];
  for (const [w, { workload, goal }] of POSTGRES_WORKLOADS.entries()) {
    const runs: PeerRow['runs'] = [];
    // One unmeasured run of each first: connections, prepared statements and compiled code warm, so
    // the first measured pair is not the one that pays for them.
    await runOnce('emmett', urlOf('bench_emmett'), workload, `w${w}warm`);
    await runOnce('keystone-postgres', urlOf('bench_keystone'), workload, `w${w}warm`);
    await runOnce('bare-postgres', urlOf('bench_bare'), workload, `w${w}warm`);
    for (let round = 0; round < rounds; round++) {
      const prefix = `w${w}r${round}`;
      const peer = await runOnce('emmett', urlOf('bench_emmett'), workload, prefix);
      const ours = await runOnce('keystone-postgres', urlOf('bench_keystone'), workload, prefix);
      const floor = await runOnce('bare-postgres', urlOf('bench_bare'), workload, prefix);
      runs.push({ peer, keystone: ours, ratio: Math.round((ours / peer) * 100) / 100, floor });
      console.log(
        `  ${workload.name}, round ${round + 1}: Emmett ${peer}, Keystone ${ours}, bare statement ${floor}`,
      );
    }
    rows.push(row(workload, goal, 'emmett-postgresql 0.42.0', runs));
  }
  return rows;
}

/** Keystone's SQLite adapter as a fraction of a bare better-sqlite3 transaction doing the same. */
export async function sqliteAgainstBare(rounds: number): Promise<PeerRow> {
  const workload: Workload = {
    name: 'SQLite, 1 client, single-event appends',
    clients: 1,
    processes: 1,
    eventsPerAppend: 1,
    appends: 20_000,
  };
  const dir = mkdtempSync(join(tmpdir(), 'keystone-bench-peers-'));
  const runs: PeerRow['runs'] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const measure = async (store: BenchStore) => {
        try {
          const run = await drive(store, `r${round}`, [0], 1, workload.appends, 1);
          return Math.round((run.appends / (run.endedAt - run.startedAt)) * 1000);
        } finally {
          await store.close();
        }
      };
      const bare = await measure(bareSqlite(join(dir, `bare-${round}.db`)));
      const ours = await measure(
        keystone(new SqliteEventStore({ path: join(dir, `keystone-${round}.db`) })),
      );
      runs.push({ peer: bare, keystone: ours, ratio: Math.round((ours / bare) * 100) / 100 });
      console.log(`  ${workload.name}, round ${round + 1}: bare ${bare}, Keystone ${ours}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return row(workload, 0, 'bare better-sqlite3 transaction', runs);
}

if (require.main === module && process.argv[2] === 'worker') {
  worker(process.argv.slice(3)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
