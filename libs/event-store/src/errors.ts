import type { ExpectedVersion } from './event-store.port';

/** Every error of the event log carries a stable code; the API maps codes to HTTP in one place. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class WrongExpectedVersion extends EventStoreError {
  readonly code = 'EVENT_STORE.WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(
      `Stream "${streamId}" was expected ${describeExpected(expected)} but it is at version ${actual}` +
        (actual === 0 ? ' (it does not exist)' : '') +
        '; read it again and retry on the current version.',
      { streamId, expected, actual },
    );
  }
}

export class EventIdConflict extends EventStoreError {
  readonly code = 'EVENT_STORE.EVENT_ID_CONFLICT';
  constructor(
    readonly eventId: string,
    reason: string,
  ) {
    super(
      `Event id ${eventId} is already stored, ${reason}; a retried append must repeat the same events in the same order, and a new event needs a new id.`,
      { eventId },
    );
  }
}

export class InvalidAppend extends EventStoreError {
  readonly code = 'EVENT_STORE.INVALID_ARGUMENT';
  constructor(problem: string, details: Record<string, unknown> = {}) {
    super(problem, details);
  }
}

/**
 * Whether a write that failed on the storage took effect: `not-written` when the database rolled
 * it back (an error it answered, or SQLite's synchronous transaction); `unknown` when the connection
 * went away while the write was in flight (it may have committed). Reads carry no outcome.
 */
export type WriteOutcome = 'not-written' | 'unknown';

export class EventStoreUnavailable extends EventStoreError {
  readonly code: string = 'STORAGE.UNAVAILABLE';
  constructor(
    adapter: string,
    cause: unknown,
    readonly outcome?: WriteOutcome,
  ) {
    super(`The ${adapter} event store cannot be reached: ${errorText(cause)}`, {
      adapter,
      ...(outcome ? { outcome } : {}),
    });
  }
}

/** The disk (or the database's quota) is full: the write was refused and rolled back. */
export class StorageFull extends EventStoreUnavailable {
  override readonly code = 'STORAGE.FULL';
  constructor(adapter: string, cause: unknown) {
    super(adapter, cause, 'not-written');
    this.message = `The ${adapter} storage is full: ${errorText(cause)}`;
  }
}

const PG_CONNECTION_LOST =
  /Connection terminated|ECONNRESET|ECONNREFUSED|EPIPE|timeout|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|Client has encountered a connection error|Query read timeout|the database system is/i;

/**
 * A driver's error, when it says the storage is away, full or too slow, as the error Keystone
 * answers 503 with; null for anything else (a bug, a constraint). SQLite and PostgreSQL alike.
 */
export function storageFailure(error: unknown, adapter?: string): EventStoreUnavailable | null {
  if (error instanceof EventStoreUnavailable) return error;
  // Duck-typed, not `instanceof Error`: a native driver's errors may come from another realm.
  if (typeof error !== 'object' || error === null || error instanceof EventStoreError) return null;
  if (typeof (error as { message?: unknown }).message !== 'string') return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    if (code === 'SQLITE_FULL') return new StorageFull(adapter ?? 'sqlite', error);
    if (/^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|READONLY|PROTOCOL|NOMEM)/.test(code))
      return new EventStoreUnavailable(adapter ?? 'sqlite', error, 'not-written');
    return null;
  }
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    // PostgreSQL answered: its transaction is rolled back.
    if (code.startsWith('53')) return new StorageFull(adapter ?? 'postgres', error);
    if (code.startsWith('08') || code.startsWith('57') || code === '55P03' || code === '40P01')
      return new EventStoreUnavailable(adapter ?? 'postgres', error, 'not-written');
    return null;
  }
  if (code === 'ENOSPC') return new StorageFull(adapter ?? 'storage', error);
  const lost =
    (typeof code === 'string' && /^E[A-Z]+$/.test(code)) ||
    (code === undefined && PG_CONNECTION_LOST.test((error as Error).message));
  return lost ? new EventStoreUnavailable(adapter ?? 'postgres', error, 'unknown') : null;
}

function describeExpected(expected: ExpectedVersion): string {
  if (expected === 'no_stream') return 'not to exist';
  if (expected === 'exists') return 'to exist';
  if (expected === 'any') return 'at any version';
  return `at version ${expected}`;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The log holds something Keystone did not write, or lost something it did: an alteration outside Keystone. */
export class LogDamaged extends EventStoreError {
  readonly code = 'EVENT_STORE.LOG_DAMAGED';
  constructor(adapter: string, problem: string, details: Record<string, unknown> = {}) {
    super(`The ${adapter} event log is damaged: ${problem}. Run keystone verify.`, details);
  }
}

/** A receipt is already stored under this key: the request's change was made (by a retry's twin). */
export class ReceiptTaken extends EventStoreError {
  readonly code = 'EVENT_STORE.RECEIPT_TAKEN';
  constructor(owner: string, key: string) {
    super(`A receipt is already stored for ${key}: this request's change was made already.`, {
      owner,
      key,
    });
  }
}
