import type { Command, Decider, DomainEvent } from '../decider/decider';
import { DomainError } from '../decider/decider';

/** An event in a test's history, with the business time it took effect (defaults below). */
export type Given<E extends DomainEvent> = E & { at?: string };

export const DEFAULT_EVENT_TIME = '2026-01-10T09:00:00.000Z';

/** given(events).when(command).then(events) on a pure decider: no Nest, no store. */
export function deciderSpec<C extends Command, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
) {
  return {
    given(history: readonly Given<E>[]) {
      const state = stateAfter(decider, history);
      return {
        when(command: C) {
          const decide = () => decider.decide(command, state);
          return {
            then(expected: readonly E[]): void {
              expect(decide()).toEqual(expected);
            },
            /** Refused with `code`; `detail` is a message pattern, or details the refusal must carry. */
            thenRefuses(code: string, detail?: RegExp | Record<string, unknown>): void {
              let caught: unknown;
              try {
                decide();
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(DomainError);
              expect((caught as DomainError).code).toBe(code);
              if (detail instanceof RegExp) expect((caught as DomainError).message).toMatch(detail);
              else if (detail) expect((caught as DomainError).details).toMatchObject(detail);
            },
          };
        },
      };
    },
  };
}

/** A test's commands: `cmd(type, data, over?)`, each with the test's context, `over` changing it. */
export function commandsIn<C extends Command>(defaults: Command['context']) {
  return <T extends C['type']>(
    type: T,
    data: Extract<C, { type: T }>['data'],
    over: Partial<Command['context']> = {},
  ) => ({ type, data, context: { ...defaults, ...over } }) as unknown as Extract<C, { type: T }>;
}

/** The decider's state after a test's history (each event at its `at`, or the default time). */
export function stateAfter<E extends DomainEvent, S>(
  decider: Pick<Decider<never, E, S>, 'evolve' | 'initialState'>,
  history: readonly Given<E>[],
): S {
  return history.reduce(
    (current, { at, ...event }) =>
      decider.evolve(current, event as unknown as E, at ?? DEFAULT_EVENT_TIME),
    decider.initialState(),
  );
}
