import type { EventStore, StreamAppend } from '@keystone/event-store';
import { streamHistory } from '../../apps/cli/src/demo/history-generator';

/** Fills a log with about `events` events of realistic cases (one per ten events), from the real decider. */
export async function fillLog(
  store: EventStore,
  events: number,
): Promise<{ events: number; seconds: number }> {
  const started = Date.now();
  let pending: StreamAppend[] = [];
  const flush = async () => {
    if (pending.length) await store.appendMany(pending);
    pending = [];
  };
  let appended = 0;
  for (const append of streamHistory({
    seed: 2026,
    cases: Math.round(events / 10),
    steps: events * 10,
    start: '2024-01-01T00:00:00.000Z',
  })) {
    if (pending.some((p) => p.streamId === append.streamId) || pending.length >= 500) await flush();
    pending.push({ streamId: append.streamId, events: append.events, expectedVersion: 'any' });
    appended += append.events.length;
    if (appended >= events) break;
  }
  await flush();
  return { events: await store.lastPosition(), seconds: (Date.now() - started) / 1000 };
}
