import Database from 'better-sqlite3';
import { companionSqlOf, type EventStore } from '@keystone/event-store';
import { PostgresDatabase, SqliteDatabase, type SqlDatabase } from './sql-database';

/**
 * Read models live beside the log: in the SQLite file (on a connection of their own, so a long
 * read-model write never holds the log's), or in PostgreSQL (the log's schema, or with KurrentDB the
 * database named by KEYSTONE_POSTGRES_URL).
 */
export function readModelDatabaseFor(store: EventStore): { db: SqlDatabase; close(): void } {
  const sql = companionSqlOf(store);
  if (sql.kind === 'sqlite') {
    const connection = new Database(sql.path === ':memory:' ? ':memory:' : sql.path);
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = NORMAL');
    connection.pragma('busy_timeout = 10000');
    connection.pragma('cache_size = -65536');
    // In-memory logs (unit tests) share the log's own connection.
    const db =
      sql.path === ':memory:' ? new SqliteDatabase(sql.database) : new SqliteDatabase(connection);
    return { db, close: () => connection.close() };
  }
  return { db: new PostgresDatabase(sql.pool), close: () => undefined };
}
