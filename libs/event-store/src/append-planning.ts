import { canonicalJson, NotJsonError } from './canonical-json';
import { EventIdConflict, InvalidAppend, WrongExpectedVersion } from './errors';
import type {
  AppendResult,
  EventMetadata,
  EventMetadataInput,
  ExpectedVersion,
  NewEvent,
  RecordedEvent,
  StreamAppend,
  StreamHead,
} from './event-store.port';
import { GENESIS_HASH, hashOfCanonicalParts, type HashedFields } from './hash-chain';

/** Adapter-independent steps of an append: argument checks, version rules, hashing, retries. */

export type { StreamHead };

export const EMPTY_HEAD: StreamHead = { version: 0, hash: GENESIS_HASH };

export interface PreparedEvent extends HashedFields {
  readonly hash: string;
  readonly dataJson: string;
  /** metadata.extra as canonical JSON, or null. */
  readonly extraJson: string | null;
  readonly metadataJson: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_STREAM_ID_LENGTH = 200;
const MAX_EVENTS_PER_APPEND = 10_000;

export function validateAppends(appends: readonly StreamAppend[]): void {
  if (!Array.isArray(appends) || appends.length === 0) {
    throw new InvalidAppend('appendMany needs at least one stream append');
  }
  const streams = new Set<string>();
  const eventIds = new Set<string>();
  for (const append of appends) {
    validateStreamId(append.streamId);
    if (streams.has(append.streamId)) {
      throw new InvalidAppend(
        `Stream "${append.streamId}" appears twice in one appendMany; merge its events into one append`,
      );
    }
    streams.add(append.streamId);
    validateExpectedVersion(append.expectedVersion);
    validateEvents(append.streamId, append.events, eventIds);
  }
}

function validateStreamId(streamId: unknown): void {
  if (
    typeof streamId !== 'string' ||
    streamId.length === 0 ||
    streamId.length > MAX_STREAM_ID_LENGTH
  ) {
    throw new InvalidAppend(
      `streamId must be a non-empty string of at most ${MAX_STREAM_ID_LENGTH} characters, got ${JSON.stringify(streamId)}`,
    );
  }
}

function validateExpectedVersion(expected: unknown): void {
  if (expected === 'no_stream' || expected === 'exists' || expected === 'any') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  throw new InvalidAppend(
    `expectedVersion must be 'no_stream', 'exists', 'any' or a whole number >= 0, got ${JSON.stringify(expected)}`,
  );
}

function validateEvents(streamId: string, events: readonly NewEvent[], seenIds: Set<string>): void {
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppend(`An append to "${streamId}" needs at least one event`);
  }
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new InvalidAppend(
      `An append takes at most ${MAX_EVENTS_PER_APPEND} events, got ${events.length}`,
    );
  }
  events.forEach((event, index) => {
    const where = `events[${index}] of "${streamId}"`;
    if (typeof event !== 'object' || event === null)
      throw new InvalidAppend(`${where} must be an object`);
    if (typeof event.eventId !== 'string' || !UUID.test(event.eventId)) {
      throw new InvalidAppend(
        `${where}: eventId must be a UUID, got ${JSON.stringify(event.eventId)}`,
      );
    }
    if (seenIds.has(event.eventId.toLowerCase())) {
      throw new InvalidAppend(`${where}: eventId ${event.eventId} is used twice in one append`);
    }
    seenIds.add(event.eventId.toLowerCase());
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.length > 200) {
      throw new InvalidAppend(
        `${where}: type must be a non-empty string of at most 200 characters`,
      );
    }
    const schemaVersion = event.schemaVersion ?? 1;
    if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1) {
      throw new InvalidAppend(
        `${where}: schemaVersion must be a whole number >= 1, got ${JSON.stringify(event.schemaVersion)}`,
      );
    }
    if (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data)) {
      throw new InvalidAppend(`${where}: data must be a JSON object`);
    }
    validateMetadata(where, event.metadata);
  });
}

function validateMetadata(where: string, metadata: EventMetadataInput): void {
  if (typeof metadata !== 'object' || metadata === null) {
    throw new InvalidAppend(
      `${where}: metadata must be an object with actor, role, correlationId and occurredAt`,
    );
  }
  for (const field of ['actor', 'role', 'correlationId'] as const) {
    if (typeof metadata[field] !== 'string' || metadata[field].length === 0) {
      throw new InvalidAppend(`${where}: metadata.${field} must be a non-empty string`);
    }
  }
  if (metadata.causationId != null && typeof metadata.causationId !== 'string') {
    throw new InvalidAppend(`${where}: metadata.causationId must be a string or null`);
  }
  if (typeof metadata.occurredAt !== 'string' || Number.isNaN(Date.parse(metadata.occurredAt))) {
    throw new InvalidAppend(
      `${where}: metadata.occurredAt must be an ISO 8601 date-time, got ${JSON.stringify(metadata.occurredAt)}`,
    );
  }
}

