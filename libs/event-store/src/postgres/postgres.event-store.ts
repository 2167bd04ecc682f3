import { createHash } from 'node:crypto';
import { Pool, type PoolConfig, type QueryResultRow } from 'pg';
import {
  checkExpectedVersion,
  EMPTY_HEAD,
  prepareEvents,
  readLimit,
  resolveRetry,
  resultOf,
  type PreparedEvent,
  type StreamHead,
} from '../append-planning';
import { BaseEventStore, type EventStoreOptions } from '../base-event-store';
import { EventStoreUnavailable, ReceiptTaken, storageFailure } from '../errors';
import { chainHash } from '../hash-chain';
import type {
  AppendReceipt,
  JsonObject,
  StoredReceipt,
  CheckedEvent,
  LogChainInfo,
  CompanionSql,
  AppendResult,
  PositionRange,
  ReadAllOptions,
  RecordedEvent,
  StreamAppend,
} from '../event-store.port';
import { APPEND_FUNCTION, APPEND_READ, POSTGRES_SCHEMA } from './postgres.schema';
import { runSerializedDdl } from './serialized-ddl';
import { LruMap } from '../lru-map';
import { GroupCommit, type BatchMember } from './group-commit';

export interface PostgresEventStoreOptions extends EventStoreOptions {
  readonly connectionString: string;
  /** A schema of its own (created if missing); defaults to 'public'. */
  readonly schema?: string;
  /** Pool size; defaults to 10. */
  readonly poolSize?: number;
  /**
   * Longest a statement may run on the server (statement_timeout), and the client waits for an answer
   * (1 s more, for a server that stopped answering at all); defaults to 5 s. Schema set-up has none.
   */
  readonly statementTimeoutMs?: number;
  /** Longest to wait for a connection; defaults to 3 s. */
  readonly connectTimeoutMs?: number;
  /**
   * For the auditor's tools: no set-up or migration is run, and every transaction is read-only
   * (default_transaction_read_only), so verifying a log never changes it.
   */
  readonly readOnly?: boolean;
}

interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: RecordedEvent['data'];
  metadata: RecordedEvent['metadata'];
  hash: string;
}

/** One append (or appendMany) waiting for, or in, a batch. */
interface Member extends BatchMember<AppendResult[]> {
  readonly appends: readonly StreamAppend[];
  readonly receipt: AppendReceipt | undefined;
  /** Its heads must be read, not taken from the cache. */
  fresh: boolean;
  attempts: number;
}

interface Planned {
  member: Member;
  /** Per stream append: its result when already stored (a retry), else null. */
  results: (AppendResult | null)[];
  toWrite: { basedOn: number; events: PreparedEvent[] }[];
}

interface BatchRow {
  r_member: number;
  r_status: 'ok' | 'conflict' | 'receipt';
  r_base: string | null;
  r_stream: string | null;
  r_version: number | null;
}

/** Prepared once per connection (named), so the call is not parsed again for every batch. */
const APPEND_BATCH = {
  name: 'keystone_append_batch',
  text: 'SELECT r_member, r_status, r_base, r_stream, r_version FROM keystone_append_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)',
};

const COLUMNS =
  'global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash';
const UNIQUE_VIOLATION = '23505';
/** Appends with 'any' or 'exists' that lose a race re-read and try again, this many times. */
const MAX_INTERNAL_RETRIES = 20;

export class PostgresEventStore extends BaseEventStore {
  readonly adapter = 'postgres' as const;

