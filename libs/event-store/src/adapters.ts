/**
 * The adapters of the event store and what opens them: imported by composition roots (apps/*), their
 * tests and benchmarks only. Contexts and read models use the core (`@keystone/event-store`).
 */
export { BaseEventStore, type EventStoreOptions } from './base-event-store';
export {
  SqliteEventStore,
  sqliteRowToRecorded,
  type SqliteEventRow,
  type SqliteEventStoreOptions,
} from './sqlite/sqlite.event-store';
export { SQLITE_TRIGGERS } from './sqlite/sqlite.schema';
export {
  PostgresEventStore,
  openPostgresPool,
  type PostgresEventStoreOptions,
} from './postgres/postgres.event-store';
export {
  KurrentDbEventStore,
  type KurrentDbEventStoreOptions,
} from './kurrentdb/kurrentdb.event-store';
export { KURRENTDB_CONNECTION_STRING, KURRENTDB_NAMESPACE } from './kurrentdb/kurrentdb.codec';
export { POSTGRES_SCHEMA_NAME } from './postgres/postgres.event-store';
export { openEventStore, type EventStoreConfig } from './open-event-store';
export { EventStoreModule, InjectEventStore } from './nest/event-store.module';
