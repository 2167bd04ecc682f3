import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  checkExpectedVersion,
  EMPTY_HEAD,
  prepareEvents,
  readLimit,
  resolveRetry,
  resultOf,
  type StreamHead,
} from '../append-planning';
import { BaseEventStore, type EventStoreOptions } from '../base-event-store';
import { LogDamaged, ReceiptTaken, storageFailure } from '../errors';
import type {
  AppendResult,
  CheckedEvent,
  CompanionSql,
  NewEvent,
  PositionRange,
  ReadAllOptions,
  RecordedEvent,
  StreamAppend,
} from '../event-store.port';
import {
  chainHash,
  GENESIS_HASH,
  hashOfCanonicalParts,
  hashOfCanonicalText,
  logHash,
  type CanonicalParts,
} from '../hash-chain';
import type {
  AppendReceipt,
  EventStoreHealth,
  LogChainInfo,
  StoredReceipt,
} from '../event-store.port';
import {
  DEFAULT_WRITE_WAIT_MS,
  SYNC_BUSY_MS,
  WRITE_BUSY_MS,
  writeWhenFree,
} from '../write-when-free';
import { SQLITE_ADD_LOG_HASH, SQLITE_LIFT_UPDATE_TRIGGER, SQLITE_SCHEMA } from './sqlite.schema';

export interface SqliteEventStoreOptions extends EventStoreOptions {
  /** A file path, or ':memory:' for unit tests. */
  readonly path: string;
  /**
   * 'normal' (default) survives a crash of Keystone without losing a committed append; 'full'
   * also survives a power cut, at a fraction of the write rate.
   */
  readonly synchronous?: 'normal' | 'full';
  /**
   * For the auditor's tools: the file is opened read-only and nothing is set up, migrated or
   * tightened, so verifying a log never changes it (not even a dropped trigger put back).
   */
  readonly readOnly?: boolean;
  /**
   * How long an append waits in all for another process's write lock, from the event loop
   * (write-when-free.ts); defaults to 10 s.
   */
  readonly writeWaitMs?: number;
}

/** Rows are read as arrays (better-sqlite3's raw mode): about twice as fast as named rows. */
export type SqliteEventRow = [
  globalPosition: number,
  eventId: string,
  streamId: string,
  streamVersion: number,
  type: string,
  schemaVersion: number,
  data: string,
  actor: string,
  role: string,
  correlationId: string,
  causationId: string | null,
  occurredAt: string,
  recordedAt: string,
  extra: string | null,
  hash: string,
  logHash: string | null,
];

/** The columns read, in SqliteEventRow's order; a log not yet migrated reads NULL for log_hash. */
const columns = (logHashColumn: boolean) =>
  `global_position, event_id, stream_id, stream_version, type, schema_version, data, actor, role, correlation_id, causation_id, occurred_at, recorded_at, extra, hash, ${logHashColumn ? 'log_hash' : 'NULL'}`;

/** Below this much free space beside the log, /health warns. */
const LOW_DISK_MIB = 256;

/** Where the log ends as an append sees it: the next event chains onto this. */
interface LogTail {
  position: number;
  logHash: string;
}

/** The embedded default: one SQLite file in WAL mode, every append one IMMEDIATE transaction. */
export class SqliteEventStore extends BaseEventStore {
  readonly adapter = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements;
  private readonly hasLogHash: boolean;
  private readonly columnList: string;
  private readonly appendTransaction: (
    appends: readonly StreamAppend[],
    receipt: AppendReceipt | undefined,
  ) => AppendResult[];

