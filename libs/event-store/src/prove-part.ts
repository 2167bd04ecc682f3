import type { EventStore, StreamHead } from './event-store.port';
import { ChainWalker, GENESIS_HASH, LogChainWalker } from './hash-chain';

/** A part of the log: the events after `after`, through `through` (to the end when null). */
export interface LogPart {
  readonly after: number;
  readonly through: number | null;
}

/**
 * What walking one part of the log on its own found. `intact` is true only when every check the
 * whole-log walk makes held for each event of the part: its position follows the one before, its log
 * hash links to the previous event's stored log hash, its stream version follows its stream's
 * previous event (in this part, or before it: `streamHeadsBefore`) and its hash recomputes from that
 * event's stored hash. A part that is not intact says nothing more: the caller (verifyLog, in the
 * audit context) walks the whole log instead, which names each finding.
 */
export interface PartProof {
  readonly intact: boolean;
  readonly events: number;
  readonly lastPosition: number;
  /** The stored log hash of the part's last event (which, the part being intact, the events give too). */
  readonly lastLogHash: string;
  /** Each stream's last version and hash in the part: [streamId, version, hash]. */
  readonly heads: readonly (readonly [string, number, string])[];
  /** The stored log hash at each position asked for that lies in the part. */
  readonly logHashes: readonly (readonly [number, string])[];
}

const NOT_INTACT = (events: number): PartProof => ({
  intact: false,
  events,
  lastPosition: 0,
  lastLogHash: '',
  heads: [],
  logHashes: [],
});

/**
 * Walks one part of the log with the whole-log walk's checks (see PartProof), reading only that part
 * and, for each stream met in it, the stream's head just before it. What `keystone verify` runs in a
 * thread per part; verifyLog puts the parts together. Stops at the first check that fails.
 */
export async function provePart(
  store: EventStore,
  part: LogPart,
  askedPositions: readonly number[] = [],
  onChecked?: (events: number) => void,
): Promise<PartProof> {
  const asked = new Set(askedPositions);
  const logHashes: [number, string][] = [];
  let logWalker: LogChainWalker | null = part.after === 0 ? new LogChainWalker(true) : null;
  const before = new Map<string, StreamHead>();
  const walker = new ChainWalker(
    (streamId) => before.get(streamId) ?? { version: 0, hash: GENESIS_HASH },
  );
  const reached = walker.heads;
  let expected = part.after + 1;
  let events = 0;
  let lastLogHash = GENESIS_HASH;
  const range = { after: Math.max(0, part.after - 1), through: part.through ?? undefined };
  // A thousand rows a batch: few enough that the young generation collects them dead, not copied.
  for await (const batch of store.storedEventBatches(1_000, range)) {
    let start = 0;
    if (logWalker === null) {
      // The event just before the part: where its log chain takes up (checked by the part before).
      const seed = batch[0];
      if (seed.globalPosition !== part.after || seed.logHash === null) return NOT_INTACT(events);
      logWalker = new LogChainWalker(true, {
        position: seed.globalPosition,
        logHash: seed.logHash,
      });
      lastLogHash = seed.logHash;
      start = 1;
    }
    if (part.after > 0) {
      const unseen = new Set<string>();
      for (let i = start; i < batch.length; i++)
        if (!reached.has(batch[i].streamId) && !before.has(batch[i].streamId))
          unseen.add(batch[i].streamId);
      if (unseen.size > 0)
        for (const [streamId, head] of await store.streamHeadsBefore(part.after + 1, [...unseen]))
          before.set(streamId, head);
    }
    for (let i = start; i < batch.length; i++) {
      const event = batch[i];
      if (event.globalPosition !== expected) return NOT_INTACT(events);
      expected++;
      if (logWalker.step(event).length > 0 || walker.step(event).length > 0)
        return NOT_INTACT(events);
      lastLogHash = event.logHash!;
      if (asked.has(event.globalPosition)) logHashes.push([event.globalPosition, lastLogHash]);
      events++;
    }
    onChecked?.(events);
  }
  const lastPosition = expected - 1;
  // No event before the part to take the chain up from (the log is shorter than when it was cut).
  if (logWalker === null) return NOT_INTACT(events);
  if (part.through !== null && lastPosition !== part.through) return NOT_INTACT(events);
  return {
    intact: true,
    events,
    lastPosition,
    lastLogHash,
    heads: [...reached].map(([streamId, head]) => [streamId, head.version, head.hash] as const),
    logHashes,
  };
}

/** The log's positions 1..last cut into `parts` parts of about equal size (fewer when it is short). */
export function logParts(last: number, parts: number): LogPart[] {
  const count = Math.max(1, Math.min(parts, last));
  return Array.from({ length: count }, (_, k) => ({
    after: Math.floor((k * last) / count),
    through: k === count - 1 ? null : Math.floor(((k + 1) * last) / count),
  }));
}
