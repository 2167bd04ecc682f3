import type { EventStore } from '@keystone/event-store';
import type { SqlDatabase } from '@keystone/sql';
import type { DocumentProjection } from './projection';

const KEYS_PER_WRITE = 500;
const STREAMS_READ_AT_ONCE = 8;

/**
 * The fast path of a rebuild for projections whose rows each depend on one stream: fold every
 * stream up to `upTo` on its own and write each row once. Memory holds one chunk of rows at a time.
 * The caller then catches up from `upTo` the ordinary way.
 */
export async function foldStreamsInto<Row>(
  db: SqlDatabase,
  store: EventStore,
  projection: DocumentProjection<Row>,
  table: string,
  upTo: number,
  onProgress?: (streamsDone: number) => void,
): Promise<void> {
  const partition = projection.partitionedByStream;
  if (!partition) throw new Error(`${projection.name} is not partitioned by stream`);
  const columns = projection.columns.map((c) => c.name);
  const tuple = `(?, ?${columns.map(() => ', ?').join('')})`;
  let done = 0;
  for await (const keys of firstEventKeys(store, projection, upTo)) {
    const rows: (readonly unknown[])[] = [];
    for (let i = 0; i < keys.length; i += STREAMS_READ_AT_ONCE) {
      const folded = await Promise.all(
        keys
          .slice(i, i + STREAMS_READ_AT_ONCE)
          .map((key) => foldStream(store, projection, key, upTo)),
      );
      for (const [key, row] of folded)
        if (row !== undefined) rows.push([key, JSON.stringify(row), ...projection.columnsOf(row)]);
    }
    if (rows.length > 0) {
      const sql = `INSERT INTO ${table} (key, doc${columns.map((c) => `, ${c}`).join('')}) VALUES ${rows.map(() => tuple).join(', ')}`;
      await db.write((tx) => tx.run(sql, rows.flat()));
    }
    done += keys.length;
    onProgress?.(done);
  }
}

async function foldStream<Row>(
  store: EventStore,
  projection: DocumentProjection<Row>,
  key: string,
  upTo: number,
): Promise<[string, Row | undefined]> {
  let row: Row | undefined;
  for (const event of await store.readStream(projection.partitionedByStream!.streamOf(key))) {
    if (event.globalPosition > upTo) break;
    row = projection.evolve(row, event);
  }
  return [key, row];
}

/** The keys of every stream begun at or before `upTo`, in chunks, from the log's type index. */
async function* firstEventKeys<Row>(
  store: EventStore,
  projection: DocumentProjection<Row>,
  upTo: number,
): AsyncGenerator<string[]> {
  for (let from = 1; from <= upTo;) {
    const batch = await store.readAll({
      fromPosition: from,
      limit: KEYS_PER_WRITE,
      types: [projection.partitionedByStream!.firstEventType],
    });
    const keys = batch
      .filter((e) => e.globalPosition <= upTo)
      .map((e) => projection.keyOf(e))
      .filter((k): k is string => k !== null);
    if (keys.length > 0) yield keys;
    if (batch.length < KEYS_PER_WRITE) return;
    from = batch[batch.length - 1].globalPosition + 1;
  }
}