  constructor(private readonly options: SqliteEventStoreOptions) {
    super(options);
    this.writeWaitMs = options.writeWaitMs ?? DEFAULT_WRITE_WAIT_MS;
    if (options.readOnly) {
      this.db = new Database(options.path, { readonly: true, fileMustExist: true });
      this.db.pragma(`busy_timeout = ${SYNC_BUSY_MS}`);
      // A reader walks the whole file (verify, export): mapped, its pages are read without a call each.
      this.db.pragma('mmap_size = 1073741824');
    } else {
      if (options.path !== ':memory:') ownerOnlyFile(options.path);
      this.db = new Database(options.path);
      try {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
        this.db.pragma(`busy_timeout = ${SYNC_BUSY_MS}`);
        this.bootCheck();
        this.db.exec(SQLITE_SCHEMA);
        this.migrateToLogChain();
        // Set up: from here a write waits for another process's lock from the event loop.
        this.db.pragma(`busy_timeout = ${WRITE_BUSY_MS}`);
      } catch (error) {
        this.db.close();
        throw damaged(options.path, error) ?? error;
      }
    }
    this.db.pragma('cache_size = -65536'); // 64 MiB: the id and stream indexes stay in memory
    this.hasLogHash = this.columnsOf('events').includes('log_hash');
    const COLUMNS = columns(this.hasLogHash);
    this.columnList = COLUMNS;
    this.statements = {
      head: this.db.prepare<[string], { version: number; head_hash: string }>(
        'SELECT version, head_hash FROM streams WHERE stream_id = ?',
      ),
      byEventId: this.db
        .prepare<[string], SqliteEventRow>(`SELECT ${COLUMNS} FROM events WHERE event_id = ?`)
        .raw(true),
      tail: this.db.prepare<[], { global_position: number; log_hash: string | null }>(
        `SELECT global_position, ${this.hasLogHash ? 'log_hash' : 'NULL AS log_hash'} FROM events ORDER BY global_position DESC LIMIT 1`,
      ),
      readStream: this.db
        .prepare<[string, number, number], SqliteEventRow>(
          `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND stream_version BETWEEN ? AND ? ORDER BY stream_version`,
        )
        .raw(true),
      readAll: this.db
        .prepare<[number, number], SqliteEventRow>(
          `SELECT ${COLUMNS} FROM events WHERE global_position >= ? ORDER BY global_position LIMIT ?`,
        )
        .raw(true),
      lastPosition: this.db.prepare<[], { p: number | null }>(
        'SELECT max(global_position) AS p FROM events',
      ),
    };
    const writes = options.readOnly
      ? null
      : {
          insert: this.db.prepare(
            `INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version, data,
               actor, role, correlation_id, causation_id, occurred_at, recorded_at, extra, hash, log_hash)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ),
          upsertHead: this.db.prepare(
            'INSERT INTO streams (stream_id, version, head_hash) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, head_hash = excluded.head_hash',
          ),
          receipt: this.db.prepare(
            'INSERT INTO append_receipts (owner, key, request_hash, outcome, last_position) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
          ),
        };
    this.appendTransaction = this.db.transaction(
      (appends: readonly StreamAppend[], receipt: AppendReceipt | undefined) => {
        if (!writes) throw new Error(`the log at ${options.path} was opened read-only`);
        const tail = this.tail();
        const results = appends.map((append) => this.appendOne(append, tail, writes));
        if (receipt) {
          const { changes } = writes.receipt.run(
            receipt.owner,
            receipt.key,
            receipt.requestHash,
            JSON.stringify(receipt.outcome),
            Math.max(...results.map((r) => r.lastPosition)),
          );
          // Stored by a twin of this request: roll back, so the change is made once.
          if (changes === 0) throw new ReceiptTaken(receipt.owner, receipt.key);
        }
        return results;
      },
    ).immediate;
  }

  /**
   * Before serving a file, SQLite's quick_check of its structure: a damaged log is refused with one
   * line naming the file and what to do, never served (and written into). About a second per GiB.
   */
  private bootCheck(): void {
    if (this.options.path === ':memory:') return;
    const rows = this.db.pragma('quick_check(5)') as { quick_check: string }[];
    const problems = rows.map((row) => row.quick_check).filter((line) => line !== 'ok');
    if (problems.length > 0)
      throw new LogDamaged(
        'sqlite',
        `${this.options.path} fails SQLite's quick_check (${problems.join('; ')}); do not write to it: restore the log from its latest backup (keystone verify names what it cannot read)`,
        { path: this.options.path },
      );
  }

  /** SQLite's quick_check, for `keystone verify`: the damaged pages and rows, named (20 at most). */
  override async integrityProblems(): Promise<string[]> {
    try {
      const rows = this.db.pragma('quick_check(20)') as { quick_check: string }[];
      return rows.map((row) => row.quick_check).filter((line) => line !== 'ok');
    } catch (error) {
      return [`quick_check could not run: ${(error as Error).message}`];
    }
  }

  /** The log's last position and log hash (genesis when empty), read inside the append's transaction. */
  private tail(): LogTail {
    const row = this.statements.tail.get();
    if (!row) return { position: 0, logHash: GENESIS_HASH };
    if (row.log_hash === null)
      throw new Error(
        `event ${row.global_position} has no log hash: the log chain was not migrated`,
      );
    return { position: row.global_position, logHash: row.log_hash };
  }

  private columnsOf(table: string): string[] {
    return this.db
      .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
      .all()
      .map((c) => c.name);
  }

  /**
   * A log made before the log-wide chain gets its log hashes once, in one transaction, recorded in
   * log_migrations as computed by migration (through which position, when).
   */
  private migrateToLogChain(): void {
    if (this.columnsOf('events').includes('log_hash')) return;
    this.db
      .transaction(() => {
        this.db.exec(SQLITE_ADD_LOG_HASH);
        this.db.exec(SQLITE_LIFT_UPDATE_TRIGGER);
        const update = this.db.prepare('UPDATE events SET log_hash = ? WHERE global_position = ?');
        let previous = GENESIS_HASH;
        let through = 0;
        const rows = this.db
          .prepare<[], [number, string]>(
            'SELECT global_position, hash FROM events ORDER BY global_position',
          )
          .raw(true)
          .all();
        for (const [position, hash] of rows) {
          previous = logHash(previous, position, hash);
          update.run(previous, position);
          through = position;
        }
        this.db
          .prepare(
            'INSERT INTO log_migrations (name, applied_at, through_position) VALUES (?, ?, ?)',
          )
          .run('log-chain', this.clock().toISOString(), through);
        this.db.exec(SQLITE_SCHEMA); // puts the append-only trigger back
      })
      .immediate();
  }

  override async logChain(): Promise<LogChainInfo> {
    if (!this.hasLogHash) return { stored: false, migration: null };
    const tables = this.db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'log_migrations'",
      )
      .all();
    const row =
      tables.length === 0
        ? undefined
        : this.db
            .prepare<[], { applied_at: string; through_position: number }>(
              "SELECT applied_at, through_position FROM log_migrations WHERE name = 'log-chain'",
            )
            .get();
    return {
      stored: true,
      migration: row ? { throughPosition: row.through_position, appliedAt: row.applied_at } : null,
    };
  }

