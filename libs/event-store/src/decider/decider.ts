/**
 * The write-model shape every bounded context follows: pure `decide` and `evolve`, no I/O, no
 * clock. Time and identities come in on the command.
 */
export interface DomainEvent<TType extends string = string, TData extends object = object> {
  readonly type: TType;
  readonly data: TData;
}

/** Who acts, for whom, why, and when: carried by every command into its events' metadata. */
export interface CommandContext {
  readonly actor: string;
  readonly role: string;
  readonly correlationId: string;
  readonly causationId?: string | null;
  /** Business time: when the act took effect in the world (e.g. the day consent was given). */
  readonly occurredAt: string;
  /** System time when the command is decided; the domain never asks a clock itself. */
  readonly now: string;
}

export interface Command<TType extends string = string, TData extends object = object> {
  readonly type: TType;
  readonly data: TData;
  readonly context: CommandContext;
}

export interface Decider<TCommand extends Command, TEvent extends DomainEvent, TState> {
  initialState(): TState;
  /** Never throws: history is what happened. `occurredAt` is the event's business time. */
  evolve(state: TState, event: TEvent, occurredAt: string): TState;
  /** Throws a DomainError when a rule is broken; returns the events that record the decision. */
  decide(command: TCommand, state: TState): TEvent[];
}

export type ErrorKind =
  'validation' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'stale' | 'rule';

/** A broken rule, with a stable code (e.g. CASE.CONSENT_REQUIRED) and a message saying what would be right. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
