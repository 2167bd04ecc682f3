import { runSerializedDdl } from '@keystone/event-store';
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import type { ExpertKeyStore } from '../application/personal-data';

/** Keys in the SQLite file, beside (not in) the log; secure_delete zeroes a destroyed key's bytes. */
export class SqliteExpertKeyStore implements ExpertKeyStore {
  constructor(private readonly db: Database.Database) {
    db.pragma('secure_delete = ON');
    db.exec('CREATE TABLE IF NOT EXISTS expert_keys (key_id TEXT PRIMARY KEY, key BLOB NOT NULL)');
  }

  async create(keyId: string): Promise<Buffer> {
    const key = randomBytes(32);
    this.db.prepare('INSERT INTO expert_keys (key_id, key) VALUES (?, ?)').run(keyId, key);
    return key;
  }

  async find(keyId: string): Promise<Buffer | null> {
    const row = this.db
      .prepare<[string], { key: Buffer }>('SELECT key FROM expert_keys WHERE key_id = ?')
      .get(keyId);
    return row?.key ?? null;
  }

  async destroy(keyId: string): Promise<void> {
    this.db.prepare('DELETE FROM expert_keys WHERE key_id = ?').run(keyId);
    this.db.pragma('wal_checkpoint(TRUNCATE)'); // the zeroed page replaces the old one in the file too
  }
}

/** Keys in PostgreSQL; a destroyed key's row is vacuumed away at once rather than left dead. */
export class PostgresExpertKeyStore implements ExpertKeyStore {
  private ready: Promise<unknown>;

  constructor(private readonly pool: Pool) {
    this.ready = runSerializedDdl(
      pool,
      'CREATE TABLE IF NOT EXISTS keystone_expert_keys (key_id TEXT PRIMARY KEY, key BYTEA NOT NULL)',
    );
  }

  async create(keyId: string): Promise<Buffer> {
    await this.ready;
    const key = randomBytes(32);
    await this.pool.query('INSERT INTO keystone_expert_keys (key_id, key) VALUES ($1, $2)', [
      keyId,
      key,
    ]);
    return key;
  }

  async find(keyId: string): Promise<Buffer | null> {
    await this.ready;
    const { rows } = await this.pool.query<{ key: Buffer }>(
      'SELECT key FROM keystone_expert_keys WHERE key_id = $1',
      [keyId],
    );
    return rows[0]?.key ?? null;
  }

  async destroy(keyId: string): Promise<void> {
    await this.ready;
    await this.pool.query('DELETE FROM keystone_expert_keys WHERE key_id = $1', [keyId]);
    await this.pool.query('VACUUM keystone_expert_keys');
  }
}
