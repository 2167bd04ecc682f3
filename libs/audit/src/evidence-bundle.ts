import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { fingerprint, signatureMatches, type Keyring } from './trusted-keys';
import {
  canonicalJson,
  chainHash,
  ChainWalker,
  compareInstants,
  replayLog,
  GENESIS_HASH,
  type EventStore,
  type RecordedEvent,
} from '@keystone/event-store';

export const BUNDLE_FORMAT = 'keystone-evidence/1' as const;

export type BundleScope =
  { readonly caseId: string } | { readonly from: string; readonly to: string };

/**
 * Evidence an auditor can check offline, without Keystone: the events as stored, for each stream
 * the hash its first included event chains onto (its anchor) and the head it reaches, signed with
 * Ed25519 over the canonical JSON (RFC 8785) of everything but the signature.
 */
export interface EvidenceBundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly createdAt: string;
  readonly scope: BundleScope;
  readonly logPosition: number;
  readonly anchors: Record<string, { readonly fromVersion: number; readonly previousHash: string }>;
  readonly chainHeads: Record<string, { readonly version: number; readonly hash: string }>;
  readonly events: readonly RecordedEvent[];
  /** SPKI PEM of the signing key. */
  readonly publicKey: string;
  /** Base64 Ed25519 signature. */
  readonly signature: string;
}

export async function exportBundle(
  store: EventStore,
  scope: BundleScope,
  privateKeyPem: string,
  now: Date,
): Promise<EvidenceBundle> {
  const events =
    'caseId' in scope
      ? await store.readStream(`case-${scope.caseId}`, { raw: true })
      : await eventsRecordedBetween(store, scope.from, scope.to);
  const anchors: EvidenceBundle['anchors'] = {};
  const chainHeads: EvidenceBundle['chainHeads'] = {};
  for (const event of events) {
    if (!anchors[event.streamId]) {
      const previous =
        event.streamVersion === 1
          ? []
          : await store.readStream(event.streamId, {
              fromVersion: event.streamVersion - 1,
              toVersion: event.streamVersion - 1,
              raw: true,
            });
      anchors[event.streamId] = {
        fromVersion: event.streamVersion,
        previousHash: previous[0]?.hash ?? GENESIS_HASH,
      };
    }
    chainHeads[event.streamId] = { version: event.streamVersion, hash: event.hash };
  }
  const privateKey = createPrivateKey(privateKeyPem);
  const unsigned = {
    format: BUNDLE_FORMAT,
    createdAt: now.toISOString(),
    scope,
    logPosition: await store.lastPosition(),
    anchors,
    chainHeads,
    events,
    publicKey: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  };
  const signature = sign(null, Buffer.from(canonicalJson(unsigned), 'utf8'), privateKey).toString(
    'base64',
  );
  return { ...unsigned, signature };
}

async function eventsRecordedBetween(
  store: EventStore,
  from: string,
  to: string,
): Promise<RecordedEvent[]> {
  const picked: RecordedEvent[] = [];
  for await (const event of replayLog(store, { asOf: to }, { raw: true }))
    if (compareInstants(event.metadata.recordedAt, from) >= 0) picked.push(event);
  return picked;
}

export interface BundleCheck {
  readonly ok: boolean;
  /** The fingerprint of the key the bundle says signed it (see trusted-keys.ts), when readable. */
  readonly signer: string | null;
  readonly problems: readonly string[];
  readonly events: number;
  readonly streams: number;
}

const KEYS = [
  'anchors',
  'chainHeads',
  'createdAt',
  'events',
  'format',
  'logPosition',
  'publicKey',
  'scope',
  'signature',
];

/**
 * Checks a bundle's text offline: its shape, that its signer is a key the auditor trusts (given or
 * pinned: a valid signature by any other key is a finding), its signature, every chain from its
 * anchor, its heads.
 */