  private constructor(
    private readonly pool: Pool,
    private readonly options: PostgresEventStoreOptions,
  ) {
    super(options);
  }

  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? 'public';
    const pool = options.readOnly
      ? await openReadOnlyPool(options, 'keystone_events')
      : await openPostgresPool(options, `${POSTGRES_SCHEMA}\n${APPEND_FUNCTION}`);
    return new PostgresEventStore(pool, { ...options, schema });
  }

  /**
   * Appends go through the process's group commit (group-commit.ts): one call of
   * keystone_append_batch writes every append that arrived while the previous batch was being
   * written. A stream's head (version and hash) comes from a cache of the heads this process wrote
   * or read, else from one read for all the batch's unknown streams; a head that moved meanwhile
   * (another process wrote) comes back as a 'conflict', is read again, and the append is checked
   * again: a WrongExpectedVersion with the fresh version, or (for 'any' and 'exists') a new attempt.
   */
  protected appendValidated(
    appends: readonly StreamAppend[],
    receipt?: AppendReceipt,
  ): Promise<AppendResult[]> {
    if (this.options.readOnly)
      return Promise.reject(
        new Error(`the PostgreSQL log in schema "${this.schema}" was opened read-only`),
      );
    return new Promise((resolve, reject) =>
      this.groupCommit.submit({
        appends,
        receipt,
        streams: appends.map((a) => a.streamId),
        events: appends.reduce((sum, a) => sum + a.events.length, 0),
        alone: false,
        fresh: false,
        attempts: 0,
        resolve,
        reject,
      }),
    );
  }

  private readonly groupCommit = new GroupCommit<AppendResult[], Member>((batch) =>
    this.writeBatch(batch),
  );

  /** Stream heads this process wrote or read; a stale one is found out by the batch's check. */
  private readonly heads = new LruMap<string, StreamHead>(50_000);

  private async writeBatch(batch: Member[]): Promise<Member[]> {
    const again: Member[] = [];
    let read: { heads: Map<string, StreamHead>; stored: RecordedEvent[] } | null = null;
    // A stream expected not to exist yet needs no read: the batch's check finds out if it does.
    const known = (a: StreamAppend) =>
      this.heads.has(a.streamId) || a.expectedVersion === 'no_stream' || a.expectedVersion === 0;
    const unread = batch.filter((m) => !m.fresh && m.appends.every(known));
    const toRead = batch.filter((m) => !unread.includes(m));
    if (toRead.length > 0) {
      try {
        read = await this.readBeforeAppend(
          toRead.flatMap((m) => m.streams),
          toRead.flatMap((m) =>
            m.appends.flatMap((a) => a.events.map((e) => e.eventId.toLowerCase())),
          ),
        );
      } catch (error) {
        for (const member of batch) member.reject(error);
        return [];
      }
      for (const streamId of toRead.flatMap((m) => m.streams))
        this.heads.set(streamId, read.heads.get(streamId) ?? EMPTY_HEAD);
    }
    const recordedAt = this.clock().toISOString();
    const planned: Planned[] = [];
    for (const member of batch) {
      const wasRead = toRead.includes(member);
      try {
        const plan = this.plan(member, wasRead ? read!.stored : [], recordedAt, wasRead);
        if (plan === 'read-again') this.retry(member, again);
        else if (plan.toWrite.length === 0) member.resolve(plan.results as AppendResult[]);
        else planned.push(plan);
      } catch (error) {
        member.reject(error);
      }
    }
    if (planned.length === 0) return again;
    let rows: BatchRow[];
    try {
      rows = await this.callAppendBatch(planned);
    } catch (error) {
      if (storageFailure(error, 'postgres') || planned.length === 1) {
        for (const { member } of planned) {
          // A stream created, or the same ids stored, by a writer that bypassed the head lock.
          if (planned.length === 1 && (error as { code?: string }).code === UNIQUE_VIOLATION)
            this.retry(member, again);
          else member.reject(error);
        }
        return again;
      }
      // One member's statement failed the whole batch: each goes again alone, so only it fails.
      return [...again, ...planned.map(({ member }) => Object.assign(member, { alone: true }))];
    }
    for (const row of rows) {
      const { member, toWrite, results } = planned[row.r_member - 1];
      if (row.r_status === 'ok') {
        let next = Number(row.r_base) + 1;
        let index = 0;
        for (const { events } of toWrite) {
          const last = events[events.length - 1];
          this.heads.set(last.streamId, { version: last.streamVersion, hash: last.hash });
        }
        member.resolve(
          results.map((result) => {
            if (result) return result;
            const { events } = toWrite[index++];
            const first = next;
            next += events.length;
            return resultOf(events[0].streamId, events, first);
          }),
        );
      } else if (row.r_status === 'receipt') {
        member.reject(new ReceiptTaken(member.receipt!.owner, member.receipt!.key));
      } else {
        if (row.r_stream) this.heads.delete(row.r_stream);
        this.retry(member, again);
      }
    }
    return again;
  }

  /**
   * What a member writes, from the heads known: retries of stored events answered as stored, the
   * expected versions checked, the events hashed on their heads. A check that fails on a cached head
   * is not trusted: the member is read again.
   */
  private plan(
    member: Member,
    stored: RecordedEvent[],
    recordedAt: string,
    fresh: boolean,
  ): Planned | 'read-again' {
    const results: (AppendResult | null)[] = [];
    const toWrite: { basedOn: number; events: PreparedEvent[] }[] = [];
    for (const append of member.appends) {
      const ids = new Set(append.events.map((event) => event.eventId.toLowerCase()));
      const retried = resolveRetry(
        append.streamId,
        append.events,
        stored.filter((e) => ids.has(e.eventId)),
      );
      results.push(retried);
      if (retried) continue;
      const head = this.heads.get(append.streamId) ?? EMPTY_HEAD;
      try {
        checkExpectedVersion(append.streamId, append.expectedVersion, head.version);
      } catch (error) {
        if (!fresh) return 'read-again';
        throw error;
      }
      toWrite.push({
        basedOn: head.version,
        events: prepareEvents(append.streamId, head, append.events, recordedAt),
      });
    }
    return { member, results, toWrite };
  }

  /**
   * The member back in the queue (into `again`), to be read afresh; racing other writers has a
   * bound, after which it is refused as the storage being unavailable.
   */
  private retry(member: Member, again: Member[]): void {
    member.attempts++;
    member.fresh = true;
    if (member.attempts <= MAX_INTERNAL_RETRIES) {
      again.push(member);
      return;
    }
    member.reject(
      new EventStoreUnavailable(
        'postgres',
        new Error(`append kept racing other writers ${member.attempts} times`),
      ),
    );
  }

  private async readBeforeAppend(
    streamIds: string[],
    eventIds: string[],
  ): Promise<{ heads: Map<string, StreamHead>; stored: RecordedEvent[] }> {
    const { rows } = await this.query<{ heads: [string, number, string][]; stored: EventRow[] }>(
      APPEND_READ,
      [streamIds, eventIds],
    );
    return {
      heads: new Map(
        rows[0].heads.map(([streamId, version, hash]) => [streamId, { version, hash }]),
      ),
      stored: rows[0].stored.map(toRecorded),
    };
  }

  private async callAppendBatch(planned: Planned[]): Promise<BatchRow[]> {
    const streams = planned.flatMap(({ toWrite }, m) => toWrite.map((s) => ({ m: m + 1, ...s })));
    const events = streams.flatMap((s) => s.events);
    const lasts = streams.map((s) => s.events[s.events.length - 1]);
    const receipts = planned.map(({ member }) => member.receipt);
    const { rows } = await this.query<BatchRow>(
      APPEND_BATCH,
      [
        streams.map((s) => s.m),
        lasts.map((e) => e.streamId),
        streams.map((s) => s.basedOn),
        lasts.map((e) => e.streamVersion),
        lasts.map((e) => e.hash),
        streams.map((s) => s.events.length),
        events.map((e) => e.eventId),
        events.map((e) => e.streamId),
        events.map((e) => e.streamVersion),
        events.map((e) => e.type),
        events.map((e) => e.schemaVersion),
        `[${events.map((e) => e.dataJson).join(',')}]`,
        `[${events.map((e) => e.metadataJson).join(',')}]`,
        events.map((e) => e.hash),
        receipts.map((r) => r?.owner ?? null),
        receipts.map((r) => r?.key ?? null),
        receipts.map((r) => r?.requestHash ?? null),
        receipts.map((r) => (r ? JSON.stringify(r.outcome) : null)),
      ],
      true,
    );
    return rows;
  }

  /**
   * A query of the append path. PostgreSQL's own refusals (a unique violation) go through as they
   * are; a storage failure becomes STORAGE.*: a lost connection during the write call (`writes`)
   * leaves its outcome unknown (it may have committed), anything before it wrote nothing.
   */
  private async query<R extends object>(
    text: string | { name: string; text: string },
    values: unknown[],
    writes = false,
  ): Promise<{ rows: R[] }> {
    try {
      return await this.pool.query<R & QueryResultRow>(
        typeof text === 'string' ? { text, values } : { ...text, values },
      );
    } catch (error) {
      const failure = storageFailure(error, 'postgres');
      if (!failure) throw error;
      if (failure.outcome === 'unknown' && !writes)
        throw new EventStoreUnavailable('postgres', error, 'not-written');
      throw failure;
    }
  }

  protected async readStreamStored(
    streamId: string,
    fromVersion: number,
    toVersion: number,
  ): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM keystone_events WHERE stream_id = $1 AND stream_version BETWEEN $2 AND $3 ORDER BY stream_version`,
      [streamId, fromVersion, Math.min(toVersion, 2_147_483_647)],
    );
    // Read to its end, the stream's last event is its head as of now: the next append starts there.
    if (toVersion >= 2_147_483_647 && rows.length > 0) {
      const last = rows[rows.length - 1];
      this.heads.set(streamId, { version: last.stream_version, hash: last.hash });
    }
    return rows.map(toRecorded);
  }

  protected async readAllStored(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const fromPosition = options.fromPosition ?? 1;
    const limit = readLimit(options.limit);
    if (options.types && options.types.length === 0) return [];
    const { rows } = options.types
      ? await this.pool.query<EventRow>(
          `SELECT ${COLUMNS} FROM keystone_events WHERE global_position >= $1 AND type = ANY($2::text[]) ORDER BY global_position LIMIT $3`,
          [fromPosition, options.types, limit],
        )
      : await this.pool.query<EventRow>(
          `SELECT ${COLUMNS} FROM keystone_events WHERE global_position >= $1 ORDER BY global_position LIMIT $2`,
          [fromPosition, limit],
        );
    return rows.map(toRecorded);
  }

  async lastPosition(): Promise<number> {
    const { rows } = await this.pool.query<{ last_position: string }>(
      'SELECT last_position FROM keystone_log_head WHERE id = 1',
    );
    return Number(rows[0]?.last_position ?? 0);
  }

  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.pool.query<{ version: number }>(
      'SELECT version FROM keystone_streams WHERE stream_id = $1',
      [streamId],
    );
    return rows[0]?.version ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  /** For projections and audit tools that keep their SQL beside the log. */
  get sqlPool(): Pool {
    return this.pool;
  }

  get schema(): string {
    return this.options.schema ?? 'public';
  }

  companionSql(): CompanionSql {
    return { kind: 'postgres', pool: this.pool };
  }

  /** Every stored event with its stored log hash, in position order, a batch at a time. */
  override async *storedEventBatches(
    batchSize = 5_000,
    range: PositionRange = {},
  ): AsyncGenerator<CheckedEvent[]> {
    const hasLogHash = (await this.logChain()).stored;
    const through = range.through ?? Number.MAX_SAFE_INTEGER;
    for (let from = (range.after ?? 0) + 1; ;) {
      const { rows } = await this.pool.query<EventRow & { log_hash: string | null }>(
        `SELECT ${COLUMNS}, ${hasLogHash ? 'log_hash' : 'NULL AS log_hash'} FROM keystone_events WHERE global_position >= $1 AND global_position <= $2 ORDER BY global_position LIMIT $3`,
        [from, through, batchSize],
      );
      if (rows.length === 0) return;
      yield rows.map((row) => {
        const event = toRecorded(row);
        return {
          ...event,
          logHash: row.log_hash,
          recompute: (previousHash: string) => chainHash(previousHash, event),
        };
      });
      from = Number(rows[rows.length - 1].global_position) + 1;
    }
  }

  override async streamHeadsBefore(
    position: number,
    streamIds: readonly string[],
  ): Promise<Map<string, StreamHead>> {
    const { rows } = await this.pool.query<{ stream_id: string; version: number; hash: string }>(
      `SELECT DISTINCT ON (stream_id) stream_id, stream_version AS version, hash FROM keystone_events
        WHERE stream_id = ANY($1) AND global_position < $2 ORDER BY stream_id, global_position DESC`,
      [streamIds, position],
    );
    return new Map(rows.map((r) => [r.stream_id, { version: Number(r.version), hash: r.hash }]));
  }

  override async logChain(): Promise<LogChainInfo> {
    const { rows } = await this.pool.query<{ has_column: boolean; migrations: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                AND table_name = 'keystone_events' AND column_name = 'log_hash') AS has_column,
              to_regclass('keystone_log_migrations') IS NOT NULL AS migrations`,
    );
    if (!rows[0].has_column) return { stored: false, migration: null };
    if (!rows[0].migrations) return { stored: true, migration: null };
    const migrated = await this.pool.query<{ applied_at: string; through_position: string }>(
      "SELECT applied_at, through_position FROM keystone_log_migrations WHERE name = 'log-chain'",
    );
    const row = migrated.rows[0];
    return {
      stored: true,
      migration: row
        ? { throughPosition: Number(row.through_position), appliedAt: row.applied_at }
        : null,
    };
  }

  receipt(owner: string, key: string): Promise<StoredReceipt | null> {
    return readReceipt(this.pool, owner, key);
  }

  override async missingSafeguards(): Promise<string[]> {
    const { rows } = await this.pool.query<{ tgname: string; tgenabled: string }>(
      `SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = to_regclass('keystone_events') AND NOT tgisinternal`,
    );
    const state = new Map(rows.map((r) => [r.tgname, r.tgenabled]));
    return ['keystone_events_no_change', 'keystone_events_no_truncate'].flatMap((name) =>
      !state.has(name)
        ? [`trigger ${name}`]
        : state.get(name) === 'D'
          ? [`trigger ${name} (disabled)`]
          : [],
    );
  }

  override async logHashAt(position: number): Promise<string | null> {
    if (!(await this.logChain()).stored) return null;
    const { rows } = await this.pool.query<{ log_hash: string | null }>(
      'SELECT log_hash FROM keystone_events WHERE global_position = $1',
      [position],
    );
    return rows[0]?.log_hash ?? null;
  }

  async streamHeads(options: { only?: string } = {}): Promise<Map<string, StreamHead>> {
    const { only } = options;
    const { rows } = await this.pool.query<{
      stream_id: string;
      version: number;
      head_hash: string;
    }>(
      `SELECT stream_id, version, head_hash FROM keystone_streams${only ? ' WHERE stream_id = $1' : ''}`,
      only ? [only] : [],
    );
    return new Map(rows.map((r) => [r.stream_id, { version: r.version, hash: r.head_hash }]));
  }
}

