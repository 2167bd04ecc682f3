import type { Database } from 'better-sqlite3';
import type { Pool } from 'pg';
import type { EventStore } from './event-store.port';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb.event-store';
import { PostgresEventStore } from './postgres/postgres.event-store';
import { SqliteEventStore } from './sqlite/sqlite.event-store';

/**
 * The SQL database beside the log, where what is not the log lives: read models, checkpoints,
 * idempotency keys, experts' keys, notifications. The SQLite file or the PostgreSQL schema of the
 * log itself; with KurrentDB, the PostgreSQL database named by KEYSTONE_POSTGRES_URL.
 */
export type CompanionSql =
  | { readonly kind: 'sqlite'; readonly database: Database; readonly path: string }
  | { readonly kind: 'postgres'; readonly pool: Pool };

export function companionSqlOf(store: EventStore): CompanionSql {
  if (store instanceof SqliteEventStore)
    return { kind: 'sqlite', database: store.database, path: store.path };
  if (store instanceof PostgresEventStore) return { kind: 'postgres', pool: store.sqlPool };
  if (store instanceof KurrentDbEventStore && store.companionPool)
    return { kind: 'postgres', pool: store.companionPool };
  throw new Error(
    `The ${store.adapter} event store has no SQL database beside it for read models (KEYSTONE_POSTGRES_URL)`,
  );
}
