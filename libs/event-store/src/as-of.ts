import type {
  EventStore,
  ReadAllOptions,
  ReadOptions,
  ReadStreamOptions,
  RecordedEvent,
} from './event-store.port';
import { compareInstants } from './time';

/**
 * The one as-of replay: what Keystone had recorded by `asOf` (system time) and what had taken effect
 * by `asOfEffective` (business time, for acts recorded late). The API, the panel report and the CLI's
 * replay, panel and impact all read the past through this module, so one instant gives one answer.
 * Instants come in canonical (parsed by ./time) and are compared as instants.
 */
export interface AsOf {
  readonly asOf?: string | null;
  readonly asOfEffective?: string | null;
  /** A log position: only events at or before it (the CLI's `replay --to 1234`). */
  readonly position?: number | null;
}

export const NOW: AsOf = {};

export function isAsOfNow(at: AsOf): boolean {
  return !at.asOf && !at.asOfEffective && (at.position === undefined || at.position === null);
}

export function isVisible(event: RecordedEvent, at: AsOf): boolean {
  if (at.position != null && event.globalPosition > at.position) return false;
  if (at.asOf && compareInstants(event.metadata.recordedAt, at.asOf) > 0) return false;
  if (at.asOfEffective && compareInstants(event.metadata.occurredAt, at.asOfEffective) > 0)
    return false;
  return true;
}

/** Every visible event of the log in position order, a batch at a time, never all of it in memory. */
export async function* replayLog(
  store: EventStore,
  at: AsOf,
  options: ReadOptions & { batchSize?: number } = {},
): AsyncGenerator<RecordedEvent> {
  const limit = options.batchSize ?? 5_000;
  for (let from = 1; ;) {
    const batch = await store.readAll({ fromPosition: from, limit, raw: options.raw });
    if (batch.length === 0) return;
    for (const event of batch) {
      if (at.position != null && event.globalPosition > at.position) return;
      if (isVisible(event, at)) yield event;
    }
    from = batch[batch.length - 1].globalPosition + 1;
  }
}

/**
 * The log as it stood: a read-only view of `store` in which only the visible events exist, for code
 * that follows a store (the CLI's `replay` runs the projection runners on it). A batch that is all
 * hidden is read past, so a late-recorded event never ends the view early.
 */
export function asOfStore(store: EventStore, at: AsOf): EventStore {
  if (isAsOfNow(at)) return store;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readAll')
        return async (options: ReadAllOptions & ReadOptions = {}) => {
          for (let from = options.fromPosition ?? 1; ;) {
            const batch = await target.readAll({ ...options, fromPosition: from });
            if (batch.length === 0) return [];
            const visible = batch.filter((event) => isVisible(event, at));
            if (visible.length > 0) return visible;
            from = batch[batch.length - 1].globalPosition + 1;
          }
        };
      if (property === 'readStream')
        return async (id: string, options?: ReadStreamOptions & ReadOptions) =>
          (await target.readStream(id, options)).filter((event) => isVisible(event, at));
      return Reflect.get(target, property, receiver);
    },
  });
}
