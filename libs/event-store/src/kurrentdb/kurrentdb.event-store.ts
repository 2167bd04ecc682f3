import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { Pool } from 'pg';
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
import { readReceipt } from '../postgres/postgres.event-store';
import { EventStoreUnavailable, LogDamaged, ReceiptTaken, WrongExpectedVersion } from '../errors';
import type {
  AppendReceipt,
  AppendResult,
  StoredReceipt,
  CompanionSql,
  ReadAllOptions,
  RecordedEvent,
  StreamAppend,
} from '../event-store.port';
import {
  decodeEvent,
  encodeEvent,
  expectedStateOf,
  KURRENTDB_CONNECTION_STRING,
  ledgerRevisionOf,
  linkTo,
  positionOfLedgerRevision,
  KurrentNames,
  type KurrentAppendRequest,
  type KurrentResolved,
} from './kurrentdb.codec';
import { isRevisionConflict, isStreamNotFound, toStoreError } from './kurrentdb.errors';

/** The part of the official client (`KurrentDBClient`) the adapter uses. */

const RECEIPTS_TABLE = `CREATE TABLE IF NOT EXISTS keystone_append_receipts (
  owner TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, outcome JSON NOT NULL,
  last_position BIGINT NOT NULL, PRIMARY KEY (owner, key))`;

export interface KurrentLog {
  readStream(
    streamName: string,
    options: {
      fromRevision?: 'start' | 'end' | bigint;
      direction?: 'forwards' | 'backwards';
      maxCount?: number | bigint;
      resolveLinkTos?: boolean;
    },
  ): AsyncIterable<KurrentResolved>;
  multiStreamAppend(requests: KurrentAppendRequest[]): Promise<unknown>;
  dispose(): Promise<void>;
}

export interface KurrentDbEventStoreOptions extends EventStoreOptions {
  /** A KurrentDB connection string, e.g. kurrentdb://host:2113?tls=false. */
  readonly url: string;
  /** Put before every stream name; keeps several Keystone logs apart in one server. */
  readonly namespace?: string;
  /** PostgreSQL for what is not the log (read models, checkpoints, keys); closed with the store. */
  readonly companionPool?: Pool;
}

/** Appends that lose a race (another writer took the ledger's next revision) read again, this many times. */
const MAX_INTERNAL_RETRIES = 30;

/**
 * The event log on KurrentDB (EventStoreDB), through the official Node client. Layout and reasons:
 * kurrentdb.codec.ts and docs/kurrentdb-adapter.md. Untested against a server on Keystone's build
 * machines (none can be installed there); the contract suite runs against one when KURRENTDB_URL is set.
 */
