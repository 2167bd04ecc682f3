import {
  ChainWalker,
  GENESIS_HASH,
  LogChainWalker,
  logParts,
  type CheckedEvent,
  type EventStore,
  type LogChainInfo,
  type LogPart,
  type PartProof,
} from '@keystone/event-store';

export interface LogFinding {
  readonly problem:
    | 'hash-mismatch'
    | 'version-gap'
    | 'position-gap'
    | 'head-mismatch'
    | 'missing-tail'
    | 'log-hash-mismatch'
    | 'log-hash-missing'
    | 'checkpoint-mismatch'
    | 'checkpoint-signature'
    | 'safeguard-missing'
    | 'unreadable'
    | 'storage-damaged'
    | 'checkpoint-beyond-log';
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
  /** The log-wide chain as the events alone give it, at the last position walked. */
  readonly logHead: { readonly position: number; readonly logHash: string };
  readonly logChain: LogChainInfo;
  /** The checkpoints the log was checked against, each with whether it still holds. */
  readonly checkpoints: readonly {
    readonly label: string;
    readonly position: number;
    readonly holds: boolean;
  }[];
  readonly findings: readonly LogFinding[];
}

/** A log position and the log hash a signed checkpoint says the log had there. */
export interface CheckpointClaim {
  readonly label: string;
  readonly logPosition: number;
  readonly logHash: string;
}

export interface VerifyOptions {
  readonly streamId?: string;
  readonly batchSize?: number;
  readonly onProgress?: (checked: number, lastPosition: number) => void;
  /** Checkpoints the log must still extend (`--against`, and those kept beside the log). */
  readonly against?: readonly CheckpointClaim[];
  /**
   * Walk the whole log in parts at once (keystone verify: a thread per part, each with its own
   * reader). An intact log is then proved by its parts together; where a part is not intact, the log
   * is walked whole as without this, so every finding is named exactly as it would be.
   */
  readonly inParts?: {
    readonly parts: number;
    prove(
      part: LogPart,
      askedPositions: readonly number[],
      onChecked: (events: number) => void,
    ): Promise<PartProof>;
  };
}

/** What a walk of the log gives, whole or in parts. */
interface Walked {
  readonly checked: number;
  /** The position after the last event walked (the next one expected). */
  readonly next: number;
  readonly heads: ReadonlyMap<string, { version: number; hash: string }>;
  readonly logHead: { readonly position: number; readonly logHash: string };
  readonly checkpoints: { label: string; position: number; holds: boolean }[];
  /** Checkpoints past the last event walked. */
  readonly unreached: CheckpointClaim[];
  readonly findings: LogFinding[];
  /** Set when the log could not be read to its end: the rest of the checks are not made. */
  readonly unreadable?: boolean;
  /** The database's own check, when it was made while the log was walked. */
  readonly damage?: readonly string[];
}

/**
 * Recomputes every stream's hash chain and the log-wide chain from the events as stored, checks that
 * stream versions and global positions run on without gaps, that the stored stream heads match, and
 * that the log still extends each checkpoint given. Streams the log once, keeping one head per
 * stream (or in parts at once: `inParts`). Reads only: the caller opens the store read-only.
 */
export async function verifyLog(
  store: EventStore,
  options: VerifyOptions = {},
): Promise<LogVerification> {
  const logChain = await store.logChain();
  const claims = [...(options.against ?? [])].sort((a, b) => a.logPosition - b.logPosition);
  const lastPosition = await store.lastPosition();
  const inParts = options.inParts;
  const inPartsTried =
    inParts && inParts.parts > 1 && !options.streamId && logChain.stored
      ? await walkInParts(store, lastPosition, claims, inParts, options.onProgress)
      : null;
  // Parts that did not prove the log intact: the whole walk names what is wrong (the database's
  // own check, made beside the parts, is not made again).
  const walked = inPartsTried?.walked ?? {
    ...(await walkWhole(store, logChain.stored, claims, options)),
    damage: inPartsTried?.damage,
  };
  const result = (): LogVerification => ({
    eventsChecked: walked.checked,
    streamsChecked: walked.heads.size,
    lastPosition,
    logHead: walked.logHead,
    logChain,
    checkpoints: walked.checkpoints,
    findings,
  });
  const findings = walked.findings;
  if (walked.unreadable) return result();
  const expectedPosition = walked.next;
  options.onProgress?.(walked.checked, expectedPosition - 1);
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
  for (const claim of walked.unreached) {
    walked.checkpoints.push({ label: claim.label, position: claim.logPosition, holds: false });
    findings.push({
      problem: 'checkpoint-beyond-log',
      streamId: '',
      streamVersion: 0,
      globalPosition: claim.logPosition,
      expected: `events up to position ${claim.logPosition} (${claim.label})`,
      found: `events up to position ${walked.logHead.position}: the log lost events a checkpoint covered`,
    });
  }
  findings.push(...(await headFindings(store, walked.heads, options.streamId)));
  const damage = walked.damage ?? (await store.integrityProblems());
  if (damage.length > 0)
    findings.push({
      problem: 'storage-damaged',
      streamId: '',
      streamVersion: 0,
      globalPosition: 0,
      expected: "the database's own integrity check to pass",
      found: damage.join('; '),
    });
  for (const safeguard of await store.missingSafeguards())
    findings.push({
      problem: 'safeguard-missing',
      streamId: '',
      streamVersion: 0,
      globalPosition: 0,
      expected: `the log's append-only ${safeguard}`,
      found: 'none: events could be changed or deleted without Keystone refusing it',
    });
  return result();
}

