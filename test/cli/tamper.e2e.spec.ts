import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import Database from 'better-sqlite3';
import { type EventStore } from '@keystone/event-store';
import { PostgresEventStore, SqliteEventStore } from '@keystone/event-store/adapters';
import { testEvents } from '@keystone/event-store/testing/test-events';
import { testPostgresUrl, uniqueSchema } from '../support/test-env';
import { assertBuilt, keystone } from './cli-harness';

/**
 * Each kind of change made directly in the database is found by `keystone verify` (the real binary),
 * named precisely, with exit code 1; an untouched log exits 0. On both stores.
 */
interface Target {
  readonly env: Record<string, string>;
  /** Runs SQL straight on the database, behind Keystone's back (append-only triggers off). */
  tamper(sql: string): Promise<void>;
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
    tamper: async (sql) => {
      const db = new Database(path);
      db.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
      db.exec(sql);
      db.close();
    },
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
    tamper: async (sql) => {
      await pool.query('ALTER TABLE keystone_events DISABLE TRIGGER USER');
      await pool.query(sql);
    },
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

  const verify = () => {
    const run = keystone(['verify', '--json'], target.env);
    return {
      code: run.code,
      findings:
        run.code === 0 || run.code === 1 ? (JSON.parse(run.stdout).findings as any[]) : run.stderr,
    };
  };

  it('passes an untouched log with exit code 0', () => {
    expect(verify()).toEqual({ code: 0, findings: [] });
    const text = keystone(['verify'], target.env);
    expect(text.stdout).toContain('verify: 7 events in 2 streams, up to position 7');
  });

  it('names an edited event', async () => {
    await target.tamper(
      `UPDATE ${target.table} SET data = ${json(kind, '{"n":999}')} WHERE global_position = 3`,
    );
    const { code, findings } = verify();
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
    const { code, findings } = verify();
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
    const { code, findings } = verify();
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
    const { code, findings } = verify();
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
    const { code, findings } = verify();
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
});
