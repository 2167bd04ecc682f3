import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import Database from 'better-sqlite3';
import {
  canonicalJson,
  chainHash,
  GENESIS_HASH,
  logHash,
  type EventStore,
} from '@keystone/event-store';
import {
  openEventStore,
  PostgresEventStore,
  SqliteEventStore,
} from '@keystone/event-store/adapters';
import { testEvents } from '@keystone/event-store/testing/test-events';
import { SQLITE_TRIGGERS } from '@keystone/event-store/adapters';
import { testPostgresUrl, uniqueSchema } from '../support/test-env';
import { assertBuilt, keystone } from './cli-harness';

/**
 * Each kind of change made directly in the database is found by `keystone verify` (the real binary),
 * named precisely, with exit code 1; an untouched log exits 0. On both stores.
 */
interface Target {
  readonly env: Record<string, string>;
  /** Runs SQL straight on the database, behind Keystone's back (append-only triggers off, then back on). */
  tamper(sql: string, keepTriggersOff?: boolean): Promise<void>;
  /** The log as bytes: the SQLite file, or PostgreSQL's rows and triggers, to show verify changes nothing. */
  snapshot(): Buffer | Promise<Buffer>;
  readonly table: string;
  readonly streams: string;
  close(): Promise<void>;
}

const dir = mkdtempSync(join(tmpdir(), 'keystone-tamper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(assertBuilt);

async function seed(store: EventStore): Promise<void> {
  await store.append('case-a', testEvents(4), 'no_stream'); // positions 1-4
  await store.append('case-b', testEvents(2), 'no_stream'); // positions 5-6
  await store.append('case-a', testEvents(1), 4); // position 7, case-a v5
}

async function sqliteTarget(): Promise<Target> {
  const path = join(dir, `${uniqueSchema('t')}.db`);
  const store = new SqliteEventStore({ path });
  await seed(store);
  await store.close();
  return {
    env: { KEYSTONE_SQLITE_PATH: path },
    table: 'events',
    streams: 'streams',
    tamper: async (sql, keepTriggersOff = false) => {
      const db = new Database(path);
      db.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
      db.exec(sql);
      if (!keepTriggersOff) db.exec(SQLITE_TRIGGERS);
      db.close();
    },
    snapshot: () => readFileSync(path),
    close: async () => undefined,
  };
}

async function postgresTarget(): Promise<Target> {
  const schema = uniqueSchema('tamper');
  const store = await PostgresEventStore.connect({ connectionString: testPostgresUrl(), schema });
  await seed(store);
  await store.close();
  const pool = new Pool({
    connectionString: testPostgresUrl(),
    options: `-c search_path=${schema}`,
    max: 1,
  });
  return {
    env: {
      KEYSTONE_STORE: 'postgres',
      KEYSTONE_POSTGRES_URL: testPostgresUrl(),
      KEYSTONE_POSTGRES_SCHEMA: schema,
      KEYSTONE_AUTH_SECRET: 'tamper-test-'.padEnd(40, 'x'),
    },
    table: 'keystone_events',
    streams: 'keystone_streams',
    tamper: async (sql, keepTriggersOff = false) => {
      await pool.query('ALTER TABLE keystone_events DISABLE TRIGGER USER');
      await pool.query(sql);
      if (!keepTriggersOff) await pool.query('ALTER TABLE keystone_events ENABLE TRIGGER USER');
    },
    snapshot: async () =>
      Buffer.from(
        JSON.stringify(
          (
            await pool.query(
              `SELECT (SELECT json_agg(e ORDER BY global_position) FROM keystone_events e) AS events,
                      (SELECT json_agg(t ORDER BY tgname) FROM (SELECT tgname, tgenabled FROM pg_trigger
                         WHERE tgrelid = 'keystone_events'::regclass AND NOT tgisinternal) t) AS triggers`,
            )
          ).rows,
        ),
      ),
    close: () => pool.end(),
  };
}

const json = (db: 'sqlite' | 'postgres', value: string) =>
  db === 'postgres' ? `'${value}'::json` : `'${value}'`;

describe.each(['sqlite', 'postgres'] as const)('keystone verify finds tampering [%s]', (kind) => {
  let target: Target;
  beforeEach(
    async () => (target = kind === 'sqlite' ? await sqliteTarget() : await postgresTarget()),
  );
  afterEach(() => target.close());

  const verifySync = (threads: number) => {
    const run = keystone(['verify', '--json', '--threads', String(threads)], target.env);
    const report = run.code === 0 || run.code === 1 ? JSON.parse(run.stdout) : null;
    if (report) delete report.seconds;
    return { code: run.code, report, findings: report ? (report.findings as any[]) : run.stderr };
  };
  /**
   * Every verify in this suite also shows that it left the log exactly as it found it, and that
   * walking the log in parts at once (a thread each) reports exactly what the whole walk does.
   */
  const verified = async () => {
    const before = await target.snapshot();
    const { report, ...result } = verifySync(1);
    expect(verifySync(3)).toEqual({ ...result, report });
    expect((await target.snapshot()).equals(before)).toBe(true);
    return result;
  };

  it('passes an untouched log with exit code 0', async () => {
    expect(await verified()).toEqual({ code: 0, findings: [] });
    const text = keystone(['verify'], target.env);
    expect(text.stdout).toContain('verify: 7 events in 2 streams, up to position 7');
    // Started from another folder, each thread still finds Keystone's modules and proves its part
    // (a thread that cannot says so, and the log is walked whole).
    const elsewhere = keystone(['verify', '--threads', '3'], target.env, undefined, tmpdir());
    expect(elsewhere.code).toBe(0);
    expect(elsewhere.stderr).not.toContain('could not walk its part');
  });

  it('names an edited event', async () => {
    await target.tamper(
      `UPDATE ${target.table} SET data = ${json(kind, '{"n":999}')} WHERE global_position = 3`,
    );
    const { code, findings } = await verified();
    expect(code).toBe(1);
    expect(findings).toEqual([
      expect.objectContaining({
        problem: 'hash-mismatch',
        streamId: 'case-a',
        streamVersion: 3,
        globalPosition: 3,
      }),
    ]);
    const text = keystone(['verify'], target.env);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /hash-mismatch in case-a v3 at position 3: expected [0-9a-f]{64}, found [0-9a-f]{64}/,
    );
  });

  it('names a deleted event', async () => {
    await target.tamper(`DELETE FROM ${target.table} WHERE global_position = 2`);
    const { code, findings } = await verified();
    expect(code).toBe(1);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          problem: 'position-gap',
          globalPosition: 3,
          expected: '2',
          found: '3',
        }),
        expect.objectContaining({
          problem: 'version-gap',
          streamId: 'case-a',
          streamVersion: 3,
          expected: '2',
        }),
      ]),
    );
  });

  it('names the deleted last event of the log', async () => {
    await target.tamper(`DELETE FROM ${target.table} WHERE global_position = 7`);
    const { code, findings } = await verified();
    expect(code).toBe(1);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ problem: 'head-mismatch', streamId: 'case-a', streamVersion: 5 }),
      ]),
    );
  });

  it('names an inserted event', async () => {
    await target.tamper(
      `INSERT INTO ${target.table} (global_position, event_id, stream_id, stream_version, type, schema_version, data, ${kind === 'sqlite' ? 'actor, role, correlation_id, causation_id, occurred_at, recorded_at, extra' : 'metadata'}, hash)
       VALUES (8, '0190f5e2-0000-7000-8000-00000000abcd', 'case-b', 3, 'SomethingHappened', 1, ${json(kind, '{"n":1}')},
       ${kind === 'sqlite' ? "'forger', 'case-officer', 'c', NULL, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', NULL" : `'{"actor":"forger","role":"case-officer","correlationId":"c","causationId":null,"occurredAt":"2026-01-01T00:00:00.000Z","recordedAt":"2026-01-01T00:00:00.000Z"}'::json`},
       '${'f'.repeat(64)}')`,
    );
    const { code, findings } = await verified();
    expect(code).toBe(1);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          problem: 'hash-mismatch',
          streamId: 'case-b',
          streamVersion: 3,
          globalPosition: 8,
        }),
        expect.objectContaining({ problem: 'head-mismatch', streamId: 'case-b' }),
      ]),
    );
  });

  it('names reordered events', async () => {
    await target.tamper(
      `UPDATE ${target.table} SET global_position = 100 WHERE global_position = 2;
       UPDATE ${target.table} SET global_position = 2 WHERE global_position = 3;
       UPDATE ${target.table} SET global_position = 3 WHERE global_position = 100;`,
    );
    const { code, findings } = await verified();
    expect(code).toBe(1);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          problem: 'version-gap',
          streamId: 'case-a',
          globalPosition: 2,
          expected: '2',
          found: '3',
        }),
      ]),
    );
  });

  it('names a swap of two events of different streams, which every stream chain allows', async () => {
    // case-a v4 (position 4) and case-b v1 (position 5) trade places: each stream keeps its order.
    await target.tamper(
      `UPDATE ${target.table} SET global_position = 100 WHERE global_position = 4;
       UPDATE ${target.table} SET global_position = 4 WHERE global_position = 5;
       UPDATE ${target.table} SET global_position = 5 WHERE global_position = 100;`,
    );
    const { code, findings } = await verified();
    expect(code).toBe(1);
    expect((findings as any[]).map((f) => f.problem)).not.toContain('version-gap');
    expect((findings as any[]).map((f) => f.problem)).not.toContain('hash-mismatch');
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          problem: 'log-hash-mismatch',
          globalPosition: 4,
          streamId: 'case-b',
        }),
        expect.objectContaining({
          problem: 'log-hash-mismatch',
          globalPosition: 5,
          streamId: 'case-a',
        }),
      ]),
    );
    expect(keystone(['verify'], target.env).stdout).toMatch(
      /log-hash-mismatch in case-b v1 at position 4: expected [0-9a-f]{64}, found [0-9a-f]{64}/,
    );
  });

  it('names a whole stream deleted with the later positions renumbered and its head removed', async () => {
    await target.tamper(
      `DELETE FROM ${target.table} WHERE stream_id = 'case-b';
       UPDATE ${target.table} SET global_position = 5 WHERE global_position = 7;
       DELETE FROM ${target.streams} WHERE stream_id = 'case-b';`,
    );
    const { code, findings } = await verified();
    expect(code).toBe(1);
    // Every stream chain, version and position still runs on; the log chain does not. (PostgreSQL's
    // log head also still counts 7 events: a missing tail.)
    expect(findings).toEqual([
      expect.objectContaining({
        problem: 'log-hash-mismatch',
        globalPosition: 5,
        streamId: 'case-a',
        streamVersion: 5,
      }),
      ...(kind === 'postgres'
        ? [expect.objectContaining({ problem: 'missing-tail', found: 'events up to position 5' })]
        : []),
    ]);
  });

  it('names append-only triggers dropped or disabled, and does not put them back', async () => {
    await target.tamper('SELECT 1', true);
    const { code, findings } = await verified();
    expect(code).toBe(1);
    const names =
      kind === 'sqlite'
        ? ['trigger events_no_update', 'trigger events_no_delete']
        : [
            'trigger keystone_events_no_change (disabled)',
            'trigger keystone_events_no_truncate (disabled)',
          ];
    expect(findings).toEqual(
      names.map((name) =>
        expect.objectContaining({
          problem: 'safeguard-missing',
          expected: `the log's append-only ${name}`,
        }),
      ),
    );
    // Read-only: a second run finds exactly the same (nothing was re-created in between).
    expect((await verified()).findings).toHaveLength(2);
  });

  it('catches, against a signed checkpoint, a rewrite from before it with every hash recomputed', async () => {
    const key = join(dir, `${uniqueSchema('key')}.pem`);
    const env = { ...target.env, KEYSTONE_EVIDENCE_KEY_FILE: key };
    const published = join(dir, `${uniqueSchema('checkpoint')}.json`);
    const taken = keystone(['checkpoint', '--out', published], env);
    expect(taken.code).toBe(0);
    expect(taken.stdout).toMatch(/^checkpoint: position 7, log hash [0-9a-f]{64}/);
    const pinned = join(dir, `${uniqueSchema('pinned')}.pem`);
    expect(keystone(['public-key', '--out', pinned], env).code).toBe(0);
    expect(keystone(['verify', '--against', published, '--public-key', pinned], env).code).toBe(0);

    // The forger rewrites case-a v2 (position 2), recomputes every stream hash and log hash after
    // it and the stream head, and removes the checkpoint kept beside the log.
    await target.tamper(await rewriteFrom(target, kind, 2, { n: 999 }));
    const plain = await verified();
    expect(plain).toEqual({ code: 0, findings: [] }); // undetectable without an outside anchor
    const run = keystone(['verify', '--against', published, '--public-key', pinned, '--json'], env);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings).toEqual([
      expect.objectContaining({
        problem: 'checkpoint-mismatch',
        globalPosition: 7,
        expected: expect.stringContaining(JSON.parse(readFileSync(published, 'utf8')).logHash),
      }),
    ]);
    // A checkpoint signed by a key that is not pinned is no anchor.
    const stranger = keystone(['verify', '--against', published], env);
    expect(stranger.code).toBe(1);
    expect(stranger.stdout).toMatch(/checkpoint-signature .*no trusted key was given/);
  });

  it('exits 2 with a one-line reason when it cannot reach the store', () => {
    const run = keystone(['verify'], {
      ...target.env,
      KEYSTONE_STORE: 'postgres',
      KEYSTONE_POSTGRES_URL: 'postgres://nobody@127.0.0.1:1/x',
      KEYSTONE_AUTH_SECRET: 'x'.repeat(40),
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/cannot be reached/);
  });

  it('exits 2 naming a --threads that is not a number of threads', () => {
    const run = keystone(['verify', '--threads', 'two'], target.env);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('--threads must be a whole number from 1 to 999, got "two"');
  });
});

