import {
  chainHash,
  hashOfCanonicalParts,
  SqliteEventStore,
  type EventStore,
  type RecordedEvent,
} from '@keystone/event-store';

/** One stored event as the verifier sees it: where it sits, its stored hash, and how to recompute it. */
export interface CheckedEvent {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly globalPosition: number;
  readonly hash: string;
  recompute(previousHash: string): string;
}

/** The whole log in position order, a batch at a time, never all of it in memory. */
export async function* logSource(
  store: EventStore,
  batchSize = 5_000,
): AsyncGenerator<CheckedEvent> {
  if (store instanceof SqliteEventStore) {
    yield* sqliteSource(store);
    return;
  }
  for (let from = 1; ;) {
    const batch = await store.readAll({ fromPosition: from, limit: batchSize, raw: true });
    if (batch.length === 0) return;
    for (const event of batch) yield generic(event);
    from = batch[batch.length - 1].globalPosition + 1;
  }
}

function generic(event: RecordedEvent): CheckedEvent {
  return { ...event, recompute: (previousHash) => chainHash(previousHash, event) };
}

type Row = [
  number,
  string,
  string,
  number,
  string,
  number,
  string,
  string,
  string,
  string,
  string | null,
  string,
  string,
  string | null,
  string,
];

/**
 * SQLite keeps data (and extra) as canonical JSON text, so the canonical encoding of an event can be
 * assembled from the stored columns and hashed without parsing. If that does not match (say the text
 * was rewritten in another but equivalent form), the event is parsed and hashed the exact way.
 */
function* sqliteSource(store: SqliteEventStore): Generator<CheckedEvent> {
  const rows = store.database
    .prepare(
      'SELECT global_position, event_id, stream_id, stream_version, type, schema_version, data, actor, role, correlation_id, causation_id, occurred_at, recorded_at, extra, hash FROM events ORDER BY global_position',
    )
    .raw(true)
    .iterate() as IterableIterator<Row>;
  for (const row of rows) {
    const [
      globalPosition,
      eventId,
      streamId,
      streamVersion,
      type,
      schemaVersion,
      data,
      actor,
      role,
      correlationId,
      causationId,
      occurredAt,
      recordedAt,
      extra,
      hash,
    ] = row;
    const parts = {
      eventId,
      streamId,
      streamVersion,
      type,
      schemaVersion,
      dataJson: data,
      actor,
      role,
      correlationId,
      causationId,
      occurredAt,
      recordedAt,
      extraJson: extra,
    };
    yield {
      streamId,
      streamVersion,
      globalPosition,
      hash,
      recompute(previousHash) {
        const fast = hashOfCanonicalParts(previousHash, parts);
        if (fast === hash) return fast;
        const parsed = {
          eventId,
          streamId,
          streamVersion,
          type,
          schemaVersion,
          data: JSON.parse(data),
          metadata: {
            actor,
            role,
            correlationId,
            causationId,
            occurredAt,
            recordedAt,
            ...(extra === null ? {} : { extra: JSON.parse(extra) }),
          },
        };
        return chainHash(previousHash, parsed);
      },
    };
  }
}
