import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { canonicalJson, LogChainWalker, type EventStore } from '@keystone/event-store';
import { sqlBesideLog } from '@keystone/sql';
import { trustProblems } from './evidence-bundle';
import { fingerprint, signatureMatches, type Keyring } from './trusted-keys';

export const CHECKPOINT_FORMAT = 'keystone-checkpoint/1' as const;

/**
 * A signed statement that the log, at `logPosition`, had the log hash `logHash` (the log-wide chain
 * as the events alone give it). Published outside Keystone, it is the anchor that makes even a full
 * rewrite of the log with every hash recomputed detectable: `keystone verify --against FILE`.
 * Ed25519 over the canonical JSON (RFC 8785) of every field but `signature`; see
 * docs/evidence-bundle.md.
 */
export interface SignedCheckpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly adapter: string;
  readonly logPosition: number;
  readonly logHash: string;
  readonly createdAt: string;
  /** SPKI PEM of the signing key. */
  readonly publicKey: string;
  /** Base64 Ed25519 signature. */
  readonly signature: string;
}

export class CheckpointRefused extends Error {}

/**
 * Walks the log chain from the first event and signs where it ends. Refused when the stored log
 * hashes disagree with the events (sign nothing over a log that does not hold) or the log is empty.
 */
export async function takeCheckpoint(
  store: EventStore,
  privateKeyPem: string,
  now: Date,
): Promise<SignedCheckpoint> {
  const walker = new LogChainWalker((await store.logChain()).stored);
  for await (const event of store.storedEvents()) {
    const [first] = walker.step(event);
    if (first)
      throw new CheckpointRefused(
        `the log does not hold at position ${first.globalPosition} (${first.problem}): run keystone verify; no checkpoint was signed`,
      );
  }
  const { position, logHash } = walker.recomputed;
  if (position === 0) throw new CheckpointRefused('the log holds no event: nothing to checkpoint');
  const privateKey = createPrivateKey(privateKeyPem);
  const unsigned = {
    format: CHECKPOINT_FORMAT,
    adapter: store.adapter,
    logPosition: position,
    logHash,
    createdAt: now.toISOString(),
    publicKey: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  };
  const signature = sign(null, Buffer.from(canonicalJson(unsigned), 'utf8'), privateKey);
  return { ...unsigned, signature: signature.toString('base64') };
}

const FIELDS = [
  'adapter',
  'createdAt',
  'format',
  'logHash',
  'logPosition',
  'publicKey',
  'signature',
];

/** A checkpoint file read and checked: its shape, its signer against the trusted keys, its signature. */
export interface CheckpointCheck {
  readonly checkpoint: SignedCheckpoint | null;
  readonly signer: string | null;
  readonly problems: readonly string[];
}

export function checkCheckpoint(text: string, trusted: Keyring | null): CheckpointCheck {
  let parsed: SignedCheckpoint;
  try {
    parsed = JSON.parse(text) as SignedCheckpoint;
  } catch (error) {
    return refused(`the checkpoint is not valid JSON (${(error as Error).message})`);
  }
  const keys = parsed && typeof parsed === 'object' ? Object.keys(parsed).sort() : [];
  if (canonicalJson(keys) !== canonicalJson(FIELDS))
    return refused(`the checkpoint's fields are ${keys.join(', ')}; expected ${FIELDS.join(', ')}`);
  if (parsed.format !== CHECKPOINT_FORMAT) return refused(`unknown format "${parsed.format}"`);
  if (!Number.isSafeInteger(parsed.logPosition) || parsed.logPosition < 1)
    return refused('the checkpoint has no valid logPosition');
  if (typeof parsed.logHash !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.logHash))
    return refused('the checkpoint has no valid logHash');
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(parsed.publicKey);
  } catch {
    return refused('the public key in the checkpoint cannot be read');
  }
  const signer = fingerprint(publicKey);
  const problems = trustProblems(signer, publicKey, trusted);
  const { signature, ...unsigned } = parsed;
  if (!signatureMatches(unsigned, publicKey, signature))
    problems.push(
      "the checkpoint's signature does not match its content: it was changed after signing",
    );
  return { checkpoint: parsed, signer, problems };
}

function refused(problem: string): CheckpointCheck {
  return { checkpoint: null, signer: null, problems: [problem] };
}

/**
 * Checkpoints kept beside the log (table keystone_checkpoints), so the panel report can cite the
 * latest and `keystone verify` can check the log still extends each. Publishing them elsewhere is
 * what makes them an anchor: a copy kept only here can be rewritten with the log.
 */
export class CheckpointBook {
  private static readonly TABLE = `CREATE TABLE IF NOT EXISTS keystone_checkpoints (
    log_position BIGINT NOT NULL,
    log_hash     TEXT   NOT NULL,
    created_at   TEXT   NOT NULL,
    signer       TEXT   NOT NULL,
    document     TEXT   NOT NULL,
    PRIMARY KEY (log_position, created_at)
  )`;

  constructor(private readonly store: EventStore) {}

  async keep(checkpoint: SignedCheckpoint): Promise<void> {
    const db = sqlBesideLog(this.store);
    await db.exec(CheckpointBook.TABLE);
    await db.write((tx) =>
      tx.run(
        'INSERT INTO keystone_checkpoints (log_position, log_hash, created_at, signer, document) VALUES (?, ?, ?, ?, ?)',
        [
          checkpoint.logPosition,
          checkpoint.logHash,
          checkpoint.createdAt,
          fingerprint(checkpoint.publicKey),
          JSON.stringify(checkpoint),
        ],
      ),
    );
  }

  /** Every kept checkpoint, oldest first; none when the table does not exist (never created here). */
  async all(): Promise<SignedCheckpoint[]> {
    try {
      const rows = await sqlBesideLog(this.store).all<{ document: string }>(
        'SELECT document FROM keystone_checkpoints ORDER BY log_position, created_at',
      );
      return rows.map((row) => JSON.parse(row.document) as SignedCheckpoint);
    } catch (error) {
      if (/keystone_checkpoints/.test((error as Error).message)) return [];
      throw error;
    }
  }

  /** The latest checkpoint at or before `position`. */
  async latest(position = Number.MAX_SAFE_INTEGER): Promise<SignedCheckpoint | null> {
    const before = (await this.all()).filter((c) => c.logPosition <= position);
    return before[before.length - 1] ?? null;
  }
}
