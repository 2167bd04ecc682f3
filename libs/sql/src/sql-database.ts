import {
  DEFAULT_WRITE_WAIT_MS,
  inPgTransaction,
  runSerializedDdl,
  writeWhenFree,
} from '@keystone/event-store';
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';

/**
 * Just enough SQL for read models, the same on SQLite and PostgreSQL: statements use `?`
 * placeholders and plain types (TEXT, INTEGER, BIGINT). A write is one transaction; on SQLite it
 * is synchronous, so it never spans an await (`plan` runs again, whole, if another process held
 * the lock).
 */
export interface SqlWrite {
  /** With `mustChange`, a statement that changes no row aborts the whole write with StaleWrite. */
  run(sql: string, params?: readonly unknown[], options?: { mustChange?: boolean }): void;
}

export interface SqlDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /** Runs the statements `plan` collects, all in one transaction. `plan` must not await. */
  write(plan: (tx: SqlWrite) => void): Promise<void>;
}

export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  /** Prepared once per statement text: the small stores run the same few statements on every call. */
  private readonly statements = new Map<string, Database.Statement>();
  constructor(private readonly db: Database.Database) {}

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.prepared(sql).all(...params) as T[];
  }

  /**
   * Set-up and rebuilds' DDL: the whole script in one transaction (SQLite's DDL is transactional),
   * so when another process holds the lock it is tried again whole, from the event loop.
   */
  async exec(sql: string): Promise<void> {
    await writeWhenFree(
      () => this.db.transaction(() => this.db.exec(sql)).immediate(),
      DEFAULT_WRITE_WAIT_MS,
    );
  }

  async write(plan: (tx: SqlWrite) => void): Promise<void> {
    const tx: SqlWrite = {
      run: (sql, params = [], options = {}) => {
        const { changes } = this.prepared(sql).run(...params);
        if (options.mustChange && changes === 0) throw new StaleWrite(sql);
      },
    };
    // Another process holding the lock: waited for from the event loop (write-when-free.ts).
    await writeWhenFree(
      () => this.db.transaction(() => plan(tx)).immediate(),
      DEFAULT_WRITE_WAIT_MS,
    );
  }

  private prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}

export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  constructor(private readonly pool: Pool) {}

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.pool.query(numbered(sql), params as unknown[])).rows as T[];
  }

  async exec(sql: string): Promise<void> {
    await runSerializedDdl(this.pool, sql);
  }

  async write(plan: (tx: SqlWrite) => void): Promise<void> {
    const queued: [string, readonly unknown[], boolean][] = [];
    plan({
      run: (sql, params = [], options = {}) =>
        void queued.push([numbered(sql), params, options.mustChange ?? false]),
    });
    await inPgTransaction(this.pool, async (client) => {
      for (const [sql, params, mustChange] of queued) {
        const { rowCount } = await client.query(sql, params as unknown[]);
        if (mustChange && rowCount === 0) throw new StaleWrite(sql);
      }
    });
  }
}

/** `?` → `$1, $2, …` (read-model SQL has no `?` inside strings). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** A conditional write that found the world changed: the runner reads again. */
export class StaleWrite extends Error {
  constructor(what: string) {
    super(`stale write: ${what}`);
  }
}