/** The whole log in one walk, in position order: every finding named where it is. */
async function walkWhole(
  store: EventStore,
  storesLogHashes: boolean,
  sortedClaims: readonly CheckpointClaim[],
  options: VerifyOptions,
): Promise<Walked> {
  const walker = new ChainWalker();
  const logWalker = new LogChainWalker(storesLogHashes);
  const claims = [...sortedClaims];
  const checkpoints: { label: string; position: number; holds: boolean }[] = [];
  const findings: LogFinding[] = [];
  let expectedPosition = 1;
  let checked = 0;
  let seen = 0;
  const walked = (unreadable = false): Walked => ({
    checked,
    next: expectedPosition,
    heads: walker.heads,
    logHead: logWalker.recomputed,
    checkpoints,
    unreached: claims,
    findings,
    unreadable,
  });
  try {
    for await (const batch of store.storedEventBatches(options.batchSize))
      for (const event of batch) {
        if (!options.streamId && event.globalPosition !== expectedPosition) {
          findings.push(
            finding('position-gap', event, String(expectedPosition), String(event.globalPosition)),
          );
        }
        expectedPosition = event.globalPosition + 1;
        findings.push(...logWalker.step(event));
        while (claims.length > 0 && claims[0].logPosition <= event.globalPosition) {
          const claim = claims.shift()!;
          const reached = logWalker.recomputed;
          const holds = reached.position === claim.logPosition && reached.logHash === claim.logHash;
          checkpoints.push({ label: claim.label, position: claim.logPosition, holds });
          if (!holds)
            findings.push({
              problem: 'checkpoint-mismatch',
              streamId: reached.position === claim.logPosition ? event.streamId : '',
              streamVersion: reached.position === claim.logPosition ? event.streamVersion : 0,
              globalPosition: claim.logPosition,
              expected: `log hash ${claim.logHash} (${claim.label})`,
              found:
                reached.position === claim.logPosition
                  ? `log hash ${reached.logHash}: the log was rewritten at or before this position`
                  : `no event at position ${claim.logPosition}`,
            });
        }
        if (++seen % 10_000 === 0) options.onProgress?.(checked, event.globalPosition);
        if (options.streamId && event.streamId !== options.streamId) continue;
        findings.push(...walker.step(event));
        checked++;
      }
  } catch (error) {
    // The database could not give the rest of the log: say from where, and what its own check finds.
    const integrity = await store.integrityProblems().catch(() => []);
    findings.push({
      problem: 'unreadable',
      streamId: '',
      streamVersion: 0,
      globalPosition: expectedPosition,
      expected: `the events from position ${expectedPosition} on`,
      found: `${error instanceof Error ? error.message : String(error)}${integrity.length > 0 ? `; the database's integrity check: ${integrity.join('; ')}` : ''}`,
    });
    return walked(true);
  }
  return walked();
}

/**
 * The log in parts at once, put together: `walked` is null unless every part is intact, follows the
 * one before without a gap, and every checkpoint holds (then the whole walk names what does not).
 * `damage`: the database's own check, made while the parts were walked.
 */
async function walkInParts(
  store: EventStore,
  lastPosition: number,
  claims: readonly CheckpointClaim[],
  inParts: NonNullable<VerifyOptions['inParts']>,
  onProgress: VerifyOptions['onProgress'],
): Promise<{ walked: Walked | null; damage: readonly string[] }> {
  const parts = logParts(lastPosition, inParts.parts);
  const asked = claims.map((c) => c.logPosition);
  const checkedSoFar = parts.map(() => 0);
  let reported = 0;
  // A part that could not be proved (its thread failed) is walked whole, which names why.
  const proving = Promise.all(
    parts.map((part, k) =>
      inParts.prove(part, asked, (events) => {
        checkedSoFar[k] = events;
        const total = checkedSoFar.reduce((a, b) => a + b, 0);
        if (total - reported >= 10_000) {
          reported = total;
          onProgress?.(total, lastPosition);
        }
      }),
    ),
  ).catch(() => null);
  // While the parts are walked elsewhere, this thread runs the database's own check (SQLite's
  // quick_check reads the whole file too).
  const damage = await store.integrityProblems();
  const proofs = await proving;
  if (proofs === null || proofs.some((proof) => !proof.intact)) return { walked: null, damage };
  const heads = new Map<string, { version: number; hash: string }>();
  const logHashes = new Map<number, string>();
  let checked = 0;
  for (const proof of proofs) {
    checked += proof.events;
    for (const [streamId, version, hash] of proof.heads) heads.set(streamId, { version, hash });
    for (const [position, hash] of proof.logHashes) logHashes.set(position, hash);
  }
  const last = proofs[proofs.length - 1];
  const checkpoints = claims.map((claim) => ({
    label: claim.label,
    position: claim.logPosition,
    holds: logHashes.get(claim.logPosition) === claim.logHash,
  }));
  if (checkpoints.some((c) => !c.holds)) return { walked: null, damage };
  const walked: Walked = {
    checked,
    next: last.lastPosition + 1,
    heads,
    logHead: { position: last.lastPosition, logHash: last.lastLogHash },
    checkpoints,
    unreached: [],
    findings: [],
    damage,
  };
  return { walked, damage };
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
