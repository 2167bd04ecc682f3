import { EventEmitter } from 'node:events';
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
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
} from './event-store.port';
import { PollingSubscription } from './subscription';
import { UpcasterRegistry, type Upcaster } from './upcasting';
import { validateAppends } from './append-planning';
import { errorText, InvalidAppend } from './errors';

export interface EventStoreOptions {
  readonly upcasters?: readonly Upcaster[];
  /** System clock for recordedAt; injectable so tests control time. */
  readonly clock?: () => Date;
}

/** What every adapter shares: argument checks, upcasting on read, subscriptions, wake-ups. */
export abstract class BaseEventStore implements EventStore {
  abstract readonly adapter: EventStore['adapter'];
  protected readonly upcasters: UpcasterRegistry;
  protected readonly clock: () => Date;
  private readonly appended = new EventEmitter().setMaxListeners(0);

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

  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    validateAppends(appends);
    const results = await this.appendValidated(appends);
    if (results.some((result) => !result.alreadyStored)) this.wakeSubscribers();
    return results;
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

  subscribe(
    fromPosition: number,
    handler: SubscriptionHandler,
    options: SubscribeOptions = {},
  ): Subscription {
    return new PollingSubscription(
      fromPosition,
      (read) => this.readAll(read),
      handler,
      options,
      (wake) => {
        this.appended.on('appended', wake);
        const unlisten = this.listenForOtherWriters(wake);
        return () => {
          this.appended.off('appended', wake);
          unlisten();
        };
      },
    );
  }

  protected wakeSubscribers(): void {
    this.appended.emit('appended');
  }

  /** Adapters that can hear appends of other processes (PostgreSQL's LISTEN) hook in here. */
  protected listenForOtherWriters(_wake: () => void): () => void {
    return () => undefined;
  }

  private upcast(events: RecordedEvent[], options: ReadOptions): RecordedEvent[] {
    if (options.raw || this.upcasters.isEmpty) return events;
    return events.map((event) => this.upcasters.apply(event));
  }

  protected abstract appendValidated(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
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
