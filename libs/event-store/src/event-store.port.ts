/**
 * The one port every part of Keystone writes to and reads from. Adapters: SQLite (embedded
 * default), PostgreSQL, and (issue 7) KurrentDB. The contract suite in ./testing pins the semantics.
 */

/** `no_stream`: the stream must not exist; `exists`: it must; `any`: no check; a number: its current version. */
export type ExpectedVersion = 'no_stream' | 'exists' | 'any' | number;

/** Stream versions start at 1; a stream at version 0 does not exist yet. */
export const NO_STREAM_VERSION = 0;

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

export type SubscriptionHandler = (event: RecordedEvent) => void | Promise<void>;

export interface SubscribeOptions {
  /** Events per read while catching up; defaults to 500. */
  readonly batchSize?: number;
  /** How often to look for new events when nothing wakes the subscription, in ms; defaults to 250. */
  readonly pollIntervalMs?: number;
  readonly types?: readonly string[];
  /** Called once if the handler or the store fails; the subscription has stopped by then. */
  readonly onError?: (error: unknown) => void;
}

export interface Subscription {
  /** The position of the last event handed to the handler (0 before any). */
  readonly position: number;
  /** Resolves once the subscription has caught up with the log as it stood when first asked. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

export interface EventStoreHealth {
  readonly adapter: string;
  readonly reachable: boolean;
  readonly lastPosition: number | null;
  readonly error?: string;
}

export interface EventStore {
  readonly adapter: 'sqlite' | 'postgres' | 'kurrentdb';
  append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult>;
  /** Several streams in one atomic step: every append lands, or none does. */
  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  readStream(streamId: string, options?: ReadStreamOptions & ReadOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions & ReadOptions): Promise<RecordedEvent[]>;
  /** Catch up from `fromPosition` (inclusive), then follow new events, one at a time, in order. */
  subscribe(
    fromPosition: number,
    handler: SubscriptionHandler,
    options?: SubscribeOptions,
  ): Subscription;
  /** The position of the last event in the log (0 when empty). */
  lastPosition(): Promise<number>;
  /** The stream's current version (0 when it does not exist). */
  streamVersion(streamId: string): Promise<number>;
  health(): Promise<EventStoreHealth>;
  close(): Promise<void>;
}
