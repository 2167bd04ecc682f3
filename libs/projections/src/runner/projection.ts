import type { RecordedEvent } from '@keystone/event-store';

/**
 * A read model kept as one JSON document per key, with a few columns pulled out for queries.
 * `evolve` is pure: the runner applies it in batches, idempotent by checkpoint.
 */
export interface DocumentProjection<Row> {
  readonly name: string;
  keyOf(event: RecordedEvent): string | null;
  evolve(row: Row | undefined, event: RecordedEvent): Row | undefined;
  readonly columns: readonly { readonly name: string; readonly type: 'TEXT' | 'INTEGER' }[];
  columnsOf(row: Row): readonly (string | number | null)[];
  /**
   * Set when every row depends on one stream only (its key names the stream): a rebuild may then
   * fold stream by stream and write each row once, instead of touching rows batch after batch.
   */
  readonly partitionedByStream?: {
    /** The event that starts such a stream. */
    readonly firstEventType: string;
    streamOf(key: string): string;
  };
}

export const tableOf = (name: string): string => `rm_${name.replace(/-/g, '_')}`;
