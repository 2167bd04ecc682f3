import type {
  AppendResult,
  EventStore,
  EventStoreHealth,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  CheckedEvent,
  CompanionSql,
  LogChainInfo,
  PositionRange,
  StreamHead,
  AppendOptions,
  AppendReceipt,
  StoredReceipt,
} from './event-store.port';
import { chainHash } from './hash-chain';
import { UpcasterRegistry, type Upcaster } from './upcasting';
import { validateAppends } from './append-planning';
import { errorText, InvalidAppend } from './errors';

export interface EventStoreOptions {
  readonly upcasters?: readonly Upcaster[];
  /** System clock for recordedAt; injectable so tests control time. */
  readonly clock?: () => Date;
}

/** What every adapter shares: argument checks, upcasting on read, the generic chain walk. */
export abstract class BaseEventStore implements EventStore {
  abstract readonly adapter: EventStore['adapter'];
  protected readonly upcasters: UpcasterRegistry;
  protected readonly clock: () => Date;

  constructor(options: EventStoreOptions = {}) {
    this.upcasters = new UpcasterRegistry(options.upcasters);
    this.clock = options.clock ?? (() => new Date());
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    const [result] = await this.appendMany([{ streamId, events, expectedVersion }]);
    return result;
  }

  async appendMany(
    appends: readonly StreamAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult[]> {
    validateAppends(appends);
    return this.appendValidated(appends, options.receipt);
  }

  async readStream(
    streamId: string,
    options: ReadStreamOptions & ReadOptions = {},
  ): Promise<RecordedEvent[]> {
    if (typeof streamId !== 'string' || streamId.length === 0) {
      throw new InvalidAppend(
        `streamId must be a non-empty string, got ${JSON.stringify(streamId)}`,
      );
    }
    const fromVersion = options.fromVersion ?? 1;
    const toVersion = options.toVersion ?? Number.MAX_SAFE_INTEGER;
    if (
      !Number.isSafeInteger(fromVersion) ||
      fromVersion < 1 ||
      !Number.isSafeInteger(toVersion) ||
      toVersion < fromVersion
    ) {
      throw new InvalidAppend(
        `readStream needs 1 <= fromVersion <= toVersion, got ${fromVersion}..${options.toVersion}`,
      );
    }
    return this.upcast(await this.readStreamStored(streamId, fromVersion, toVersion), options);
  }

  async readAll(options: ReadAllOptions & ReadOptions = {}): Promise<RecordedEvent[]> {
    return this.upcast(await this.readAllStored(options), options);
  }

  /** The whole log as stored, event by event. */
  async *storedEvents(batchSize = 5_000): AsyncGenerator<CheckedEvent> {
    for await (const batch of this.storedEventBatches(batchSize)) yield* batch;
  }

  /** The log as stored, a batch at a time; adapters with a faster way override it. */
  async *storedEventBatches(
    batchSize = 5_000,
    range: PositionRange = {},
  ): AsyncGenerator<CheckedEvent[]> {
    const through = range.through ?? Infinity;
    for (let from = (range.after ?? 0) + 1; from <= through;) {
      const batch = (
        await this.readAll({ fromPosition: from, limit: batchSize, raw: true })
      ).filter((event) => event.globalPosition <= through);
      if (batch.length === 0) return;
      yield batch.map((event) => ({
        ...event,
        logHash: null,
        recompute: (previousHash: string) => chainHash(previousHash, event),
      }));
      from = batch[batch.length - 1].globalPosition + 1;
    }
  }

  /** Each stream's last event before `position`, read stream by stream; adapters with SQL do it in one. */
  async streamHeadsBefore(
    position: number,
    streamIds: readonly string[],
  ): Promise<Map<string, StreamHead>> {
    const heads = new Map<string, StreamHead>();
    for (const streamId of streamIds) {
      const events = await this.readStream(streamId, { raw: true });
      const before = events.filter((event) => event.globalPosition < position).at(-1);
      if (before) heads.set(streamId, { version: before.streamVersion, hash: before.hash });
    }
    return heads;
  }

  abstract streamHeads(options?: {
    only?: string;
    seen?: readonly string[];
  }): Promise<Map<string, StreamHead>>;

  abstract companionSql(): CompanionSql;

  /** Adapters that store log hashes override both. */
  async logChain(): Promise<LogChainInfo> {
    return { stored: false, migration: null };
  }

  async logHashAt(_position: number): Promise<string | null> {
    return null;
  }

  /** What the database's own check finds damaged (SQLite names pages); nothing elsewhere. */
  async integrityProblems(): Promise<string[]> {
    return [];
  }

  /** KurrentDB's log is append-only by construction: nothing to find missing. */
  async missingSafeguards(): Promise<string[]> {
    return [];
  }

  private upcast(events: RecordedEvent[], options: ReadOptions): RecordedEvent[] {
    if (options.raw || this.upcasters.isEmpty) return events;
    return events.map((event) => this.upcasters.apply(event));
  }

  protected abstract appendValidated(
    appends: readonly StreamAppend[],
    receipt?: AppendReceipt,
  ): Promise<AppendResult[]>;
  abstract receipt(owner: string, key: string): Promise<StoredReceipt | null>;
  protected abstract readStreamStored(
    streamId: string,
    fromVersion: number,
    toVersion: number,
  ): Promise<RecordedEvent[]>;
  protected abstract readAllStored(options: ReadAllOptions): Promise<RecordedEvent[]>;
  abstract lastPosition(): Promise<number>;
  abstract streamVersion(streamId: string): Promise<number>;
  async health(): Promise<EventStoreHealth> {
    try {
      return { adapter: this.adapter, reachable: true, lastPosition: await this.lastPosition() };
    } catch (error) {
      return {
        adapter: this.adapter,
        reachable: false,
        lastPosition: null,
        error: errorText(error),
      };
    }
  }
  abstract close(): Promise<void>;
}
