import type { EventStore, RecordedEvent } from '@keystone/event-store';
import { Checkpoint, StaleWrite, type SqlDatabase } from '@keystone/sql';
import { tableOf, type DocumentProjection } from './projection';

export interface RunnerOptions {
  readonly batchSize?: number;
  /** Where to write instead of the live table and checkpoint (rebuilds). */
  readonly target?: {
    readonly table: string;
    readonly checkpoint: string;
    readonly indexes?: boolean;
  };
}

/**
 * Follows the log for one projection: read a batch after the checkpoint, fold the touched rows in
 * memory, then write rows and checkpoint in one transaction, on condition the checkpoint has not
 * moved (compare-and-set). A crash anywhere loses nothing and doubles nothing; two runners on one
 * projection waste work but never apply an event twice.
 */
export class ProjectionRunner<Row> {
  readonly table: string;
  readonly checkpoint: string;
  private readonly progress: Checkpoint;
  private readonly batchSize: number;
  private readonly indexes: boolean;

  constructor(
    private readonly db: SqlDatabase,
    private readonly store: EventStore,
    private readonly projection: DocumentProjection<Row>,
    options: RunnerOptions = {},
  ) {
    this.table = options.target?.table ?? tableOf(projection.name);
    this.checkpoint = options.target?.checkpoint ?? projection.name;
    this.progress = new Checkpoint(db, this.checkpoint);
    this.batchSize = options.batchSize ?? 2_000;
    this.indexes = options.target?.indexes ?? true;
  }

  async init(): Promise<void> {
    await this.progress.init();
    await createTable(this.db, this.table, this.projection, this.indexes);
  }

  position(): Promise<number> {
    return this.progress.position();
  }

  /** One batch; returns how many events it consumed (0 when caught up). */
  async step(): Promise<number> {
    for (;;) {
      const from = await this.position();
      const events = await this.read(from + 1);
      if (events.length === 0) return 0;
      try {
        await this.apply(from, events);
        return events.length;
      } catch (error) {
        if (!(error instanceof StaleWrite)) throw error; // another runner moved on: read again
      }
    }
  }

  async catchUp(onProgress?: (position: number) => void): Promise<number> {
    while ((await this.step()) > 0) onProgress?.(await this.position());
    return this.position();
  }

  private async apply(from: number, events: readonly RecordedEvent[]): Promise<void> {
    const keyed = events
      .map((event) => [event, this.projection.keyOf(event)] as const)
      .filter(([, key]) => key !== null) as [RecordedEvent, string][];
    const rows = await this.load([...new Set(keyed.map(([, key]) => key))]);
    const dirty = new Set<string>();
    for (const [event, key] of keyed) {
      rows.set(key, this.projection.evolve(rows.get(key), event));
      dirty.add(key);
    }
    const to = events[events.length - 1].globalPosition;
    const upserts: (readonly unknown[])[] = [];
    const deletes: string[] = [];
    for (const key of dirty) {
      const row = rows.get(key);
      if (row === undefined) deletes.push(key);
      else upserts.push([key, JSON.stringify(row), ...this.projection.columnsOf(row)]);
    }
    await this.db.write((tx) => {
      this.progress.advance(tx, from, to);
      for (const key of deletes) tx.run(`DELETE FROM ${this.table} WHERE key = ?`, [key]);
      for (let i = 0; i < upserts.length; i += UPSERT_CHUNK) {
        const chunk = upserts.slice(i, i + UPSERT_CHUNK);
        tx.run(this.upsertSql(chunk.length), chunk.flat());
      }
    });
  }

  /** One statement for many rows: far fewer round trips than a statement a row. */
  private upsertSql(rows: number): string {
    const columns = this.projection.columns.map((c) => c.name);
    const tuple = `(?, ?${columns.map(() => ', ?').join('')})`;
    return `INSERT INTO ${this.table} (key, doc${columns.map((c) => `, ${c}`).join('')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}
      ON CONFLICT (key) DO UPDATE SET doc = excluded.doc${columns.map((c) => `, ${c} = excluded.${c}`).join('')}`;
  }

  /** A batch may be larger than one readAll page. */
  private async read(fromPosition: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    while (events.length < this.batchSize) {
      const next = events.length ? events[events.length - 1].globalPosition + 1 : fromPosition;
      const page = await this.store.readAll({
        fromPosition: next,
        limit: Math.min(10_000, this.batchSize - events.length),
      });
      events.push(...page);
      if (page.length === 0) break;
    }
    return events;
  }

  private async load(keys: string[]): Promise<Map<string, Row | undefined>> {
    const rows = new Map<string, Row | undefined>();
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      const found = await this.db.all<{ key: string; doc: string }>(
        `SELECT key, doc FROM ${this.table} WHERE key IN (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      for (const { key, doc } of found) rows.set(key, JSON.parse(doc) as Row);
    }
    return rows;
  }
}

export async function createTable(
  db: SqlDatabase,
  table: string,
  projection: DocumentProjection<unknown>,
  indexes = true,
): Promise<void> {
  const columns = projection.columns.map((c) => `, ${c.name} ${c.type}`).join('');
  await db.exec(
    `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, doc TEXT NOT NULL${columns})`,
  );
  for (const column of indexes ? projection.columns : []) {
    await db.exec(
      `CREATE INDEX IF NOT EXISTS ${table}__${column.name} ON ${table} (${column.name})`,
    );
  }
}

const UPSERT_CHUNK = 250;
