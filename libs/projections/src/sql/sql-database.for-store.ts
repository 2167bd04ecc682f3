import Database from 'better-sqlite3';
import { PostgresEventStore, SqliteEventStore, type EventStore } from '@keystone/event-store';
import { PostgresDatabase, SqliteDatabase, type SqlDatabase } from './sql-database';

/**
 * Read models live beside the log: in the SQLite file (on a connection of their own, so a long
 * read-model write never holds the log's), or in the same PostgreSQL schema.
 */
export function readModelDatabaseFor(store: EventStore): { db: SqlDatabase; close(): void } {
  if (store instanceof SqliteEventStore) {
    const connection = new Database(store.path === ':memory:' ? ':memory:' : store.path);
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = NORMAL');
    connection.pragma('busy_timeout = 10000');
    connection.pragma('cache_size = -65536');
    // In-memory logs (unit tests) share the log's own connection.
    const db =
      store.path === ':memory:'
        ? new SqliteDatabase(store.database)
        : new SqliteDatabase(connection);
    return { db, close: () => connection.close() };
  }
  if (store instanceof PostgresEventStore)
    return { db: new PostgresDatabase(store.sqlPool), close: () => undefined };
  throw new Error(`No read-model database for the ${store.adapter} event store`);
}
