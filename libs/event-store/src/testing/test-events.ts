import { randomUUID } from 'node:crypto';
import type { JsonObject, NewEvent } from '../event-store.port';

/** Builds events for tests and benchmarks of the log itself. */
export function testEvent(
  type = 'SomethingHappened',
  data: JsonObject = { n: 1 },
  overrides: Partial<NewEvent> = {},
): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: {
      actor: 'user:test',
      role: 'case-officer',
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: '2026-01-15T10:00:00.000Z',
    },
    ...overrides,
  };
}

export function testEvents(count: number, type = 'SomethingHappened'): NewEvent[] {
  return Array.from({ length: count }, (_, n) => testEvent(type, { n }));
}
