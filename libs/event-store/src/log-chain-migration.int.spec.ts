import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import { testPostgresUrl, uniqueSchema } from '../../../test/support/test-env';
import type { EventStore } from './event-store.port';
import { GENESIS_HASH, logHash } from './hash-chain';
import { PostgresEventStore } from './postgres/postgres.event-store';
import { SqliteEventStore } from './sqlite/sqlite.event-store';
import { testEvents } from './testing/test-events';

/**
 * A log recorded before the log-wide chain existed gets its log hashes once, on the first writable
 * open, recorded as computed by migration; appends then carry the chain on; a read-only open of an
 * unmigrated log changes nothing and reports that no log hash is stored.
 */
const dir = mkdtempSync(join(tmpdir(), 'keystone-log-chain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clock = () => new Date('2026-11-27T09:00:00.000Z');

async function expectChained(store: EventStore, count: number): Promise<void> {
  let previous = GENESIS_HASH;
  const hashes: (string | null)[] = [];
  const expected: string[] = [];
  for await (const event of store.storedEvents()) {
    previous = logHash(previous, event.globalPosition, event.hash);
    expected.push(previous);
    hashes.push(event.logHash);
  }
  expect(hashes).toHaveLength(count);
  expect(hashes).toEqual(expected);
}

describe('the log chain migration', () => {
  it('SQLite: computes the log hashes of an old log once, says so, and chains new appends on', async () => {
    const path = join(dir, 'old.db');
    const first = new SqliteEventStore({ path });
    await first.append('a', testEvents(3), 'no_stream');
    await first.append('b', testEvents(2), 'no_stream');
    await first.close();
    // As a log made before the chain: no column, no migrations table.
    const raw = new Database(path);
    raw.exec('ALTER TABLE events DROP COLUMN log_hash; DROP TABLE log_migrations;');
    raw.close();

    const before = readFileSync(path);
    const readOnly = new SqliteEventStore({ path, readOnly: true });
    expect(await readOnly.logChain()).toEqual({ stored: false, migration: null });
    const walked = [];
    for await (const event of readOnly.storedEvents()) walked.push(event.logHash);
    expect(walked).toEqual([null, null, null, null, null]);
    await expect(readOnly.append('c', testEvents(1), 'no_stream')).rejects.toThrow(/read-only/);
    await readOnly.close();
    expect(readFileSync(path).equals(before)).toBe(true);

    const migrated = new SqliteEventStore({ path, clock });
    expect(await migrated.logChain()).toEqual({
      stored: true,
      migration: { throughPosition: 5, appliedAt: '2026-11-27T09:00:00.000Z' },
    });
    await migrated.append('a', testEvents(1), 3);
    await expectChained(migrated, 6);
    await migrated.close();
    // Once only, and the append-only trigger is back.
    const again = new SqliteEventStore({ path });
    expect((await again.logChain()).migration?.throughPosition).toBe(5);
    expect(() => again.database.exec("UPDATE events SET log_hash = 'x'")).toThrow(/append-only/);
    await again.close();
  });

  it('PostgreSQL: the same, under the set-up lock', async () => {
    const schema = uniqueSchema('logchain');
    const first = await PostgresEventStore.connect({ connectionString: testPostgresUrl(), schema });
    await first.append('a', testEvents(3), 'no_stream');
    await first.append('b', testEvents(2), 'no_stream');
    await first.close();
    const pool = new Pool({
      connectionString: testPostgresUrl(),
      options: `-c search_path=${schema}`,
      max: 1,
    });
    await pool.query(`ALTER TABLE keystone_events DROP COLUMN log_hash;
      ALTER TABLE keystone_log_head DROP COLUMN last_log_hash;
      DROP TABLE keystone_log_migrations;`);

    const readOnly = await PostgresEventStore.connect({
      connectionString: testPostgresUrl(),
      schema,
      readOnly: true,
    });
    expect(await readOnly.logChain()).toEqual({ stored: false, migration: null });
    await expect(readOnly.append('c', testEvents(1), 'no_stream')).rejects.toThrow(/read-only/);
    await readOnly.close();

    const migrated = await PostgresEventStore.connect({
      connectionString: testPostgresUrl(),
      schema,
    });
    const info = await migrated.logChain();
    expect(info).toEqual({
      stored: true,
      migration: { throughPosition: 5, appliedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) },
    });
    await migrated.append('a', testEvents(1), 3);
    await expectChained(migrated, 6);
    await migrated.close();
    await expect(pool.query("UPDATE keystone_events SET log_hash = 'x'")).rejects.toThrow(
      /append-only/,
    );
    await pool.end();
  });
});
