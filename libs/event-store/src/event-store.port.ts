import type { Database as SqliteDatabase } from 'better-sqlite3';
import type { Pool as PgPool } from 'pg';
import type { ChainLink } from './hash-chain';

/**
 * The one port every part of Keystone writes to and reads from. Adapters: SQLite (embedded
 * default), PostgreSQL, and (issue 7) KurrentDB. The contract suite in ./testing pins the semantics.
 */

/** `no_stream`: the stream must not exist; `exists`: it must; `any`: no check; a number: its current version. */
export type ExpectedVersion = 'no_stream' | 'exists' | 'any' | number;

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** What the writer says about an event: who, on whose behalf, why, and when it took effect. */
export interface EventMetadataInput {
  readonly actor: string;
  readonly role: string;
  readonly correlationId: string;
  readonly causationId?: string | null;
  /** Business time, ISO 8601: when the fact took effect in the world. */
  readonly occurredAt: string;
  /** Anything else a context wants to keep with the event (e.g. the HTTP request id). */
  readonly extra?: JsonObject;
}

export interface EventMetadata extends EventMetadataInput {
  readonly causationId: string | null;
  /** System time, ISO 8601: when the store recorded the event. Set by the store, never by a writer. */
  readonly recordedAt: string;
}

export interface NewEvent<TType extends string = string, TData extends JsonObject = JsonObject> {
  readonly eventId: string;
  readonly type: TType;
  /** Defaults to 1. */
  readonly schemaVersion?: number;
  readonly data: TData;
  readonly metadata: EventMetadataInput;
}

export interface RecordedEvent<
  TType extends string = string,
  TData extends JsonObject = JsonObject,
> {
  readonly eventId: string;
  readonly type: TType;
  readonly schemaVersion: number;
  readonly data: TData;
  readonly metadata: EventMetadata;
  readonly streamId: string;
  readonly streamVersion: number;
  /** Strictly increasing over the whole log, starting at 1, with no gaps. */
  readonly globalPosition: number;
  /** SHA-256 (hex) chaining this event to the previous one of its stream; see hash-chain.ts. */
  readonly hash: string;
}

export interface AppendResult {
  readonly streamId: string;
  /** The stream's version after the append: the version of its last event. */
  readonly nextExpectedVersion: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
  /** True when every event was already stored (a retried append): nothing was written. */
  readonly alreadyStored: boolean;
}

export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedVersion: ExpectedVersion;
}

export interface ReadStreamOptions {
  /** Inclusive; defaults to 1. */
  readonly fromVersion?: number;
  /** Inclusive; defaults to the stream's last version. */
  readonly toVersion?: number;
}

export interface ReadAllOptions {
  /** Inclusive; defaults to 1. To resume after checkpoint c, pass c + 1. */
  readonly fromPosition?: number;
  /** At most this many events; defaults to 1,000, at most 10,000. */
  readonly limit?: number;
  /** Only events of these types (positions still come from the one global order). */
  readonly types?: readonly string[];
}

export interface ReadOptions {
  /** Skip upcasting: return events exactly as stored (what the hash chain covers). */
  readonly raw?: boolean;
}

/** One stored event as the verifier sees it (the hash chain's ChainLink). */
export type { ChainLink as CheckedEvent } from './hash-chain';

/** What an adapter keeps per stream: the version and hash the next append chains onto. */
/** Positions after `after` (0: from the first) through `through` (absent: to the last). */
export interface PositionRange {
  readonly after?: number;
  readonly through?: number;
}

export interface StreamHead {
  readonly version: number;
  readonly hash: string;
}

/**
 * The SQL database beside the log, where what is not the log lives: read models, checkpoints,
 * idempotency keys, experts' keys, notifications. The SQLite file or the PostgreSQL schema of the
 * log itself; with KurrentDB, the PostgreSQL database named by KEYSTONE_POSTGRES_URL.
 */
export type CompanionSql =
  | { readonly kind: 'sqlite'; readonly database: SqliteDatabase; readonly path: string }
  | { readonly kind: 'postgres'; readonly pool: PgPool };

