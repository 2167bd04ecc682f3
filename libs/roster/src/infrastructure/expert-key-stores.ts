import { randomBytes } from 'node:crypto';
import type { SqlDatabase } from '@keystone/sql';
import type { ExpertKeyStore, KeyWrapper } from '../application/personal-data';

/** A data key as stored before keys were wrapped: 32 bytes in the clear (wrapped ones are 60). */
const PLAIN_KEY_BYTES = 32;

/**
 * Experts' data keys in the SQL beside (not in) the log, one store for both databases, each wrapped
 * by the key-encryption key (kept outside the database): the database alone decrypts nobody. Keys
 * stored in the clear by an earlier version are wrapped at start. A destroyed key leaves no bytes
 * behind: SQLite zeroes freed pages (secure_delete) and checkpoints the WAL; PostgreSQL vacuums the
 * table at once rather than leave a dead row.
 */
export class SqlExpertKeyStore implements ExpertKeyStore {
  private readonly table: string;
  private readonly ready: Promise<void>;

  constructor(
    private readonly db: SqlDatabase,
    private readonly wrapper: KeyWrapper,
  ) {
    const sqlite = db.dialect === 'sqlite';
    this.table = sqlite ? 'expert_keys' : 'keystone_expert_keys';
    this.ready = db
      .exec(
        `${sqlite ? 'PRAGMA secure_delete = ON; ' : ''}CREATE TABLE IF NOT EXISTS ${this.table} (key_id TEXT PRIMARY KEY, key ${sqlite ? 'BLOB' : 'BYTEA'} NOT NULL)`,
      )
      .then(() => this.wrapPlainKeys());
  }

  /**
   * A new key under `keyId`; the existing one when a retried request (its ids derived from its
   * Idempotency-Key) made it already, so the retry seals with the key its first try stored.
   */
  async create(keyId: string): Promise<Buffer> {
    await this.ready;
    const key = randomBytes(32);
    const wrapped = await this.wrapper.wrap(key, keyId);
    await this.db.write((tx) =>
      tx.run(`INSERT INTO ${this.table} (key_id, key) VALUES (?, ?) ON CONFLICT DO NOTHING`, [
        keyId,
        wrapped,
      ]),
    );
    const stored = await this.find(keyId);
    if (!stored) throw new Error(`the key ${keyId} was not stored`);
    return stored;
  }

  async find(keyId: string): Promise<Buffer | null> {
    await this.ready;
    const [row] = await this.db.all<{ key: Buffer }>(
      `SELECT key FROM ${this.table} WHERE key_id = ?`,
      [keyId],
    );
    return row ? this.wrapper.unwrap(row.key, keyId) : null;
  }

  private async wrapPlainKeys(): Promise<void> {
    const plain = await this.db.all<{ key_id: string; key: Buffer }>(
      `SELECT key_id, key FROM ${this.table} WHERE length(key) = ${PLAIN_KEY_BYTES}`,
    );
    for (const { key_id: keyId, key } of plain) {
      const wrapped = await this.wrapper.wrap(key, keyId);
      await this.db.write((tx) =>
        tx.run(`UPDATE ${this.table} SET key = ? WHERE key_id = ?`, [wrapped, keyId]),
      );
    }
  }

  async destroy(keyId: string): Promise<void> {
    await this.ready;
    await this.db.write((tx) => tx.run(`DELETE FROM ${this.table} WHERE key_id = ?`, [keyId]));
    // The zeroed page replaces the old one in the file too; the dead row goes at once.
    // (Run outside a transaction: PostgreSQL refuses VACUUM inside one.)
    await this.db.all(
      this.db.dialect === 'sqlite' ? 'PRAGMA wal_checkpoint(TRUNCATE)' : `VACUUM ${this.table}`,
    );
  }
}
