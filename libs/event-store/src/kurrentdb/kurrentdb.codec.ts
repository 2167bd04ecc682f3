import { randomUUID } from 'node:crypto';
import { InvalidAppend, LogDamaged } from '../errors';
import type { EventMetadata, JsonObject, RecordedEvent } from '../event-store.port';
import type { PreparedEvent } from '../append-planning';

/**
 * How Keystone's events live in KurrentDB (see docs/kurrentdb-adapter.md):
 *
 * - each Keystone stream is a KurrentDB stream of the same name (with the store's namespace before
 *   it); stream version v is KurrentDB revision v - 1;
 * - the ledger stream `keystone.log` holds one link (`$>`) per event, in the one global order:
 *   global position p is ledger revision p - 1, so positions are gapless like the other adapters';
 * - each event id reserves a stream `keystone.id-<uuid>` holding one link to the event, which makes
 *   an id unique across the whole log and finds a retried event by its id;
 * - data is the event's JSON; Keystone's metadata, schema version, chain hash and global position are
 *   string properties `ks.*` (multiStreamAppend takes string values only).
 *
 * All of it is written in one multiStreamAppend (KurrentDB 25.1+), so it lands whole or not at all.
 */

export const LINK_TYPE = '$>';
const LEDGER = 'keystone.log';
const ID_STREAM = 'keystone.id-';
/** Prefixes a Keystone stream may not take here: KurrentDB's system streams and the adapter's own. */
const RESERVED = ['$', 'keystone.'];

/** What a KurrentDB connection string starts with (the client's schemes, one node or discovery). */
export const KURRENTDB_CONNECTION_STRING =
  /^(kurrentdb|kurrent|esdb|eventstoredb|kdb)(\+discover)?:\/\//;
/** A namespace: put before every stream name, so it stays within what stream names take. */
export const KURRENTDB_NAMESPACE = /^[A-Za-z0-9_.-]{0,40}$/;

/** The subset of a KurrentDB record the adapter reads (the client's RecordedEvent has it all). */
export interface KurrentRecord {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint | number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: unknown;
}

export interface KurrentResolved {
  readonly event?: KurrentRecord;
  readonly link?: KurrentRecord;
}

export type KurrentExpectedState = 'no_stream' | 'any' | 'stream_exists' | bigint;

/** What one record of a multiStreamAppend looks like, as the client takes it. */
export type KurrentEventData =
  | {
      readonly id: string;
      readonly contentType: 'application/json';
      readonly type: string;
      readonly data: JsonObject;
      readonly metadata: Record<string, string>;
    }
  | {
      readonly id: string;
      readonly contentType: 'application/octet-stream';
      readonly type: string;
      readonly data: Uint8Array;
      readonly metadata: undefined;
    };

export interface KurrentAppendRequest {
  readonly streamName: string;
  readonly expectedState: KurrentExpectedState;
  readonly events: KurrentEventData[];
}

/** Stream names of one Keystone log; a namespace keeps several logs (tests, tenants) apart. */
export class KurrentNames {
  readonly ledger: string;

  constructor(readonly namespace = '') {
    if (!KURRENTDB_NAMESPACE.test(namespace)) {
      throw new InvalidAppend(
        `A KurrentDB namespace is up to 40 letters, digits, '.', '_' or '-', got "${namespace}"`,
      );
    }
    this.ledger = `${namespace}${LEDGER}`;
  }

  stream(streamId: string): string {
    if (RESERVED.some((prefix) => streamId.startsWith(prefix))) {
      throw new InvalidAppend(
        `Stream "${streamId}" starts with a prefix KurrentDB or Keystone reserves (${RESERVED.join(', ')})`,
      );
    }
    return `${this.namespace}${streamId}`;
  }

  idStream(eventId: string): string {
    return `${this.namespace}${ID_STREAM}${eventId.toLowerCase()}`;
  }

  keystoneStreamId(kurrentStream: string): string {
    if (!kurrentStream.startsWith(this.namespace)) {
      throw new LogDamaged(
        'kurrentdb',
        `stream "${kurrentStream}" is outside this log's namespace`,
      );
    }
    return kurrentStream.slice(this.namespace.length);
  }
}

/** Global position p (1, 2, …) is ledger revision p - 1. */
export function ledgerRevisionOf(position: number): bigint {
  if (!Number.isSafeInteger(position) || position < 1) {
    throw new InvalidAppend(`A global position is a whole number >= 1, got ${position}`);
  }
  return BigInt(position - 1);
}

/** Revisions arrive as bigint from the client; a number is taken too, so no read depends on which. */
export function positionOfLedgerRevision(revision: bigint | number): number {
  return safeNumber(BigInt(revision) + 1n, 'ledger revision');
}

