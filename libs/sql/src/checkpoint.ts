import type { SqlDatabase, SqlWrite } from './sql-database';

const DDL = `CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name TEXT PRIMARY KEY, position BIGINT NOT NULL, updated_at TEXT NOT NULL)`;

/**
 * How far one follower of the log (a projection, a reactor) has got, kept in the SQL beside the log.
 * It only moves by compare-and-set inside the follower's own transaction, so a crash loses nothing
 * and two followers of one name never both apply the same batch.
 */
export class Checkpoint {
  constructor(
    private readonly db: SqlDatabase,
    readonly name: string,
  ) {}

  /** Creates the table and this checkpoint at 0, if they are not there yet. */
  async init(): Promise<void> {
    await this.db.exec(DDL);
    await this.db.write((tx) =>
      tx.run(
        'INSERT INTO projection_checkpoints (name, position, updated_at) VALUES (?, 0, ?) ON CONFLICT (name) DO NOTHING',
        [this.name, new Date().toISOString()],
      ),
    );
  }

  async position(): Promise<number> {
    const rows = await this.db.all<{ position: number | string }>(
      'SELECT position FROM projection_checkpoints WHERE name = ?',
      [this.name],
    );
    return Number(rows[0]?.position ?? 0);
  }

  /** Moves from `from` to `to` within `tx`; the write fails (StaleWrite) if another moved it first. */
  advance(tx: SqlWrite, from: number, to: number): void {
    tx.run(
      'UPDATE projection_checkpoints SET position = ?, updated_at = ? WHERE name = ? AND position = ?',
      [to, new Date().toISOString(), this.name, from],
      { mustChange: true },
    );
  }

  /** Sets a checkpoint outright (a rebuild swapping in its shadow's position). */
  static set(tx: SqlWrite, name: string, position: number): void {
    tx.run(
      `INSERT INTO projection_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
      [name, position, new Date().toISOString()],
    );
  }

  static remove(tx: SqlWrite, name: string): void {
    tx.run('DELETE FROM projection_checkpoints WHERE name = ?', [name]);
  }
}
