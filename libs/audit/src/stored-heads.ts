import {
  KurrentDbEventStore,
  PostgresEventStore,
  SqliteEventStore,
  type EventStore,
} from '@keystone/event-store';

/**
 * The heads each adapter keeps per stream (what the next append chains onto), read directly. KurrentDB
 * keeps no head table: there the head is the native stream's last event, read for each stream the log
 * names (`seen`), so an event written to a stream behind the ledger's back shows as a mismatch.
 */
export async function storedStreamHeads(
  store: EventStore,
  only?: string,
  seen: readonly string[] = [],
): Promise<Map<string, { version: number; hash: string }>> {
  if (store instanceof KurrentDbEventStore) {
    const streams = only ? [only] : seen;
    return new Map((await store.nativeHeads(streams)).filter(([, head]) => head.version > 0));
  }
  if (store instanceof SqliteEventStore) {
    const rows = store.database
      .prepare<unknown[], { stream_id: string; version: number; head_hash: string }>(
        `SELECT stream_id, version, head_hash FROM streams${only ? ' WHERE stream_id = ?' : ''}`,
      )
      .all(...(only ? [only] : []));
    return new Map(rows.map((r) => [r.stream_id, { version: r.version, hash: r.head_hash }]));
  }
  if (store instanceof PostgresEventStore) {
    const { rows } = await store.sqlPool.query<{
      stream_id: string;
      version: number;
      head_hash: string;
    }>(
      `SELECT stream_id, version, head_hash FROM keystone_streams${only ? ' WHERE stream_id = $1' : ''}`,
      only ? [only] : [],
    );
    return new Map(rows.map((r) => [r.stream_id, { version: r.version, hash: r.head_hash }]));
  }
  return new Map();
}