/** Stream version v (1, 2, …) is KurrentDB revision v - 1; a stream at version 0 does not exist. */
export function expectedStateOf(version: number): KurrentExpectedState {
  return version === 0 ? 'no_stream' : BigInt(version - 1);
}

export function versionOfRevision(revision: bigint | number): number {
  return safeNumber(BigInt(revision) + 1n, 'stream revision');
}

function safeNumber(value: bigint, what: string): number {
  if (value < 1n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new LogDamaged('kurrentdb', `${what} ${value - 1n} is outside what Keystone can number`);
  }
  return Number(value);
}

/** A link record: KurrentDB resolves `<revision>@<stream>` to the event it names on read. */
export function linkTo(stream: string, revision: bigint): KurrentEventData {
  return {
    id: randomUUID(),
    contentType: 'application/octet-stream',
    type: LINK_TYPE,
    data: Buffer.from(`${revision}@${stream}`, 'utf8'),
    metadata: undefined,
  };
}

/** One prepared event (versioned and hashed by the shared append planning) as a KurrentDB record. */
export function encodeEvent(event: PreparedEvent, globalPosition: number): KurrentEventData {
  const m = event.metadata;
  const properties: Record<string, string> = {
    'ks.schemaVersion': String(event.schemaVersion),
    'ks.actor': m.actor,
    'ks.role': m.role,
    'ks.correlationId': m.correlationId,
    'ks.occurredAt': m.occurredAt,
    'ks.recordedAt': m.recordedAt,
    'ks.hash': event.hash,
    'ks.position': String(globalPosition),
    // KurrentDB's own conventions, so its UI and system projections follow the causal chain too.
    $correlationId: m.correlationId,
  };
  if (m.causationId !== null) {
    properties['ks.causationId'] = m.causationId;
    properties.$causationId = m.causationId;
  }
  if (event.extraJson !== null) properties['ks.extra'] = event.extraJson;
  return {
    id: event.eventId,
    contentType: 'application/json',
    type: event.type,
    data: event.data,
    metadata: properties,
  };
}

/** A record read back (directly, or through a ledger or id link) as Keystone's RecordedEvent. */
export function decodeEvent(resolved: KurrentResolved, names: KurrentNames): RecordedEvent {
  const record = resolved.event;
  if (!record) {
    const link = resolved.link ? linkText(resolved.link) : 'a link';
    throw new LogDamaged('kurrentdb', `${link} points at an event that no longer exists`, {
      link,
    });
  }
  const where = `event ${record.id} of "${record.streamId}"`;
  const md = record.metadata;
  if (typeof md !== 'object' || md === null || Array.isArray(md) || md instanceof Uint8Array) {
    throw new LogDamaged('kurrentdb', `${where} has no Keystone metadata`);
  }
  const p = md as Record<string, unknown>;
  const text = (key: string): string => {
    const value = p[key];
    if (typeof value !== 'string' || value.length === 0) {
      throw new LogDamaged('kurrentdb', `${where} lacks its "${key}" property`);
    }
    return value;
  };
  const whole = (key: string): number => {
    const value = Number(text(key));
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new LogDamaged('kurrentdb', `${where} has "${key}" = "${text(key)}", not a number`);
    }
    return value;
  };
  if (typeof record.data !== 'object' || record.data === null || Array.isArray(record.data)) {
    throw new LogDamaged('kurrentdb', `${where} does not hold a JSON object`);
  }
  const causationId = typeof p['ks.causationId'] === 'string' ? p['ks.causationId'] : null;
  const extra =
    typeof p['ks.extra'] === 'string' ? (JSON.parse(p['ks.extra']) as JsonObject) : null;
  const metadata: EventMetadata = {
    actor: text('ks.actor'),
    role: text('ks.role'),
    correlationId: text('ks.correlationId'),
    causationId,
    occurredAt: text('ks.occurredAt'),
    recordedAt: text('ks.recordedAt'),
    ...(extra !== null ? { extra } : {}),
  };
  return {
    eventId: record.id.toLowerCase(),
    type: record.type,
    schemaVersion: whole('ks.schemaVersion'),
    data: record.data as JsonObject,
    metadata,
    streamId: names.keystoneStreamId(record.streamId),
    streamVersion: versionOfRevision(record.revision),
    globalPosition: whole('ks.position'),
    hash: text('ks.hash'),
  };
}

function linkText(link: KurrentRecord): string {
  const data = link.data;
  if (data instanceof Uint8Array) return `link "${Buffer.from(data).toString('utf8')}"`;
  return `link ${link.id}`;
}
