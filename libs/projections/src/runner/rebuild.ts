import type { EventStore } from '@keystone/event-store';
import { Checkpoint, type SqlDatabase } from '@keystone/sql';
import { tableOf, type DocumentProjection } from './projection';
import { createTable, ProjectionRunner } from './projection-runner';
import { foldStreamsInto } from './rebuild-by-stream';

export interface RebuildProgress {
  readonly projection: string;
  readonly position: number;
  readonly target: number;
  /** Streams folded so far, on the by-stream path. */
  readonly streams?: number;
}

/**
 * Rebuilds a projection from position 0 into a fresh table, then swaps it in with its checkpoint in
 * one transaction, so readers never see a half-built model. The live runner may keep going
 * meanwhile: both tables are folds of the same log, so whichever it writes to stays right.
 */
export async function rebuildProjection<Row>(
  db: SqlDatabase,
  store: EventStore,
  projection: DocumentProjection<Row>,
  options: { batchSize?: number; onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<number> {
  const live = tableOf(projection.name);
  const shadow = `${live}__rebuild`;
  const shadowCheckpoint = `${projection.name}__rebuild`;
  await new Checkpoint(db, shadowCheckpoint).init();
  await db.exec(`DROP TABLE IF EXISTS ${shadow}`);
  await db.write((tx) => Checkpoint.remove(tx, shadowCheckpoint));
  // Large batches touch each row fewer times; indexes are built once, at the swap.
  const runner = new ProjectionRunner(db, store, projection, {
    batchSize: options.batchSize ?? 20_000,
    target: { table: shadow, checkpoint: shadowCheckpoint, indexes: false },
  });
  await runner.init();
  if (projection.partitionedByStream) {
    const upTo = await store.lastPosition();
    await foldStreamsInto(db, store, projection, shadow, upTo, (streams) =>
      options.onProgress?.({ projection: projection.name, position: 0, target: upTo, streams }),
    );
    await db.write((tx) => new Checkpoint(db, shadowCheckpoint).advance(tx, 0, upTo));
  }
  let target = await store.lastPosition();
  let position = await runner.position();
  while (position < target) {
    position = await runner.catchUp((at) =>
      options.onProgress?.({ projection: projection.name, position: at, target }),
    );
    target = await store.lastPosition();
  }
  await createTable(db, live, projection as DocumentProjection<unknown>); // so there is something to drop
  await db.write((tx) => {
    tx.run(`DROP TABLE ${live}`);
    tx.run(`ALTER TABLE ${shadow} RENAME TO ${live}`);
    for (const column of projection.columns) {
      tx.run(`DROP INDEX IF EXISTS ${shadow}__${column.name}`);
      tx.run(`CREATE INDEX ${live}__${column.name} ON ${live} (${column.name})`);
    }
    Checkpoint.set(tx, projection.name, position);
    Checkpoint.remove(tx, shadowCheckpoint);
  });
  options.onProgress?.({ projection: projection.name, position, target: position });
  return position;
}