/**
 * What a forger with the database and Keystone's documents does: change one event's data, recompute
 * the stream chain and every log hash from there, move the stream head, and delete the checkpoints
 * kept beside the log. Returns the SQL.
 */
async function rewriteFrom(
  target: Target,
  kind: 'sqlite' | 'postgres',
  position: number,
  data: { n: number },
): Promise<string> {
  const store = await openEventStore(
    kind === 'sqlite'
      ? { kind: 'sqlite', path: target.env.KEYSTONE_SQLITE_PATH }
      : {
          kind: 'postgres',
          url: target.env.KEYSTONE_POSTGRES_URL,
          schema: target.env.KEYSTONE_POSTGRES_SCHEMA,
        },
  );
  const events = await store.readAll({ raw: true });
  await store.close();
  const heads = new Map<string, string>();
  let previousLog = GENESIS_HASH;
  const statements: string[] = [];
  for (const event of events) {
    const previous = heads.get(event.streamId) ?? GENESIS_HASH;
    const edited = event.globalPosition === position ? { ...event, data } : event;
    const hash = chainHash(previous, edited);
    heads.set(event.streamId, hash);
    previousLog = logHash(previousLog, event.globalPosition, hash);
    const dataSql =
      kind === 'postgres'
        ? `'${JSON.stringify(edited.data)}'::json`
        : `'${canonicalJson(edited.data)}'`;
    if (event.globalPosition >= position)
      statements.push(
        `UPDATE ${target.table} SET data = ${dataSql}, hash = '${hash}', log_hash = '${previousLog}' WHERE global_position = ${event.globalPosition};`,
      );
  }
  for (const [streamId, hash] of heads)
    statements.push(
      `UPDATE ${target.streams} SET head_hash = '${hash}' WHERE stream_id = '${streamId}';`,
    );
  if (kind === 'postgres')
    statements.push(`UPDATE keystone_log_head SET last_log_hash = '${previousLog}';`);
  statements.push('DELETE FROM keystone_checkpoints;');
  return statements.join('\n');
}