/** What an adapter keeps of the log-wide chain (hash-chain.ts, logHash). */
export interface LogChainInfo {
  /** Whether each event is stored with its log hash (SQLite, PostgreSQL; not KurrentDB). */
  readonly stored: boolean;
  /**
   * Set when the log hashes of events recorded before the log chain existed were computed once by a
   * migration, not at append time: through which position, and when.
   */
  readonly migration: { readonly throughPosition: number; readonly appliedAt: string } | null;
}

export interface EventStoreHealth {
  readonly adapter: string;
  readonly reachable: boolean;
  readonly lastPosition: number | null;
  readonly error?: string;
  /** Reachable, but at risk: its disk nearly full, its last write refused for want of space. */
  readonly warnings?: readonly string[];
}

/**
 * What an append made on behalf of a request with an Idempotency-Key: written in the same
 * transaction as the events, so it exists exactly when they do (see idempotency-scope.ts).
 */
export interface AppendReceipt {
  readonly owner: string;
  /** The key, and which of the request's commands (`key#0`, `key#1`…). */
  readonly key: string;
  readonly requestHash: string;
  /** The command's outcome, to answer again; the store adds the append's last position. */
  readonly outcome: JsonObject;
}

export interface StoredReceipt {
  readonly requestHash: string;
  readonly outcome: JsonObject;
  readonly lastPosition: number;
}

export interface AppendOptions {
  readonly receipt?: AppendReceipt;
}

export interface EventStore {
  readonly adapter: 'sqlite' | 'postgres' | 'kurrentdb';
  append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult>;
  /**
   * Several streams in one atomic step: every append lands, or none does; with a receipt, the
   * receipt too (ReceiptTaken, writing nothing, when one is already stored under its key).
   */
  appendMany(appends: readonly StreamAppend[], options?: AppendOptions): Promise<AppendResult[]>;
  /** The receipt stored under (owner, key), if any. */
  receipt(owner: string, key: string): Promise<StoredReceipt | null>;
  readStream(streamId: string, options?: ReadStreamOptions & ReadOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions & ReadOptions): Promise<RecordedEvent[]>;
  /** The SQL database beside the log; throws if the adapter was opened without one. */
  companionSql(): CompanionSql;
  /** Every stored event in position order, exactly as stored, for the auditor's chain walk. */
  storedEvents(batchSize?: number): AsyncIterable<ChainLink>;
  /**
   * The same, a batch at a time: what a walk over the log reads (no await per event). With a range,
   * only the events after `range.after` and through `range.through` (to the end when absent).
   */
  storedEventBatches(
    batchSize?: number,
    range?: PositionRange,
  ): AsyncIterable<readonly ChainLink[]>;
  /**
   * Each named stream's head as the log stood just before `position`: its last event at a lower
   * position, as stored. Streams with no event there are left out. Where a walk of a later part of
   * the log takes up each stream's chain (verify, a part of the log per thread).
   */
  streamHeadsBefore(
    position: number,
    streamIds: readonly string[],
  ): Promise<Map<string, StreamHead>>;
  /**
   * The heads the store keeps per stream (all, or `only` one). KurrentDB keeps no head table: there
   * a head is the native stream's last event, read for each stream named in `seen`.
   */
  streamHeads(options?: {
    only?: string;
    seen?: readonly string[];
  }): Promise<Map<string, StreamHead>>;
  /** What this adapter keeps of the log-wide chain. */
  logChain(): Promise<LogChainInfo>;
  /** The stored log hash of the event at `position`; null where none is stored. */
  logHashAt(position: number): Promise<string | null>;
  /**
   * The append-only safeguards (triggers) the log should have and has not, or has disabled: for the
   * auditor, who must not find them silently put back by the check itself.
   */
  missingSafeguards(): Promise<string[]>;
  /** What the database's own integrity check finds (SQLite: damaged pages, named); [] elsewhere. */
  integrityProblems(): Promise<string[]>;
  /** The position of the last event in the log (0 when empty). */
  lastPosition(): Promise<number>;
  /** The stream's current version (0 when it does not exist). */
  streamVersion(streamId: string): Promise<number>;
  health(): Promise<EventStoreHealth>;
  close(): Promise<void>;
}
