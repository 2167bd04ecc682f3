import Database from 'better-sqlite3';
import { WRITE_BUSY_MS, type EventStore } from '@keystone/event-store';
import { PostgresDatabase, SqliteDatabase, type SqlDatabase } from './sql-database';

/**
 * The SQL beside the log, for read models and the small stores (checkpoints, idempotency keys,
 * experts' keys): in the SQLite file (on a connection of its own, so a long read-model write never
 * holds the log's), or in PostgreSQL (the log's schema, or with KurrentDB the database named by
 * KEYSTONE_POSTGRES_URL).
 */
export function sqlDatabaseFor(store: EventStore): { db: SqlDatabase; close(): void } {
  const sql = store.companionSql();
  if (sql.kind === 'sqlite') {
    const connection = new Database(sql.path === ':memory:' ? ':memory:' : sql.path);
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = NORMAL');
    // A write waits for another process's lock from the event loop, not inside SQLite.
    connection.pragma(`busy_timeout = ${WRITE_BUSY_MS}`);
    connection.pragma('cache_size = -65536');
    // In-memory logs (unit tests) share the log's own connection.
    const db =
      sql.path === ':memory:' ? new SqliteDatabase(sql.database) : new SqliteDatabase(connection);
    return { db, close: () => connection.close() };
  }
  return { db: new PostgresDatabase(sql.pool), close: () => undefined };
}

/** The SQL beside the log on the log's own connection: for the small stores that write a row or two. */
export function sqlBesideLog(store: EventStore): SqlDatabase {
  const sql = store.companionSql();
  return sql.kind === 'sqlite' ? new SqliteDatabase(sql.database) : new PostgresDatabase(sql.pool);
}
