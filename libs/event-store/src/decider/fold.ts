import type { RecordedEvent } from '../event-store.port';
import type { Decider, DomainEvent } from './decider';

/** The one fold of a stream into a decider's state: evolve over each event with its business time. */
export function fold<E extends DomainEvent, S>(
  decider: Pick<Decider<never, E, S>, 'evolve' | 'initialState'>,
  events: readonly RecordedEvent[],
): S {
  let state = decider.initialState();
  for (const event of events) {
    state = decider.evolve(
      state,
      { type: event.type, data: event.data } as unknown as E,
      event.metadata.occurredAt,
    );
  }
  return state;
}

/** The version a stream's history ends at (0 for a stream that does not exist yet). */
export function versionOf(events: readonly RecordedEvent[]): number {
  return events.length === 0 ? 0 : events[events.length - 1].streamVersion;
}
