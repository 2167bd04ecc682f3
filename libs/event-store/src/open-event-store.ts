import type { EventStore } from './event-store.port';
import type { EventStoreOptions } from './base-event-store';
import { Pool } from 'pg';
import { EventStoreUnavailable } from './errors';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb.event-store';
import { PostgresEventStore } from './postgres/postgres.event-store';
import { runSerializedDdl } from './postgres/serialized-ddl';
import { SqliteEventStore } from './sqlite/sqlite.event-store';

export type EventStoreConfig =
  | { readonly kind: 'sqlite'; readonly path: string; readonly synchronous?: 'normal' | 'full' }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly schema?: string;
      readonly poolSize?: number;
    }
  | {
      readonly kind: 'kurrentdb';
      readonly url: string;
      readonly namespace?: string;
      /** PostgreSQL for read models, checkpoints and keys: KurrentDB holds the log only. */
      readonly companion: {
        readonly url: string;
        readonly schema?: string;
        readonly poolSize?: number;
      };
    };

/** The one place that turns configuration into an adapter. */
export async function openEventStore(
  config: EventStoreConfig,
  options: EventStoreOptions = {},
): Promise<EventStore> {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteEventStore({
        ...options,
        path: config.path,
        synchronous: config.synchronous,
      });
    case 'postgres':
      return PostgresEventStore.connect({
        ...options,
        connectionString: config.url,
        schema: config.schema,
        poolSize: config.poolSize,
      });
    case 'kurrentdb':
      return KurrentDbEventStore.connect({
        ...options,
        url: config.url,
        namespace: config.namespace,
        companionPool: await companionPool(config.companion),
      });
    default: {
      const unreachable: never = config;
      throw new Error(`Unknown event store ${JSON.stringify(unreachable)}`);
    }
  }
}

async function companionPool(config: {
  readonly url: string;
  readonly schema?: string;
  readonly poolSize?: number;
}): Promise<Pool> {
  const schema = config.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(
      `Postgres schema name must be lower-case letters, digits and _, got "${schema}"`,
    );
  }
  const pool = new Pool({
    connectionString: config.url,
    max: config.poolSize ?? 10,
    options: `-c search_path=${schema}`,
    connectionTimeoutMillis: 10_000,
  });
  pool.on('error', () => undefined);
  try {
    await runSerializedDdl(pool, `CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    await pool.end();
    throw new EventStoreUnavailable('postgres', error);
  }
  return pool;
}
