import type { EventStore } from '@keystone/event-store';
import type { DocumentProjection } from '../runner/projection';
import { tableOf } from '../runner/projection';
import type { SqlDatabase } from '@keystone/sql';

/** The reference every projection must equal: its evolve folded over the whole log, in memory. */
export async function straightFold<Row>(
  store: EventStore,
  projection: DocumentProjection<Row>,
): Promise<Map<string, Row>> {
  const rows = new Map<string, Row>();
  for (let from = 1; ;) {
    const batch = await store.readAll({ fromPosition: from, limit: 5_000 });
    if (batch.length === 0) return rows;
    for (const event of batch) {
      const key = projection.keyOf(event);
      if (key === null) continue;
      const row = projection.evolve(rows.get(key), event);
      if (row === undefined) rows.delete(key);
      else rows.set(key, row);
    }
    from = batch[batch.length - 1].globalPosition + 1;
  }
}

export async function tableRows<Row>(
  db: SqlDatabase,
  projection: DocumentProjection<Row>,
): Promise<Map<string, Row>> {
  const rows = await db.all<{ key: string; doc: string }>(
    `SELECT key, doc FROM ${tableOf(projection.name)} ORDER BY key`,
  );
  return new Map(rows.map((r) => [r.key, JSON.parse(r.doc) as Row]));
}