  async receipt(owner: string, key: string): Promise<StoredReceipt | null> {
    const row = this.db
      .prepare<[string, string], { request_hash: string; outcome: string; last_position: number }>(
        'SELECT request_hash, outcome, last_position FROM append_receipts WHERE owner = ? AND key = ?',
      )
      .get(owner, key);
    return row
      ? {
          requestHash: row.request_hash,
          outcome: JSON.parse(row.outcome),
          lastPosition: row.last_position,
        }
      : null;
  }

  override async missingSafeguards(): Promise<string[]> {
    const present = new Set(
      this.db
        .prepare<[], { name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'",
        )
        .all()
        .map((t) => t.name),
    );
    return ['events_no_update', 'events_no_delete']
      .filter((name) => !present.has(name))
      .map((name) => `trigger ${name}`);
  }

  override async logHashAt(position: number): Promise<string | null> {
    if (!this.hasLogHash) return null;
    const row = this.db
      .prepare<[number], { log_hash: string | null }>(
        'SELECT log_hash FROM events WHERE global_position = ?',
      )
      .get(position);
    return row?.log_hash ?? null;
  }

  /** A failing disk or lock rolls the transaction back: STORAGE.FULL / UNAVAILABLE, nothing written. */
  protected async appendValidated(
    appends: readonly StreamAppend[],
    receipt?: AppendReceipt,
  ): Promise<AppendResult[]> {
    try {
      return await writeWhenFree(() => this.appendTransaction(appends, receipt), this.writeWaitMs);
    } catch (error) {
      const failure = storageFailure(error, 'sqlite');
      if (failure?.code === 'STORAGE.FULL') this.lastFullAt = Date.now();
      throw failure ?? error;
    }
  }

  private lastFullAt = 0;

  /** How long an append waits in all for another process's write lock (tests shorten it). */
  writeWaitMs: number;