export class KurrentDbEventStore extends BaseEventStore {
  readonly adapter = 'kurrentdb' as const;
  readonly names: KurrentNames;
  /** This process's appends go one at a time: they would only race each other for the ledger. */
  private appending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly log: KurrentLog,
    options: EventStoreOptions & {
      readonly namespace?: string;
      readonly companionPool?: Pool;
    } = {},
  ) {
    super(options);
    this.names = new KurrentNames(options.namespace);
    this.companionPool = options.companionPool ?? null;
  }

  readonly companionPool: Pool | null;

  /** Connects and reads the ledger's head once, so a wrong URL fails here and not at the first command. */
  static async connect(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    if (!KURRENTDB_CONNECTION_STRING.test(options.url)) {
      throw new EventStoreUnavailable(
        'kurrentdb',
        new Error(`"${options.url}" is not a KurrentDB connection string (kurrentdb://host:2113)`),
      );
    }
    const client = KurrentDBClient.connectionString(options.url);
    const store = new KurrentDbEventStore(client, options);
    try {
      await store.lastPosition();
    } catch (error) {
      await client.dispose();
      await options.companionPool?.end().catch(() => undefined);
      throw error;
    }
    return store;
  }

  /**
   * KNOWN GAP: a request's receipt is kept in the PostgreSQL beside the log right after the append,
   * not in the same transaction (KurrentDB and PostgreSQL share none), so a crash between the two
   * leaves an Idempotency-Key whose retry makes the change again. SQLite and PostgreSQL logs have no
   * such window. Closing it means a receipt stream in the same multiStreamAppend.
   */
  protected appendValidated(
    appends: readonly StreamAppend[],
    receipt?: AppendReceipt,
  ): Promise<AppendResult[]> {
    const run = this.appending.then(async () => {
      if (receipt && (await this.receipt(receipt.owner, receipt.key)))
        throw new ReceiptTaken(receipt.owner, receipt.key);
      const results = await this.appendSerially(appends);
      if (receipt && this.companionPool) {
        await this.companionPool.query(RECEIPTS_TABLE);
        await this.companionPool.query(
          'INSERT INTO keystone_append_receipts (owner, key, request_hash, outcome, last_position) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
          [
            receipt.owner,
            receipt.key,
            receipt.requestHash,
            JSON.stringify(receipt.outcome),
            Math.max(...results.map((r) => r.lastPosition)),
          ],
        );
      }
      return results;
    });
    this.appending = run.catch(() => undefined);
    return run;
  }

  async receipt(owner: string, key: string): Promise<StoredReceipt | null> {
    if (!this.companionPool) return null;
    await this.companionPool.query(RECEIPTS_TABLE);
    return readReceipt(this.companionPool, owner, key);
  }

  /**
   * Optimistic, like the PostgreSQL adapter's two round trips: read the heads (the ledger's and each
   * stream's), then one atomic multiStreamAppend that names every revision it read. If another writer
   * moved any of them (or took one of the event ids), read again, this time with the stored ids, which
   * turns the append into a retry result, a WrongExpectedVersion or ('any', 'exists') a new attempt.
   */
  private async appendSerially(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    for (let attempt = 0; attempt <= MAX_INTERNAL_RETRIES; attempt++) {
      const outcome = await this.tryAppend(appends, attempt > 0);
      if (outcome) return outcome;
      if (attempt > 1) await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
    throw new EventStoreUnavailable(
      'kurrentdb',
      new Error(`append kept racing other writers ${MAX_INTERNAL_RETRIES} times`),
    );
  }

  private async tryAppend(
    appends: readonly StreamAppend[],
    withStoredIds: boolean,
  ): Promise<AppendResult[] | null> {
    const [ledgerHead, heads, stored] = await Promise.all([
      this.lastPosition(),
      Promise.all(appends.map((a) => this.head(a.streamId))),
      withStoredIds
        ? this.eventsById(appends.flatMap((a) => a.events.map((e) => e.eventId)))
        : Promise.resolve([]),
    ]);
    const recordedAt = this.clock().toISOString();
    const results: (AppendResult | null)[] = [];
    const toWrite: { streamId: string; head: StreamHead; events: PreparedEvent[] }[] = [];
    for (const [index, append] of appends.entries()) {
      const ids = new Set(append.events.map((e) => e.eventId.toLowerCase()));
      const retried = resolveRetry(
        append.streamId,
        append.events,
        stored.filter((e) => ids.has(e.eventId)),
      );
      results.push(retried);
      if (retried) continue;
      const head = heads[index];
      try {
        checkExpectedVersion(append.streamId, append.expectedVersion, head.version);
      } catch (error) {
        // Maybe a retry of an append that landed: only a read of the ids can tell.
        if (error instanceof WrongExpectedVersion && !withStoredIds) return null;
        throw error;
      }
      toWrite.push({
        streamId: append.streamId,
        head,
        events: prepareEvents(append.streamId, head, append.events, recordedAt),
      });
    }
    if (toWrite.length === 0) return results as AppendResult[];

    let position = ledgerHead;
    const requests: KurrentAppendRequest[] = [];
    const ledgerLinks: KurrentAppendRequest['events'] = [];
    const firstPositions: number[] = [];
    for (const { streamId, head, events } of toWrite) {
      const stream = this.names.stream(streamId);
      firstPositions.push(position + 1);
      requests.push({
        streamName: stream,
        expectedState: expectedStateOf(head.version),
        events: events.map((event) => encodeEvent(event, ++position)),
      });
      for (const event of events) {
        const revision = BigInt(event.streamVersion - 1);
        ledgerLinks.push(linkTo(stream, revision));
        requests.push({
          streamName: this.names.idStream(event.eventId),
          expectedState: 'no_stream',
          events: [linkTo(stream, revision)],
        });
      }
    }
    requests.push({
      streamName: this.names.ledger,
      expectedState: expectedStateOf(ledgerHead),
      events: ledgerLinks,
    });
    try {
      await this.log.multiStreamAppend(requests);
    } catch (error) {
      if (isRevisionConflict(error)) return null;
      throw toStoreError(error);
    }
    let written = 0;
    return results.map((result) => {
      if (result) return result;
      const { streamId, events } = toWrite[written];
      return resultOf(streamId, events, firstPositions[written++]);
    });
  }

  private async head(streamId: string): Promise<StreamHead> {
    const [last] = await this.read(this.names.stream(streamId), {
      fromRevision: 'end',
      direction: 'backwards',
      maxCount: 1,
    });
    if (!last) return EMPTY_HEAD;
    const event = decodeEvent(last, this.names);
    return { version: event.streamVersion, hash: event.hash };
  }

  /** The stored events of these ids, found through their id streams (absent ids are not stored). */
  private async eventsById(eventIds: readonly string[]): Promise<RecordedEvent[]> {
    const found = await Promise.all(
      eventIds.map((id) =>
        this.read(this.names.idStream(id), {
          fromRevision: 'start',
          maxCount: 1,
          resolveLinkTos: true,
        }),
      ),
    );
    return found.flat().map((resolved) => decodeEvent(resolved, this.names));
  }

  protected async readStreamStored(
    streamId: string,
    fromVersion: number,
    toVersion: number,
  ): Promise<RecordedEvent[]> {
    const records = await this.read(this.names.stream(streamId), {
      fromRevision: BigInt(fromVersion - 1),
      maxCount: BigInt(toVersion) - BigInt(fromVersion) + 1n,
    });
    return records.map((record) => decodeEvent(record, this.names));
  }

  protected async readAllStored(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const limit = readLimit(options.limit);
    const types = options.types && options.types.length > 0 ? new Set(options.types) : null;
    const events: RecordedEvent[] = [];
    let next = options.fromPosition ?? 1;
    for (;;) {
      const page = await this.read(this.names.ledger, {
        fromRevision: ledgerRevisionOf(next),
        maxCount: limit,
        resolveLinkTos: true,
      });
      for (const resolved of page) {
        const event = decodeEvent(resolved, this.names);
        const expected = next++;
        if (event.globalPosition !== expected) {
          throw new LogDamaged(
            'kurrentdb',
            `ledger entry ${expected} points at an event numbered ${event.globalPosition}`,
            { position: expected },
          );
        }
        if (!types || types.has(event.type)) events.push(event);
        if (events.length === limit) return events;
      }
      if (page.length < limit || !types) return events;
    }
  }

  async lastPosition(): Promise<number> {
    const [last] = await this.read(this.names.ledger, {
      fromRevision: 'end',
      direction: 'backwards',
      maxCount: 1,
    });
    return last?.event ? positionOfLedgerRevision(last.event.revision) : 0;
  }

  /** Each named stream's last event as KurrentDB holds it (for `keystone verify`), 16 reads at a time. */
  async streamHeads(
    options: { only?: string; seen?: readonly string[] } = {},
  ): Promise<Map<string, StreamHead>> {
    const streamIds = options.only ? [options.only] : (options.seen ?? []);
    const heads = new Map<string, StreamHead>();
    for (let i = 0; i < streamIds.length; i += 16) {
      const batch = streamIds.slice(i, i + 16);
      const read = await Promise.all(batch.map((id) => this.head(id)));
      batch.forEach((id, k) => read[k].version > 0 && heads.set(id, read[k]));
    }
    return heads;
  }

  companionSql(): CompanionSql {
    if (!this.companionPool)
      throw new Error(
        'The kurrentdb event store has no SQL database beside it for read models (KEYSTONE_POSTGRES_URL)',
      );
    return { kind: 'postgres', pool: this.companionPool };
  }

  async streamVersion(streamId: string): Promise<number> {
    return (await this.head(streamId)).version;
  }

  private async read(
    stream: string,
    options: Parameters<KurrentLog['readStream']>[1],
  ): Promise<KurrentResolved[]> {
    const records: KurrentResolved[] = [];
    try {
      for await (const record of this.log.readStream(stream, options)) records.push(record);
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw toStoreError(error);
    }
    return records;
  }

  async close(): Promise<void> {
    await this.appending;
    await this.log.dispose();
    await this.companionPool?.end().catch(() => undefined);
  }
}
