export * from './event-store.port';
export * from './errors';
export * from './canonical-json';
export * from './hash-chain';
export * from './upcasting';
export { BaseEventStore, type EventStoreOptions } from './base-event-store';
export {
  SqliteEventStore,
  sqliteRowToRecorded,
  type SqliteEventRow,
  type SqliteEventStoreOptions,
} from './sqlite/sqlite.event-store';
export {
  PostgresEventStore,
  type PostgresEventStoreOptions,
} from './postgres/postgres.event-store';
export {
  KurrentDbEventStore,
  type KurrentDbEventStoreOptions,
} from './kurrentdb/kurrentdb.event-store';
export { KURRENTDB_CONNECTION_STRING, KURRENTDB_NAMESPACE } from './kurrentdb/kurrentdb.codec';
export { POSTGRES_SCHEMA_NAME } from './postgres/postgres.event-store';
export { companionSqlOf, type CompanionSql } from './companion-sql';
export { openEventStore, type EventStoreConfig } from './open-event-store';
export { EVENT_STORE, EventStoreModule, InjectEventStore } from './nest/event-store.module';
export { newEventId } from './event-ids';
export * from './decider/decider';
export * from './decider/command-runner';
export * from './nest/clock';
export { runSerializedDdl } from './postgres/serialized-ddl';