  /**
   * Reachable is not enough: a disk nearly full, or a write just refused for want of space, is a
   * warning /health shows (the process goes on by itself once space returns).
   */
  override async health(): Promise<EventStoreHealth> {
    const base = await super.health();
    if (!base.reachable || this.options.path === ':memory:') return base;
    const warnings: string[] = [];
    if (Date.now() - this.lastFullAt < 60_000)
      warnings.push('the last write was refused: the disk holding the log is full');
    try {
      const { bavail, bsize } = statfsSync(dirname(this.options.path));
      const freeMiB = Math.floor((bavail * bsize) / 1024 / 1024);
      if (freeMiB < LOW_DISK_MIB) warnings.push(`the disk holding the log has ${freeMiB} MiB free`);
    } catch {
      // statfs unavailable: nothing to say
    }
    return warnings.length > 0 ? { ...base, warnings } : base;
  }

  private appendOne(
    { streamId, events, expectedVersion }: StreamAppend,
    tail: LogTail,
    writes: { insert: Database.Statement; upsertHead: Database.Statement },
  ): AppendResult {
    const retried = resolveRetry(streamId, events, this.storedWithIds(events));
    if (retried) return retried;
    const head = this.head(streamId);
    checkExpectedVersion(streamId, expectedVersion, head.version);
    const prepared = prepareEvents(streamId, head, events, this.clock().toISOString());
    const firstPosition = tail.position + 1;
    for (const event of prepared) {
      const { metadata } = event;
      tail.position += 1;
      tail.logHash = logHash(tail.logHash, tail.position, event.hash);
      writes.insert.run(
        tail.position,
        event.eventId,
        streamId,
        event.streamVersion,
        event.type,
        event.schemaVersion,
        event.dataJson,
        metadata.actor,
        metadata.role,
        metadata.correlationId,
        metadata.causationId,
        metadata.occurredAt,
        metadata.recordedAt,
        event.extraJson,
        event.hash,
        tail.logHash,
      );
    }
    const last = prepared[prepared.length - 1];
    writes.upsertHead.run(streamId, last.streamVersion, last.hash);
    return resultOf(streamId, prepared, firstPosition);
  }

  private storedWithIds(events: readonly NewEvent[]): RecordedEvent[] {
    const stored: RecordedEvent[] = [];
    for (const event of events) {
      const row = this.statements.byEventId.get(event.eventId.toLowerCase());
      if (row) stored.push(sqliteRowToRecorded(row));
    }
    return stored;
  }

  private head(streamId: string): StreamHead {
    const row = this.statements.head.get(streamId);
    return row ? { version: row.version, hash: row.head_hash } : EMPTY_HEAD;
  }

  protected async readStreamStored(
    streamId: string,
    fromVersion: number,
    toVersion: number,
  ): Promise<RecordedEvent[]> {
    return this.statements.readStream
      .all(streamId, fromVersion, toVersion)
      .map(sqliteRowToRecorded);
  }

  protected async readAllStored(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const fromPosition = options.fromPosition ?? 1;
    const limit = readLimit(options.limit);
    if (!options.types)
      return this.statements.readAll.all(fromPosition, limit).map(sqliteRowToRecorded);
    if (options.types.length === 0) return [];
    const placeholders = options.types.map(() => '?').join(', ');
    return this.db
      .prepare<unknown[], SqliteEventRow>(
        `SELECT ${this.columnList} FROM events WHERE global_position >= ? AND type IN (${placeholders}) ORDER BY global_position LIMIT ?`,
      )
      .raw(true)
      .all(fromPosition, ...options.types, limit)
      .map(sqliteRowToRecorded);
  }

  async lastPosition(): Promise<number> {
    return this.statements.lastPosition.get()?.p ?? 0;
  }

