import { ReceiptTaken, WrongExpectedVersion } from '../errors';
import { idempotencyScope } from '../idempotency-scope';
import type { EventStore, JsonObject, NewEvent } from '../event-store.port';
import { newEventId } from '../event-ids';
import { foldStream } from './fold';
import {
  DomainError,
  type Command,
  type CommandContext,
  type Decider,
  type DomainEvent,
} from './decider';

/** One stream's part of a command: fold the stream, decide, and (maybe) authorize first. */
export interface StreamStep {
  readonly streamId: string;
  /** What the stream folds into (foldStream: what is new since the last fold, onto its state). */
  readonly folding: Pick<Decider<never, DomainEvent, unknown>, 'evolve' | 'initialState'>;
  /** Decides on the folded state: the events to append (possibly none). */
  decide(state: unknown): DomainEvent[];
  /** The version the caller saw (HTTP If-Match); a different current version fails without retry. */
  readonly pinnedVersion?: number;
}

export interface StepResult {
  readonly streamId: string;
  readonly version: number;
  readonly events: readonly DomainEvent[];
}

export interface CommandOutcome {
  readonly steps: readonly StepResult[];
  /** The global position of the last event written (read-your-writes), or the log's last position. */
  readonly position: number;
}

/**
 * A version conflict means another writer was first on one of the command's streams; the command is
 * decided again on the new history, after a short random wait (so the writers that collided do not
 * collide again in step). Bounded by time rather than count: N writers on one hot stream need up to
 * N rounds, and a valid command must not be refused because others were busy at the same moment.
 */
export const CONFLICT_RETRY = { budgetMs: 5_000, firstDelayMs: 2, maxDelayMs: 50 } as const;

const jitteredDelay = (attempt: number): number =>
  Math.random() *
  Math.min(CONFLICT_RETRY.maxDelayMs, CONFLICT_RETRY.firstDelayMs * 2 ** (attempt - 1));

export class StalePrecondition extends DomainError {
  constructor(streamId: string, expected: number, actual: number) {
    super(
      'REQUEST.STALE_VERSION',
      'stale',
      `The resource changed since version ${expected} (it is at version ${actual}); read it again and retry with If-Match: "${actual}".`,
      { streamId, expected, actual },
    );
  }
}

/** Builds a step from a decider: fold with evolve, run `guard` on the state, decide. */
export function deciderStep<C extends Command, E extends DomainEvent, S>(
  streamId: string,
  decider: Decider<C, E, S>,
  command: C,
  options: { pinnedVersion?: number; guard?: (state: S) => void } = {},
): StreamStep {
  return {
    streamId,
    pinnedVersion: options.pinnedVersion,
    folding: decider as unknown as StreamStep['folding'],
    decide(state) {
      options.guard?.(state as S);
      return decider.decide(command, state as S);
    },
  };
}

/**
 * The one command runner: read every stream, decide, append all of it at the versions read in one
 * atomic step. A version conflict re-reads and decides again (the rule may now refuse), after a
 * short random wait and within a time budget (CONFLICT_RETRY), unless the caller pinned a version.
 */
export function runCommand(
  store: EventStore,
  context: CommandContext,
  steps: readonly StreamStep[],
): Promise<CommandOutcome> {
  return inTurn(
    store,
    steps.map((step) => step.streamId),
    () => decideAndAppend(store, context, steps),
  );
}

/**
 * The commands of one process on one stream take turns: a hot stream (the trust fund's, a case
 * receiving many offers) sees its commands read, decide and append one after another instead of
 * all reading the same version and all but one losing the race. Writers in other processes can
 * still collide; the retry below settles those. Streams are taken all at once, so two commands on
 * overlapping streams wait in their order of arrival and never for each other.
 */
function inTurn<T>(
  store: EventStore,
  streamIds: readonly string[],
  work: () => Promise<T>,
): Promise<T> {
  let turns = TURNS.get(store);
  if (!turns) TURNS.set(store, (turns = new Map()));
  const table = turns;
  const keys = [...new Set(streamIds)];
  const before = keys.map((key) => table.get(key));
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  for (const key of keys) table.set(key, mine);
  const run = async () => {
    await Promise.all(before);
    return work();
  };
  return run().finally(() => {
    done();
    for (const key of keys) if (table.get(key) === mine) table.delete(key);
  });
}

