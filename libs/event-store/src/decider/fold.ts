import type { EventStore, RecordedEvent } from '../event-store.port';
import { LruMap } from '../lru-map';
import type { Decider, DomainEvent } from './decider';

/** The one fold of a stream into a decider's state: evolve over each event with its business time. */
export function fold<E extends DomainEvent, S>(
  decider: Pick<Decider<never, E, S>, 'evolve' | 'initialState'>,
  events: readonly RecordedEvent[],
): S {
  return evolveOver(decider, decider.initialState(), events);
}

/** A state evolved over events, each with its business time. */
function evolveOver<E extends DomainEvent, S>(
  decider: Pick<Decider<never, E, S>, 'evolve'>,
  from: S,
  events: readonly RecordedEvent[],
): S {
  let state = from;
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

type Folding<S> = Pick<Decider<never, DomainEvent, S>, 'evolve' | 'initialState'>;

/** How many streams' folded states a process keeps per store and decider (the least recent go first). */
export const FOLDED_STREAMS_KEPT = 10_000;

/** Per store, per decider: each stream's state as folded up to a version. */
const FOLDED = new WeakMap<EventStore, WeakMap<object, LruMap<string, Folded<unknown>>>>();

interface Folded<S> {
  readonly version: number;
  readonly state: S;
}

/**
 * The one way to read a stream's current state from the store: the state as this process last
 * folded it, evolved over the events appended since, read from the store every time (so what other
 * processes appended is always in it). A stream read again costs what is new in it, not its whole
 * history: an expert's roster or the trust fund's stream grows with every deployment. States are
 * values (evolve returns a new one), so a kept state is never changed by a later fold.
 */
export async function foldStream<S>(
  store: EventStore,
  streamId: string,
  decider: Folding<S>,
): Promise<Folded<S>> {
  let byDecider = FOLDED.get(store);
  if (!byDecider) FOLDED.set(store, (byDecider = new WeakMap()));
  let byStream = byDecider.get(decider) as LruMap<string, Folded<S>> | undefined;
  if (!byStream) byDecider.set(decider, (byStream = new LruMap(FOLDED_STREAMS_KEPT)));
  const kept = byStream.get(streamId);
  const events = await store.readStream(
    streamId,
    kept ? { fromVersion: kept.version + 1 } : undefined,
  );
  const state = evolveOver(decider, kept ? kept.state : decider.initialState(), events);
  const folded = { version: events.length > 0 ? versionOf(events) : (kept?.version ?? 0), state };
  byStream.set(streamId, folded); // the newest: the least recently read go first
  return folded;
}