  async streamVersion(streamId: string): Promise<number> {
    return this.head(streamId).version;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** For tools that need SQL on the same file (projections, audit); the log itself stays append-only. */
  get database(): Database.Database {
    return this.db;
  }

  get path(): string {
    return this.options.path;
  }

  /** Every stored row in position order, streamed, not upcast (the verifier hashes the stored text). */
  storedRows(): IterableIterator<SqliteEventRow> {
    return this.db
      .prepare<[], SqliteEventRow>(`SELECT ${this.columnList} FROM events ORDER BY global_position`)
      .raw(true)
      .iterate();
  }

  /**
   * SQLite keeps data (and extra) as canonical JSON text, so the canonical encoding of an event is
   * assembled in the query itself, around the previous hash the walk supplies (CANONICAL_AROUND), and
   * only hashed here: no column is copied into JavaScript for it. If that does not give the stored
   * hash (say the text was rewritten in another but equivalent form), the whole row is read again
   * and hashed the exact way, so the verdict is the exact hash's.
   */
  override async *storedEventBatches(
    batchSize = 500,
    range: PositionRange = {},
  ): AsyncGenerator<CheckedEvent[]> {
    // A batch per call (keyset, by position): no await, and no cursor stepped, per row. Small
    // batches die young: over 1,000,000 events, 500 a batch walked in about 8 s where 5,000 took
    // about 10 (interleaved runs), the rest of the difference being the garbage collector's.
    const page = this.db
      .prepare<[number, number, number], CanonicalRow>(
        `SELECT global_position, stream_id, stream_version, hash, ${this.hasLogHash ? 'log_hash' : 'NULL'}, ${CANONICAL_AROUND}
           FROM events WHERE global_position > ? AND global_position <= ? ORDER BY global_position LIMIT ?`,
      )
      .raw(true);
    const whole = this.db
      .prepare<[number], SqliteEventRow>(
        `SELECT ${this.columnList} FROM events WHERE global_position = ?`,
      )
      .raw(true);
    const exact = (position: number, previousHash: string): string | null => {
      const row = whole.get(position);
      return row ? exactHash(previousHash, row) : null;
    };
    const through = range.through ?? Number.MAX_SAFE_INTEGER;
    for (let after = range.after ?? 0; ;) {
      const rows = page.all(after, through, batchSize);
      if (rows.length === 0) return;
      const checked = new Array<CheckedEvent>(rows.length);
      for (let i = 0; i < rows.length; i++) checked[i] = new CheckedRow(rows[i], exact);
      yield checked;
      after = rows[rows.length - 1][0];
    }
  }

  override async streamHeadsBefore(
    position: number,
    streamIds: readonly string[],
  ): Promise<Map<string, StreamHead>> {
    // Each stream's last position before `position` from the (stream, version) index, then its row.
    const last = this.db.prepare<
      [string, number],
      { stream_id: string; version: number; hash: string }
    >(
      `SELECT stream_id, stream_version AS version, hash FROM events WHERE global_position IN (
         SELECT max(global_position) FROM events
          WHERE stream_id IN (SELECT value FROM json_each(?)) AND global_position < ? GROUP BY stream_id)`,
    );
    const heads = new Map<string, StreamHead>();
    for (let i = 0; i < streamIds.length; i += 1_000)
      for (const head of last.all(JSON.stringify(streamIds.slice(i, i + 1_000)), position))
        heads.set(head.stream_id, { version: head.version, hash: head.hash });
    return heads;
  }

  async streamHeads(options: { only?: string } = {}): Promise<Map<string, StreamHead>> {
    const { only } = options;
    const rows = this.db
      .prepare<unknown[], { stream_id: string; version: number; head_hash: string }>(
        `SELECT stream_id, version, head_hash FROM streams${only ? ' WHERE stream_id = ?' : ''}`,
      )
      .all(...(only ? [only] : []));
    return new Map(rows.map((r) => [r.stream_id, { version: r.version, hash: r.head_hash }]));
  }

  companionSql(): CompanionSql {
    return { kind: 'sqlite', database: this.db, path: this.options.path };
  }
}

/** A stored row's columns by name: the hash's canonical parts, where it sits, and its stored hash. */
function partsOf(
  row: SqliteEventRow,
): CanonicalParts & { globalPosition: number; hash: string; logHash: string | null } {
  // Named one by one: spreading partial objects makes slow dictionary objects, and verify reads
  // every row of the log through here.
  return {
    globalPosition: row[0] as number,
    eventId: row[1] as string,
    streamId: row[2] as string,
    streamVersion: row[3] as number,
    type: row[4] as string,
    schemaVersion: row[5] as number,
    dataJson: row[6] as string,
    actor: row[7] as string,
    role: row[8] as string,
    correlationId: row[9] as string,
    causationId: row[10] as string | null,
    occurredAt: row[11] as string,
    recordedAt: row[12] as string,
    extraJson: row[13] as string | null,
    hash: row[14] as string,
    logHash: (row[15] ?? null) as string | null,
  };
}

/**
 * The canonical text chainHash hashes, in two pieces either side of the previous hash, as SQLite
 * builds it from the stored columns: the same keys in the same (canonical) order as
 * hashOfCanonicalParts, json_quote for the strings (json_quote(NULL) is null, as causationId's is).
 * Where SQLite's quoting ever differs from JSON.stringify, the hash differs and the exact way decides.
 */
export const CANONICAL_AROUND = `'{"data":' || data || ',"eventId":' || json_quote(event_id)
  || ',"metadata":{"actor":' || json_quote(actor) || ',"causationId":' || json_quote(causation_id)
  || ',"correlationId":' || json_quote(correlation_id)
  || CASE WHEN extra IS NULL THEN '' ELSE ',"extra":' || extra END
  || ',"occurredAt":' || json_quote(occurred_at) || ',"recordedAt":' || json_quote(recorded_at)
  || ',"role":' || json_quote(role) || '},"previousHash":"',
  '","schemaVersion":' || schema_version || ',"streamId":' || json_quote(stream_id)
  || ',"streamVersion":' || stream_version || ',"type":' || json_quote(type) || '}'`;

/** What the verifier's page reads: where a row sits, its stored hashes, its canonical text's pieces. */
type CanonicalRow = [
  globalPosition: number,
  streamId: string,
  streamVersion: number,
  hash: string,
  logHash: string | null,
  before: string,
  after: string,
];

/**
 * A stored row as the chain walk sees it: one object per row, its recompute on the prototype (verify
 * reads every row of the log through here, so no closure or second object per row).
 */
class CheckedRow implements CheckedEvent {
  readonly globalPosition: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly hash: string;
  readonly logHash: string | null;
  private readonly before: string;
  private readonly after: string;