export function verifyBundle(text: string, trusted: Keyring | null): BundleCheck {
  let bundle: EvidenceBundle;
  try {
    bundle = JSON.parse(text) as EvidenceBundle;
  } catch (error) {
    return failed(
      `the bundle is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const keys = bundle && typeof bundle === 'object' ? Object.keys(bundle).sort() : [];
  if (canonicalJson(keys) !== canonicalJson(KEYS))
    return failed(
      `the bundle's fields are ${keys.join(', ') || 'missing'}; expected ${KEYS.join(', ')}`,
    );
  if (bundle.format !== BUNDLE_FORMAT) return failed(`unknown format "${bundle.format}"`);
  const problems: string[] = [];
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(bundle.publicKey);
  } catch {
    return failed('the public key in the bundle cannot be read');
  }
  const signer = fingerprint(publicKey);
  problems.push(...trustProblems(signer, publicKey, trusted));
  const { signature, ...unsigned } = bundle;
  if (!signatureMatches(unsigned, publicKey, signature))
    problems.push(
      'the signature does not match the content: something in the bundle was changed after it was signed',
    );
  problems.push(...chainProblems(bundle));
  return {
    ok: problems.length === 0,
    signer,
    problems,
    events: Array.isArray(bundle.events) ? bundle.events.length : 0,
    streams: Object.keys(bundle.chainHeads ?? {}).length,
  };
}

function chainProblems(bundle: EvidenceBundle): string[] {
  const problems: string[] = [];
  if (!Array.isArray(bundle.events) || !bundle.anchors || !bundle.chainHeads)
    return ['the bundle has no events, anchors or chain heads'];
  const anchors = bundle.anchors;
  const walker = new ChainWalker((streamId) => ({
    version: anchors[streamId].fromVersion - 1,
    hash: anchors[streamId].previousHash,
  }));
  for (const [index, event] of bundle.events.entries()) {
    const malformed = malformedEvent(event);
    if (malformed) {
      problems.push(`event ${index + 1} is malformed: ${malformed}`);
      continue;
    }
    if (!anchors[event.streamId]) {
      problems.push(`${event.streamId} v${event.streamVersion}: no anchor for its stream`);
      continue;
    }
    const link = {
      ...event,
      logHash: null,
      recompute: (previous: string) => chainHash(previous, event),
    };
    for (const found of walker.step(link))
      problems.push(
        found.problem === 'version-gap'
          ? `${event.streamId}: expected version ${found.expected}, found ${found.found}`
          : `${event.streamId} v${event.streamVersion} (position ${event.globalPosition}): hash ${event.hash} does not match its content (recomputed ${found.expected})`,
      );
  }
  const heads = walker.heads;
  for (const [streamId, head] of Object.entries(bundle.chainHeads)) {
    const reached = heads.get(streamId);
    if (!reached || reached.version !== head.version || reached.hash !== head.hash)
      problems.push(
        `${streamId}: the events do not reach the chain head the bundle states (v${head.version})`,
      );
  }
  return problems;
}

function failed(problem: string): BundleCheck {
  return { ok: false, signer: null, problems: [problem], events: 0, streams: 0 };
}

/** Whether `signer` is a key the auditor trusts; what to do when it is not. */
export function trustProblems(
  signer: string,
  publicKey: KeyObject,
  trusted: Keyring | null,
): string[] {
  if (!trusted || trusted.size === 0)
    return [
      `signed by ${signer}, but no trusted key was given: pass --public-key FILE or --keyring FILE with the key you expect (a signature by an unknown key proves nothing)`,
    ];
  if (!trusted.trusts(publicKey))
    return [
      `signed by ${signer}, a key that is not among the trusted ones (${trusted.fingerprints.join(', ')})`,
    ];
  return [];
}

const EVENT_FIELDS = [
  'data',
  'eventId',
  'globalPosition',
  'hash',
  'metadata',
  'schemaVersion',
  'streamId',
  'streamVersion',
  'type',
];

function malformedEvent(event: unknown): string | null {
  if (typeof event !== 'object' || event === null) return 'not an object';
  const keys = Object.keys(event).sort();
  if (canonicalJson(keys) !== canonicalJson(EVENT_FIELDS))
    return `its fields are ${keys.join(', ')}; expected ${EVENT_FIELDS.join(', ')}`;
  return null;
}
