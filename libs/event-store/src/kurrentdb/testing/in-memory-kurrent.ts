import { setImmediate as nextTurn } from 'node:timers/promises';
import { StreamNotFoundError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { LINK_TYPE, type KurrentAppendRequest, type KurrentResolved } from '../kurrentdb.codec';
import type { KurrentLog } from '../kurrentdb.event-store';

interface StoredRecord {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly contentType: string;
  readonly data: Buffer;
  readonly metadata: Buffer;
}

/**
 * A stand-in for a KurrentDB server, in memory, for the adapter's own logic: NOT a KurrentDB server,
 * and passing against it says nothing of how a server behaves. It models only what the adapter relies
 * on, as documented: per-stream revisions checked atomically across one multiStreamAppend, reads
 * forwards and backwards, `$>` links resolved on read, string-valued metadata stored as JSON, data
 * round-tripped through JSON text, and the client's own error classes. Every call yields to the event
 * loop first, so concurrent clients interleave as they would over a network.
 */
export class InMemoryKurrent {
  private readonly streams = new Map<string, StoredRecord[]>();
  /** The next multiStreamAppend fails with this instead (for error-mapping tests). */
  failNextAppendWith: unknown = null;
  /** The next multiStreamAppend is applied, but its reply is lost and this error thrown instead. */
  loseNextReplyWith: unknown = null;
  appendCalls = 0;

  /** A client on this stand-in, as another process would hold one. */
  client(): KurrentLog {
    return {
      readStream: (stream, options) => this.readStream(stream, options),
      multiStreamAppend: (requests) => this.multiStreamAppend(requests),
      dispose: async () => undefined,
    };
  }

  /** Every stored record of a stream, for tests that look at the layout. */
  recordsOf(stream: string): readonly StoredRecord[] {
    return this.streams.get(stream) ?? [];
  }

  streamNames(): string[] {
    return [...this.streams.keys()];
  }

  private async *readStream(
    stream: string,
    options: Parameters<KurrentLog['readStream']>[1],
  ): AsyncGenerator<KurrentResolved> {
    await nextTurn();
    const records = this.streams.get(stream);
    if (!records) throw new StreamNotFoundError(undefined, stream);
    const backwards = options.direction === 'backwards';
    const from =
      options.fromRevision === undefined || options.fromRevision === 'start'
        ? backwards
          ? BigInt(records.length - 1)
          : 0n
        : options.fromRevision === 'end'
          ? backwards
            ? BigInt(records.length - 1)
            : BigInt(records.length)
          : options.fromRevision;
    let left =
      options.maxCount === undefined ? BigInt(Number.MAX_SAFE_INTEGER) : BigInt(options.maxCount);
    for (
      let revision = from;
      left > 0n && revision >= 0n && revision < BigInt(records.length);
      revision += backwards ? -1n : 1n, left--
    ) {
      const record = records[Number(revision)];
      yield options.resolveLinkTos && record.type === LINK_TYPE
        ? this.resolve(record)
        : { event: this.asClientRecord(record) };
    }
  }

  private resolve(link: StoredRecord): KurrentResolved {
    const [revision, ...rest] = link.data.toString('utf8').split('@');
    const target = this.streams.get(rest.join('@'))?.[Number(revision)];
    return {
      link: this.asClientRecord(link),
      ...(target ? { event: this.asClientRecord(target) } : {}),
    };
  }

  /** As the client's convertGrpcRecord builds it: JSON data and metadata parsed. */
  private asClientRecord(record: StoredRecord) {
    return {
      streamId: record.streamId,
      id: record.id,
      revision: record.revision,
      type: record.type,
      data:
        record.contentType === 'application/json'
          ? JSON.parse(record.data.toString('utf8'))
          : new Uint8Array(record.data),
      metadata:
        record.metadata.length > 0 ? JSON.parse(record.metadata.toString('utf8')) : undefined,
    };
  }

  private async multiStreamAppend(requests: KurrentAppendRequest[]): Promise<unknown> {
    // The client's own check, before anything is sent.
    for (const request of requests) {
      for (const event of request.events) {
        const metadata = event.metadata as unknown;
        if (metadata == null) continue;
        if (
          typeof metadata !== 'object' ||
          Array.isArray(metadata) ||
          Object.values(metadata).some((value) => typeof value !== 'string')
        ) {
          throw new Error(
            'multiStreamAppend requires metadata to be a plain object with string keys and string values.',
          );
        }
      }
    }
    await nextTurn();
    this.appendCalls++;
    if (this.failNextAppendWith !== null) {
      const error = this.failNextAppendWith;
      this.failNextAppendWith = null;
      throw error;
    }
    for (const { streamName, expectedState } of requests) {
      const length = BigInt(this.streams.get(streamName)?.length ?? 0);
      const current = length === 0n ? 'no_stream' : length - 1n;
      const ok =
        expectedState === 'any' ||
        (expectedState === 'no_stream' && length === 0n) ||
        (expectedState === 'stream_exists' && length > 0n) ||
        expectedState === current;
      if (!ok) {
        throw new WrongExpectedVersionError(undefined, {
          streamName,
          expected: expectedState,
          current,
        });
      }
    }
    for (const { streamName, events } of requests) {
      const records = this.streams.get(streamName) ?? [];
      this.streams.set(streamName, records);
      for (const event of events) {
        records.push({
          streamId: streamName,
          id: event.id,
          revision: BigInt(records.length),
          type: event.type,
          contentType: event.contentType,
          data:
            event.contentType === 'application/json'
              ? Buffer.from(JSON.stringify(event.data), 'utf8')
              : Buffer.from(event.data),
          metadata: event.metadata
            ? Buffer.from(JSON.stringify(event.metadata), 'utf8')
            : Buffer.alloc(0),
        });
      }
    }
    if (this.loseNextReplyWith !== null) {
      const error = this.loseNextReplyWith;
      this.loseNextReplyWith = null;
      throw error;
    }
    return { position: 0n, responses: [] };
  }
}