type PoolOptions = Pick<
  PostgresEventStoreOptions,
  'connectionString' | 'schema' | 'poolSize' | 'statementTimeoutMs' | 'connectTimeoutMs'
>;

/** Every call has a time limit: a frozen server is a prompt STORAGE.UNAVAILABLE, never a hang. */
function poolConfig(options: PoolOptions, schema: string): PoolConfig {
  const statementTimeout = options.statementTimeoutMs ?? 5_000;
  return {
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    options: `-c search_path=${schema}`,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3_000,
    statement_timeout: statementTimeout,
    idle_in_transaction_session_timeout: statementTimeout * 2,
    query_timeout: statementTimeout + 1_000,
    keepAlive: true,
  };
}

/**
 * A pool whose clients never crash the process when their server goes away. The pool listens for
 * errors of idle clients only; a client checked out (between two queries, or between checkout and
 * its first query) that the server terminates emits 'error' with no listener, which kills Node. Each
 * client gets a listener of its own for life: the failure surfaces on its next query instead, and
 * the pool destroys it on release.
 */
export function guarded(pool: Pool): Pool {
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** A receipt kept in PostgreSQL (the log's schema, or the SQL beside a KurrentDB log). */
export async function readReceipt(
  pool: Pool,
  owner: string,
  key: string,
): Promise<StoredReceipt | null> {
  const { rows } = await pool.query<{
    request_hash: string;
    outcome: JsonObject;
    last_position: string;
  }>(
    'SELECT request_hash, outcome, last_position FROM keystone_append_receipts WHERE owner = $1 AND key = $2',
    [owner, key],
  );
  const row = rows[0];
  return row
    ? {
        requestHash: row.request_hash,
        outcome: row.outcome,
        lastPosition: Number(row.last_position),
      }
    : null;
}

/** What a PostgreSQL schema's name may be: Keystone puts it in SQL text (search_path, DDL). */
export const POSTGRES_SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A pool on `schema` (created if missing, with `ddl` run in it under the DDL lock): for the log, and
 * for the PostgreSQL beside a KurrentDB log. A server that cannot be reached is STORAGE.UNAVAILABLE.
 */
export async function openPostgresPool(options: PoolOptions, ddl = ''): Promise<Pool> {
  const schema = options.schema ?? 'public';
  if (!POSTGRES_SCHEMA_NAME.test(schema)) {
    throw new Error(
      `Postgres schema name must be lower-case letters, digits and _, got "${schema}"`,
    );
  }
  // Set-up (a migration over a large log may take minutes) runs on a connection without time limits.
  const setup = new Pool({
    ...poolConfig(options, schema),
    max: 1,
    statement_timeout: undefined,
    query_timeout: undefined,
    idle_in_transaction_session_timeout: undefined,
  });
  guarded(setup);
  try {
    if (!(await ddlApplied(setup, ddl)))
      await runSerializedDdl(
        setup,
        `CREATE SCHEMA IF NOT EXISTS ${schema};\n${ddl}\n${recordDdl(ddl)}`,
      );
  } catch (error) {
    throw storageFailure(error, 'postgres') ?? new EventStoreUnavailable('postgres', error);
  } finally {
    await setup.end().catch(() => undefined);
  }
  return guarded(new Pool(poolConfig(options, schema)));
}

const SAFEGUARDS = ['keystone_events_no_change', 'keystone_events_no_truncate'];

/**
 * Whether this very set-up already ran in the schema, with the log's safeguards in place: then it
 * is not run again. Running it takes locks on the log's tables (CREATE INDEX IF NOT EXISTS, ALTER
 * TABLE … IF NOT EXISTS, the triggers) that would stop, or deadlock with, the appends of the
 * processes already running — a second API starting beside a busy first one.
 */
async function ddlApplied(setup: Pool, ddl: string): Promise<boolean> {
  try {
    const { rows } = await setup.query<{ applied: boolean; safeguards: number }>(
      `SELECT EXISTS (SELECT 1 FROM keystone_applied_ddl WHERE hash = $1) AS applied,
              (SELECT count(*)::int FROM pg_trigger WHERE tgrelid = to_regclass('keystone_events')
                 AND tgname = ANY($2) AND tgenabled <> 'D') AS safeguards`,
      [ddlHash(ddl), SAFEGUARDS],
    );
    if (!rows[0].applied) return false;
    if (!ddl.includes('keystone_events_no_change')) return true;
    if (rows[0].safeguards !== SAFEGUARDS.length) return false;
    // The log chain's migration done (a log altered by hand since is set up again).
    const head = await setup.query<{ chained: boolean }>(
      'SELECT last_log_hash IS NOT NULL AS chained FROM keystone_log_head WHERE id = 1',
    );
    return head.rows[0]?.chained === true;
  } catch (error) {
    // A new schema (no table), or one from before a column: set it up.
    if (['42P01', '42703'].includes((error as { code?: string }).code ?? '')) return false;
    throw error;
  }
}

function ddlHash(ddl: string): string {
  return createHash('sha256').update(ddl).digest('hex');
}

function recordDdl(ddl: string): string {
  return `CREATE TABLE IF NOT EXISTS keystone_applied_ddl (hash TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
INSERT INTO keystone_applied_ddl (hash) VALUES ('${ddlHash(ddl)}') ON CONFLICT DO NOTHING;`;
}

/**
 * A pool for reading only: nothing is created, and the server refuses any write. `probe` is the
 * table that must be there (the log's, or none for the SQL beside a KurrentDB log).
 */
export async function openReadOnlyPool(
  options: PoolOptions,
  probe: string | null = null,
): Promise<Pool> {
  const schema = options.schema ?? 'public';
  if (!POSTGRES_SCHEMA_NAME.test(schema)) {
    throw new Error(
      `Postgres schema name must be lower-case letters, digits and _, got "${schema}"`,
    );
  }
  const config = poolConfig(options, schema);
  const pool = new Pool({
    ...config,
    options: `${config.options} -c default_transaction_read_only=on`,
  });
  guarded(pool);
  try {
    await pool.query(probe ? `SELECT 1 FROM ${probe} LIMIT 1` : 'SELECT 1');
  } catch (error) {
    await pool.end();
    if ((error as { code?: string }).code === '42P01')
      throw new Error(`no Keystone log in PostgreSQL schema "${schema}"`);
    throw new EventStoreUnavailable('postgres', error);
  }
  return pool;
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    globalPosition: Number(row.global_position),
    hash: row.hash,
  };
}
