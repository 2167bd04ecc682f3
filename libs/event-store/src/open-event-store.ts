import type { EventStore } from './event-store.port';
import type { EventStoreOptions } from './base-event-store';
import type { KurrentDbEventStore } from './kurrentdb/kurrentdb.event-store';
import {
  openPostgresPool,
  openReadOnlyPool,
  PostgresEventStore,
} from './postgres/postgres.event-store';
import { SqliteEventStore } from './sqlite/sqlite.event-store';

export type EventStoreConfig =
  | { readonly kind: 'sqlite'; readonly path: string; readonly synchronous?: 'normal' | 'full' }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly schema?: string;
      readonly poolSize?: number;
      readonly statementTimeoutMs?: number;
      readonly connectTimeoutMs?: number;
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
        readonly statementTimeoutMs?: number;
        readonly connectTimeoutMs?: number;
      };
    };

/**
 * The one place that turns configuration into an adapter. `readOnly` is for the auditor's tools:
 * nothing is set up or migrated and nothing can be written, so a verify leaves the log as it was.
 */
export async function openEventStore(
  config: EventStoreConfig,
  options: EventStoreOptions & { readonly readOnly?: boolean } = {},
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
        statementTimeoutMs: config.statementTimeoutMs,
        connectTimeoutMs: config.connectTimeoutMs,
      });
    case 'kurrentdb': {
      // Its gRPC client takes a fifth of a second to load: only where the log is in KurrentDB.
      const { KurrentDbEventStore: Adapter } =
        (await import('./kurrentdb/kurrentdb.event-store')) as {
          KurrentDbEventStore: typeof KurrentDbEventStore;
        };
      return Adapter.connect({
        ...options,
        url: config.url,
        namespace: config.namespace,
        companionPool: await (options.readOnly ? openReadOnlyPool : openPostgresPool)({
          connectionString: config.companion.url,
          schema: config.companion.schema,
          poolSize: config.companion.poolSize,
          statementTimeoutMs: config.companion.statementTimeoutMs,
          connectTimeoutMs: config.companion.connectTimeoutMs,
        }),
      });
    }
    default: {
      const unreachable: never = config;
      throw new Error(`Unknown event store ${JSON.stringify(unreachable)}`);
    }
  }
}