/** Per store: each stream's last turn (settled when the command holding it is done). */
const TURNS = new WeakMap<EventStore, Map<string, Promise<void>>>();

async function decideAndAppend(
  store: EventStore,
  context: CommandContext,
  steps: readonly StreamStep[],
): Promise<CommandOutcome> {
  // A request with an Idempotency-Key: its n-th command answers from its receipt when the change
  // was made already (by this request before a crash, or by its twin), and leaves one otherwise.
  const scope = idempotencyScope();
  const receiptKey = scope ? `${scope.key}#${scope.commands++}` : null;
  if (scope && receiptKey) {
    const stored = await storedOutcome(store, scope.owner, receiptKey, scope.requestHash);
    if (stored) return stored;
  }
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const folded = await Promise.all(
      steps.map((step) => foldStream(store, step.streamId, step.folding)),
    );
    const decided = steps.map((step, i) => {
      const { version, state } = folded[i];
      if (step.pinnedVersion !== undefined && step.pinnedVersion !== version) {
        throw new StalePrecondition(step.streamId, step.pinnedVersion, version);
      }
      return { step, version, events: step.decide(state) };
    });
    const appends = decided
      .filter((d) => d.events.length > 0)
      .map((d) => ({
        streamId: d.step.streamId,
        expectedVersion: d.version,
        events: d.events.map((e) => toNewEvent(e, context)),
      }));
    const receipt =
      scope && receiptKey && appends.length > 0
        ? {
            owner: scope.owner,
            key: receiptKey,
            requestHash: scope.requestHash,
            outcome: {
              steps: decided.map((d) => ({
                streamId: d.step.streamId,
                version: d.version + d.events.length,
                events: d.events,
              })),
            } as unknown as JsonObject,
          }
        : undefined;
    try {
      const results = appends.length > 0 ? await store.appendMany(appends, { receipt }) : [];
      const byStream = new Map(results.map((r) => [r.streamId, r]));
      return {
        steps: decided.map((d) => ({
          streamId: d.step.streamId,
          version: byStream.get(d.step.streamId)?.nextExpectedVersion ?? d.version,
          events: d.events,
        })),
        position:
          results.length > 0
            ? Math.max(...results.map((r) => r.lastPosition))
            : await store.lastPosition(),
      };
    } catch (error) {
      if (error instanceof ReceiptTaken && scope && receiptKey) {
        const stored = await storedOutcome(store, scope.owner, receiptKey, scope.requestHash);
        if (stored) return stored;
      }
      const pinned = steps.some((s) => s.pinnedVersion !== undefined);
      if (
        !(error instanceof WrongExpectedVersion) ||
        pinned ||
        Date.now() - started >= CONFLICT_RETRY.budgetMs
      )
        throw error;
      await new Promise((resolve) => setTimeout(resolve, jitteredDelay(attempt)));
    }
  }
}

async function storedOutcome(
  store: EventStore,
  owner: string,
  key: string,
  requestHash: string,
): Promise<CommandOutcome | null> {
  const stored = await store.receipt(owner, key);
  if (!stored) return null;
  if (stored.requestHash !== requestHash)
    throw new DomainError(
      'IDEMPOTENCY.KEY_REUSED',
      'rule',
      'This Idempotency-Key was used with a different request; use a new key for a new request.',
    );
  const { steps } = stored.outcome as unknown as Pick<CommandOutcome, 'steps'>;
  return { steps, position: stored.lastPosition };
}

function toNewEvent(event: DomainEvent, context: CommandContext): NewEvent {
  return {
    eventId: newEventId(),
    type: event.type,
    data: event.data as JsonObject,
    metadata: {
      actor: context.actor,
      role: context.role,
      correlationId: context.correlationId,
      causationId: context.causationId ?? null,
      occurredAt: context.occurredAt,
    },
  };
}
