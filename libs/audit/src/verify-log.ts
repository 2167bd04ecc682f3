import {
  ChainWalker,
  GENESIS_HASH,
  type CheckedEvent,
  type EventStore,
} from '@keystone/event-store';

export interface LogFinding {
  readonly problem:
    'hash-mismatch' | 'version-gap' | 'position-gap' | 'head-mismatch' | 'missing-tail';
  readonly streamId: string;
  readonly streamVersion: number;
  readonly globalPosition: number;
  readonly expected: string;
  readonly found: string;
}

export interface LogVerification {
  readonly eventsChecked: number;
  readonly streamsChecked: number;
  readonly lastPosition: number;
  readonly findings: readonly LogFinding[];
}

export interface VerifyOptions {
  readonly streamId?: string;
  readonly batchSize?: number;
  readonly onProgress?: (checked: number, lastPosition: number) => void;
}

/**
 * Recomputes every stream's hash chain from the events as stored, and checks that stream versions
 * and global positions run on without gaps. Streams the log once, keeping one head per stream.
 */
export async function verifyLog(
  store: EventStore,
  options: VerifyOptions = {},
): Promise<LogVerification> {
  const walker = new ChainWalker();
  const findings: LogFinding[] = [];
  const lastPosition = await store.lastPosition();
  let expectedPosition = 1;
  let checked = 0;
  let seen = 0;
  for await (const event of store.storedEvents(options.batchSize)) {
    if (!options.streamId && event.globalPosition !== expectedPosition) {
      findings.push(
        finding('position-gap', event, String(expectedPosition), String(event.globalPosition)),
      );
    }
    expectedPosition = event.globalPosition + 1;
    if (++seen % 10_000 === 0) options.onProgress?.(checked, event.globalPosition);
    if (options.streamId && event.streamId !== options.streamId) continue;
    findings.push(...walker.step(event));
    checked++;
  }
  options.onProgress?.(checked, expectedPosition - 1);
  if (expectedPosition - 1 < lastPosition) {
    findings.push({
      problem: 'missing-tail',
      streamId: '',
      streamVersion: 0,
      globalPosition: expectedPosition,
      expected: `events up to position ${lastPosition}`,
      found: `events up to position ${expectedPosition - 1}`,
    });
  }
  findings.push(...(await headFindings(store, walker.heads, options.streamId)));
  return { eventsChecked: checked, streamsChecked: walker.heads.size, lastPosition, findings };
}

/** The stored stream heads (what appends chain onto) must match the chains recomputed from the events. */
async function headFindings(
  store: EventStore,
  heads: ReadonlyMap<string, { version: number; hash: string }>,
  only?: string,
): Promise<LogFinding[]> {
  const stored = await store.streamHeads({ only, seen: [...heads.keys()] });
  const findings: LogFinding[] = [];
  for (const [streamId, head] of stored) {
    const recomputed = heads.get(streamId) ?? { version: 0, hash: GENESIS_HASH };
    if (recomputed.version !== head.version || recomputed.hash !== head.hash) {
      findings.push({
        problem: 'head-mismatch',
        streamId,
        streamVersion: head.version,
        globalPosition: 0,
        expected: `version ${head.version}, hash ${head.hash}`,
        found: `version ${recomputed.version}, hash ${recomputed.hash}`,
      });
    }
  }
  for (const [streamId, head] of heads) {
    if (!stored.has(streamId) && (!only || only === streamId)) {
      findings.push({
        problem: 'head-mismatch',
        streamId,
        streamVersion: head.version,
        globalPosition: 0,
        expected: 'a stream head',
        found: 'none',
      });
    }
  }
  return findings;
}

function finding(
  problem: LogFinding['problem'],
  event: CheckedEvent,
  expected: string,
  found: string,
): LogFinding {
  return {
    problem,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition,
    expected,
    found,
  };
}
