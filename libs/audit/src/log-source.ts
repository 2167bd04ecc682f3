import {
  chainHash,
  hashOfCanonicalParts,
  SqliteEventStore,
  sqliteRowToRecorded,
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

/**
 * SQLite keeps data (and extra) as canonical JSON text, so the canonical encoding of an event can be
 * assembled from the stored columns and hashed without parsing. If that does not match (say the text
 * was rewritten in another but equivalent form), the event is parsed and hashed the exact way.
 */
function* sqliteSource(store: SqliteEventStore): Generator<CheckedEvent> {
  for (const row of store.storedRows()) {
    const [
      globalPosition,
      eventId,
      streamId,
      streamVersion,
      type,
      schemaVersion,
      dataJson,
      actor,
      role,
      correlationId,
      causationId,
      occurredAt,
      recordedAt,
      extraJson,
      hash,
    ] = row;
    const parts = {
      eventId,
      streamId,
      streamVersion,
      type,
      schemaVersion,
      dataJson,
      actor,
      role,
      correlationId,
      causationId,
      occurredAt,
      recordedAt,
      extraJson,
    };
    yield {
      streamId,
      streamVersion,
      globalPosition,
      hash,
      recompute(previousHash) {
        const fast = hashOfCanonicalParts(previousHash, parts);
        return fast === hash ? fast : chainHash(previousHash, sqliteRowToRecorded(row));
      },
    };
  }
}