  constructor(
    row: CanonicalRow,
    private readonly exact: (position: number, previousHash: string) => string | null,
  ) {
    this.globalPosition = row[0];
    this.streamId = row[1];
    this.streamVersion = row[2];
    this.hash = row[3];
    this.logHash = row[4];
    this.before = row[5];
    this.after = row[6];
  }

  recompute(previousHash: string): string {
    const fast = hashOfCanonicalText(this.before, previousHash, this.after);
    if (fast === this.hash) return fast;
    return this.exact(this.globalPosition, previousHash) ?? fast;
  }
}

/** A whole stored row's hash: from its canonical parts, or, if they do not give the stored hash, parsed. */
function exactHash(previousHash: string, row: SqliteEventRow): string {
  const fast = hashOfCanonicalParts(previousHash, partsOf(row));
  return fast === row[14] ? fast : chainHash(previousHash, sqliteRowToRecorded(row));
}

/** A stored row as the event it holds (data and extra parsed from their canonical text). */
export function sqliteRowToRecorded(row: SqliteEventRow): RecordedEvent {
  const p = partsOf(row);
  const { actor, role, correlationId, causationId, occurredAt, recordedAt } = p;
  const metadata = { actor, role, correlationId, causationId, occurredAt, recordedAt };
  return {
    eventId: p.eventId,
    type: p.type,
    schemaVersion: p.schemaVersion,
    data: JSON.parse(p.dataJson),
    metadata: p.extraJson === null ? metadata : { ...metadata, extra: JSON.parse(p.extraJson) },
    streamId: p.streamId,
    streamVersion: p.streamVersion,
    globalPosition: p.globalPosition,
    hash: p.hash,
  };
}

/** An error of opening a file that is not (or no longer) a readable SQLite database, as LogDamaged. */
function damaged(path: string, error: unknown): LogDamaged | null {
  if (error instanceof LogDamaged) return error;
  const code = (error as { code?: unknown }).code;
  if (code !== 'SQLITE_CORRUPT' && code !== 'SQLITE_NOTADB') return null;
  return new LogDamaged(
    'sqlite',
    `${path} cannot be read as a SQLite database (${(error as Error).message}); do not write to it: restore the log from its latest backup (keystone verify names what it cannot read)`,
    { path },
  );
}

/**
 * The log's file is readable by its owner only (0600; its folder 0700 when Keystone makes it):
 * SQLite gives the -wal and -shm files the same mode. An existing file is tightened too.
 */
function ownerOnlyFile(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw Object.assign(
      new Error(
        `cannot make the folder ${dirname(path)} for the SQLite log (${(error as Error).message}): check KEYSTONE_SQLITE_PATH`,
      ),
      { code: (error as NodeJS.ErrnoException).code },
    );
  }
  if (!existsSync(path)) {
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  try {
    chmodSync(path, 0o600);
  } catch {
    // Not ours to change (a read-only copy an auditor was handed): leave it as it is.
  }
}
