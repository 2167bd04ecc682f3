import { EventStoreError, EventStoreUnavailable, InvalidAppend, LogDamaged } from '../errors';

/**
 * KurrentDB client errors as the port's typed errors. The client reports most failures as
 * CommandErrors with a `type` (its ErrorType values); a connection that never came up can also
 * surface as a raw gRPC error with a numeric `code`. Both are read here, by value, not by class.
 */

const UNREACHABLE = new Set([
  'unavailable',
  'deadline-exceeded',
  'timeout',
  'not-leader',
  'cancelled',
]);
const TOO_LARGE = new Set([
  'maximum-append-size-exceeded',
  'append-record-size-exceeded',
  'transaction-max-size-exceeded',
]);
/** gRPC status codes of a server that is not there or not answering: CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE. */
const UNREACHABLE_GRPC_CODES = new Set([1, 4, 14]);

function errorType(error: unknown): string | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
}

/** Another writer moved a stream (or took an event id) between our read and our write. */
export function isRevisionConflict(error: unknown): boolean {
  return errorType(error) === 'wrong-expected-version';
}

export function isStreamNotFound(error: unknown): boolean {
  return errorType(error) === 'stream-not-found';
}

export function toStoreError(error: unknown): Error {
  if (error instanceof EventStoreError) return error;
  const type = errorType(error);
  const message = error instanceof Error ? error.message : String(error);
  if (type && TOO_LARGE.has(type)) {
    return new InvalidAppend(`KurrentDB refused the append as too large: ${message}`, {
      kurrentError: type,
    });
  }
  if (type === 'stream-deleted' || type === 'stream-tombstoned') {
    return new LogDamaged('kurrentdb', `a stream was deleted outside Keystone (${message})`, {
      kurrentError: type,
    });
  }
  if (type === 'unsupported') {
    return new EventStoreUnavailable(
      'kurrentdb',
      new Error(`the server lacks a feature Keystone needs (KurrentDB 25.1 or later): ${message}`),
    );
  }
  if (type === 'access-denied') {
    return new EventStoreUnavailable(
      'kurrentdb',
      new Error(`access denied; check the credentials in KEYSTONE_KURRENTDB_URL (${message})`),
    );
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (
    (type && UNREACHABLE.has(type)) ||
    (typeof code === 'number' && UNREACHABLE_GRPC_CODES.has(code))
  ) {
    return new EventStoreUnavailable('kurrentdb', error);
  }
  // Anything else the server or client says: the append did not land (multiStreamAppend is atomic).
  return new EventStoreUnavailable('kurrentdb', new Error(`${type ?? 'error'}: ${message}`));
}
