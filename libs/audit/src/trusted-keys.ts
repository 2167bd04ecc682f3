import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '@keystone/event-store';

/**
 * The keys an auditor trusts to have signed evidence and checkpoints: given one at a time
 * (`--public-key FILE`) or pinned in a keyring file (`--keyring FILE`: any number of PEM public
 * keys, one after another; text outside the PEM blocks is ignored, so each can carry a comment).
 * A signature by any other key, however valid, is a finding: it proves only that *someone* signed.
 */
export class Keyring {
  private readonly byFingerprint: Map<string, KeyObject>;

  private constructor(keys: readonly KeyObject[]) {
    this.byFingerprint = new Map(keys.map((key) => [fingerprint(key), key]));
  }

  static of(pemTexts: readonly string[]): Keyring {
    const keys: KeyObject[] = [];
    for (const text of pemTexts) {
      const blocks = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g);
      if (!blocks)
        throw new Error('no PEM public key ("-----BEGIN PUBLIC KEY-----") in the key file');
      keys.push(...blocks.map((block) => createPublicKey(block)));
    }
    return new Keyring(keys);
  }

  get size(): number {
    return this.byFingerprint.size;
  }

  trusts(key: KeyObject): boolean {
    return this.byFingerprint.has(fingerprint(key));
  }

  get fingerprints(): string[] {
    return [...this.byFingerprint.keys()];
  }
}

/** "SHA256:" and the unpadded base64 of the SHA-256 of the key's DER SPKI, as OpenSSH shows keys. */
export function fingerprint(key: KeyObject | string): string {
  const object = typeof key === 'string' ? createPublicKey(key) : key;
  const der = object.export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}

/** The public half of a signing key, as SPKI PEM. */
export function publicKeyPem(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * Whether `signature` (base64 Ed25519) is `publicKey`'s over the canonical JSON of `unsigned`: the
 * one signing rule of bundles and checkpoints (docs/evidence-bundle.md). A signature that cannot
 * even be read is false.
 */
export function signatureMatches(
  unsigned: object,
  publicKey: KeyObject,
  signature: unknown,
): boolean {
  try {
    return verify(
      null,
      Buffer.from(canonicalJson(unsigned), 'utf8'),
      publicKey,
      Buffer.from(String(signature), 'base64'),
    );
  } catch {
    return false;
  }
}
