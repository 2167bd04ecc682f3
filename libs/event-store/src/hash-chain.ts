import { hash as digest } from 'node:crypto';

/** SHA-256 of a text's UTF-8, in hex: the one-shot form, about twice as fast on short texts. */
function sha256(text: string): string {
  return digest('sha256', text, 'hex');
}
import { canonicalJson } from './canonical-json';
import type { EventMetadata, JsonObject } from './event-store.port';

/** What a step that finds nothing returns (shared: a walk makes no array per event). */
const NO_BREAK: readonly never[] = Object.freeze([]);

/** The "previous hash" of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** What the hash of one event covers. */
export interface HashedFields {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
}

/**
 * hash = hex(SHA-256(UTF-8(canonicalJson({ previousHash, eventId, streamId, streamVersion, type,
 * schemaVersion, data, metadata })))), metadata holding actor, role, correlationId, causationId,
 * occurredAt, recordedAt and, when present, extra. Editing, removing, inserting or reordering any
 * event of a stream changes every later hash of that stream. Documented in docs/hash-chain.md.
 */
export function chainHash(previousHash: string, event: HashedFields): string {
  return sha256(chainCanonical(previousHash, event));
}

/** The exact text chainHash hashes: the canonical JSON of the previous hash and the event's fields. */
export function chainCanonical(previousHash: string, event: HashedFields): string {
  return canonicalJson({
    previousHash,
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
  });
}

/** An event whose data (and extra metadata) are already canonical JSON text. */
export interface CanonicalParts {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataJson: string;
  readonly actor: string;
  readonly role: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly extraJson: string | null;
}

/**
 * The same hash as chainHash, assembled from parts already canonical, so the data is not encoded
 * again: what appends (which just made the canonical text) and the SQLite verifier (which stores it)
 * use. The key order below is canonical order; the contract suite checks it against chainHash.
 */
export function hashOfCanonicalParts(previousHash: string, p: CanonicalParts): string {
  const q = JSON.stringify;
  const metadata = `{"actor":${q(p.actor)},"causationId":${p.causationId === null ? 'null' : q(p.causationId)},"correlationId":${q(p.correlationId)},${p.extraJson === null ? '' : `"extra":${p.extraJson},`}"occurredAt":${q(p.occurredAt)},"recordedAt":${q(p.recordedAt)},"role":${q(p.role)}}`;
  const canonical = `{"data":${p.dataJson},"eventId":${q(p.eventId)},"metadata":${metadata},"previousHash":${q(previousHash)},"schemaVersion":${p.schemaVersion},"streamId":${q(p.streamId)},"streamVersion":${p.streamVersion},"type":${q(p.type)}}`;
  return sha256(canonical);
}

/**
 * The same hash again, from the canonical text already built either side of the previous hash (the
 * SQLite verifier has the database build it; its test holds that text to chainCanonical).
 */
export function hashOfCanonicalText(before: string, previousHash: string, after: string): string {
  return sha256(before + previousHash + after);
}

export interface ChainBreak {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly globalPosition: number;
  readonly problem: 'hash-mismatch' | 'version-gap';
  readonly expected: string;
  readonly found: string;
}

/** An event as a chain walk sees it: where it sits, its stored hashes, and how to recompute its hash. */
export interface ChainLink {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly globalPosition: number;
  readonly hash: string;
  /**
   * The stored log hash (see logHash), or null where the adapter keeps none (KurrentDB: its log is
   * chained at verify and checkpoint time only) or an unmigrated log has none yet.
   */
  readonly logHash: string | null;
  recompute(previousHash: string): string;
}

/**
 * The log-wide chain, beside the stream chains: each event's log hash covers its global position,
 * its (stored) stream hash and the previous event's log hash, so a reorder, deletion, insertion or
 * renumbering anywhere in the log breaks it, across streams.
 *
 * logHash = hex(SHA-256(UTF-8(canonicalJson({ globalPosition, hash, previousLogHash })))), the first
 * event's previousLogHash being GENESIS_HASH. Documented in docs/hash-chain.md, with test vectors.
 */
export function logHash(previousLogHash: string, globalPosition: number, hash: string): string {
  const canonical = `{"globalPosition":${globalPosition},"hash":${JSON.stringify(hash)},"previousLogHash":${JSON.stringify(previousLogHash)}}`;
  return sha256(canonical);
}

export interface LogChainBreak {
  readonly globalPosition: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly problem: 'log-hash-mismatch' | 'log-hash-missing';
  readonly expected: string;
  readonly found: string;
}