export function checkExpectedVersion(
  streamId: string,
  expected: ExpectedVersion,
  actual: number,
): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === 0) ||
    (expected === 'exists' && actual > 0) ||
    expected === actual;
  if (!ok) throw new WrongExpectedVersion(streamId, expected, actual);
}

export function recordedMetadata(input: EventMetadataInput, recordedAt: string): EventMetadata {
  return {
    actor: input.actor,
    role: input.role,
    correlationId: input.correlationId,
    causationId: input.causationId ?? null,
    occurredAt: new Date(input.occurredAt).toISOString(),
    recordedAt,
    ...(input.extra !== undefined ? { extra: input.extra } : {}),
  };
}

/** Gives each event its version and chain hash, following the stream's current head. */
export function prepareEvents(
  streamId: string,
  head: StreamHead,
  events: readonly NewEvent[],
  recordedAt: string,
): PreparedEvent[] {
  let previousHash = head.hash;
  return events.map((event, index) => {
    const metadata = recordedMetadata(event.metadata, recordedAt);
    const eventId = event.eventId.toLowerCase();
    const streamVersion = head.version + index + 1;
    const schemaVersion = event.schemaVersion ?? 1;
    // Stored canonically, so a verifier can hash the stored text without parsing it (see audit).
    const dataJson = toInvalidAppend(() => canonicalJson(event.data, '$.data'));
    const extraJson =
      metadata.extra === undefined
        ? null
        : toInvalidAppend(() => canonicalJson(metadata.extra, '$.metadata.extra'));
    // The parts named one by one, not spread from the event: a spread of objects of different
    // shapes makes a slow dictionary object, and this runs for every event appended.
    const hash = hashOfCanonicalParts(previousHash, {
      eventId,
      streamId,
      streamVersion,
      type: event.type,
      schemaVersion,
      dataJson,
      actor: metadata.actor,
      role: metadata.role,
      correlationId: metadata.correlationId,
      causationId: metadata.causationId,
      occurredAt: metadata.occurredAt,
      recordedAt: metadata.recordedAt,
      extraJson,
    });
    previousHash = hash;
    return {
      eventId,
      streamId,
      streamVersion,
      type: event.type,
      schemaVersion,
      data: event.data,
      metadata,
      hash,
      dataJson,
      extraJson,
      metadataJson: JSON.stringify(metadata),
    };
  });
}

function toInvalidAppend<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof NotJsonError) throw new InvalidAppend(error.message, { path: error.path });
    throw error;
  }
}

/**
 * Decides whether an append is a retry of one already stored. `stored` holds the stored events
 * whose ids the append uses, in any order. Returns the original result for an exact retry, null
 * when no id is taken, and throws EventIdConflict for anything in between.
 */
export function resolveRetry(
  streamId: string,
  events: readonly NewEvent[],
  stored: readonly RecordedEvent[],
): AppendResult | null {
  if (stored.length === 0) return null;
  const byId = new Map(stored.map((event) => [event.eventId.toLowerCase(), event]));
  const matched: RecordedEvent[] = [];
  for (const event of events) {
    const original = byId.get(event.eventId.toLowerCase());
    if (!original) {
      throw new EventIdConflict(
        stored[0].eventId,
        'but this append mixes it with events that are not stored',
      );
    }
    if (original.streamId !== streamId) {
      throw new EventIdConflict(
        event.eventId,
        `in stream "${original.streamId}", not "${streamId}"`,
      );
    }
    if (!sameEvent(original, event)) {
      throw new EventIdConflict(event.eventId, 'with a different type, data or metadata');
    }
    const previous = matched[matched.length - 1];
    if (previous && original.streamVersion !== previous.streamVersion + 1) {
      throw new EventIdConflict(
        event.eventId,
        'but not right after the event before it in this append',
      );
    }
    matched.push(original);
  }
  return {
    streamId,
    nextExpectedVersion: matched[matched.length - 1].streamVersion,
    firstPosition: matched[0].globalPosition,
    lastPosition: matched[matched.length - 1].globalPosition,
    alreadyStored: true,
  };
}

function sameEvent(stored: RecordedEvent, event: NewEvent): boolean {
  const incoming = recordedMetadata(event.metadata, stored.metadata.recordedAt);
  return (
    stored.type === event.type &&
    stored.schemaVersion === (event.schemaVersion ?? 1) &&
    canonicalJson(stored.data) === canonicalJson(event.data) &&
    canonicalJson(stored.metadata) === canonicalJson(incoming)
  );
}

export function resultOf(
  streamId: string,
  prepared: readonly PreparedEvent[],
  firstPosition: number,
): AppendResult {
  return {
    streamId,
    nextExpectedVersion: prepared[prepared.length - 1].streamVersion,
    firstPosition,
    lastPosition: firstPosition + prepared.length - 1,
    alreadyStored: false,
  };
}

export const DEFAULT_READ_LIMIT = 1_000;
export const MAX_READ_LIMIT = 10_000;

export function readLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_READ_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_READ_LIMIT) {
    throw new InvalidAppend(
      `limit must be a whole number from 1 to ${MAX_READ_LIMIT}, got ${JSON.stringify(limit)}`,
    );
  }
  return limit;
}
