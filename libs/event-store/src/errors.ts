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

export class EventStoreUnavailable extends EventStoreError {
  readonly code = 'EVENT_STORE.UNAVAILABLE';
  constructor(adapter: string, cause: unknown) {
    super(`The ${adapter} event store cannot be reached: ${errorText(cause)}`, { adapter });
  }
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