/**
 * Walks the log chain in position order. Like the stream chains, each link is recomputed from the
 * *stored* previous log hash (so one edited row is one finding, not a cascade); where no log hash
 * is stored, from the recomputed one. `recomputed` is the chain as the events alone give it: what a
 * signed checkpoint is compared with, so a log rewritten with every hash recomputed still fails
 * against a checkpoint taken before.
 */
export class LogChainWalker {
  private storedPrevious: string;
  private recomputedPrevious: string;
  private position: number;

  /** `from`: where the walk takes up the chain (a part of the log walked on its own): genesis by default. */
  constructor(
    private readonly storesLogHashes: boolean,
    from: { readonly position: number; readonly logHash: string } = {
      position: 0,
      logHash: GENESIS_HASH,
    },
  ) {
    this.storedPrevious = this.recomputedPrevious = from.logHash;
    this.position = from.position;
  }

  step(event: ChainLink): readonly LogChainBreak[] {
    const expected = logHash(this.storedPrevious, event.globalPosition, event.hash);
    // Where the stored chain has held so far, the two walks are one: hash once.
    this.recomputedPrevious =
      this.recomputedPrevious === this.storedPrevious
        ? expected
        : logHash(this.recomputedPrevious, event.globalPosition, event.hash);
    this.position = event.globalPosition;
    if (!this.storesLogHashes) {
      this.storedPrevious = this.recomputedPrevious;
      return NO_BREAK;
    }
    const at = () => ({
      globalPosition: event.globalPosition,
      streamId: event.streamId,
      streamVersion: event.streamVersion,
    });
    if (event.logHash === null) {
      this.storedPrevious = expected;
      return [{ ...at(), problem: 'log-hash-missing', expected, found: 'none' }];
    }
    this.storedPrevious = event.logHash;
    return expected === event.logHash
      ? NO_BREAK
      : [{ ...at(), problem: 'log-hash-mismatch', expected, found: event.logHash }];
  }

  /** The last position walked and the log hash the events alone give there. */
  get recomputed(): { readonly position: number; readonly logHash: string } {
    return { position: this.position, logHash: this.recomputedPrevious };
  }
}

/**
 * The one chain walker: fed events in log order (any mix of streams), it checks that each follows
 * its stream's previous event (version + 1) and that its stored hash recomputes from the previous
 * stored hash. Used by `verifyChain`, `keystone verify` and the evidence-bundle check alike.
 */
export class ChainWalker {
  private readonly reached = new Map<string, { version: number; hash: string }>();

  /** `start` says where a stream's walk begins: genesis, or an anchor inside the stream. */
  constructor(
    private readonly start: (streamId: string) => { version: number; hash: string } = () => ({
      version: 0,
      hash: GENESIS_HASH,
    }),
  ) {}

  step(event: ChainLink): readonly ChainBreak[] {
    let head = this.reached.get(event.streamId);
    const from = head ?? this.start(event.streamId);
    const recomputed = event.recompute(from.hash);
    const gap = event.streamVersion !== from.version + 1;
    if (head === undefined) this.reached.set(event.streamId, (head = { version: 0, hash: '' }));
    const previousVersion = from.version;
    head.version = event.streamVersion; // in place: no object per event
    head.hash = event.hash;
    if (!gap && recomputed === event.hash) return NO_BREAK; // every event but a damaged one
    const where = {
      streamId: event.streamId,
      streamVersion: event.streamVersion,
      globalPosition: event.globalPosition,
    };
    const breaks: ChainBreak[] = [];
    if (gap)
      breaks.push({
        ...where,
        problem: 'version-gap',
        expected: String(previousVersion + 1),
        found: String(event.streamVersion),
      });
    if (recomputed !== event.hash)
      breaks.push({ ...where, problem: 'hash-mismatch', expected: recomputed, found: event.hash });
    return breaks;
  }

  /** Each stream's last version and hash as walked. */
  get heads(): ReadonlyMap<string, { version: number; hash: string }> {
    return this.reached;
  }
}

/** Checks one stream's events, in order, as stored (not upcast). */
export function verifyChain(
  events: readonly (HashedFields & { hash: string; globalPosition: number })[],
): ChainBreak[] {
  const walker = new ChainWalker();
  return events.flatMap((event) =>
    walker.step({
      ...event,
      logHash: null,
      recompute: (previousHash) => chainHash(previousHash, event),
    }),
  );
}
