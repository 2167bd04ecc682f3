import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SealedPersonalData } from '../domain/expert.events';

/** What identifies an expert as a person: sealed in the log, readable only while the key exists. */
export interface PersonalData {
  readonly name: string;
  readonly contact: string;
  readonly nationality: string;
}

const ALGORITHM = 'aes-256-gcm';

export function seal(
  personal: PersonalData,
  keyId: string,
  key: Buffer,
  expertId: string,
): SealedPersonalData {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv).setAAD(Buffer.from(expertId, 'utf8'));
  const ciphertext = Buffer.concat([
    cipher.update(JSON.stringify(personal), 'utf8'),
    cipher.final(),
  ]);
  return {
    keyId,
    iv: iv.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

export function unseal(sealed: SealedPersonalData, key: Buffer, expertId: string): PersonalData {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64')).setAAD(
    Buffer.from(expertId, 'utf8'),
  );
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  const plain = Buffer.concat([
    decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
    decipher.final(),
  ]);
  return JSON.parse(plain.toString('utf8')) as PersonalData;
}

/**
 * Per-expert keys, kept outside the log. Destroying a key is the erasure: the sealed data stays in
 * the log (and its hash chain stays intact) but can never be read again.
 */
export interface ExpertKeyStore {
  create(keyId: string): Promise<Buffer>;
  find(keyId: string): Promise<Buffer | null>;
  destroy(keyId: string): Promise<void>;
}

export const EXPERT_KEY_STORE = Symbol('EXPERT_KEY_STORE');

/**
 * Wraps experts' data keys with a key-encryption key kept outside the database, so the database (or
 * a copy of it) alone decrypts nobody. Asynchronous, so a KMS can sit behind it later.
 */
export interface KeyWrapper {
  wrap(key: Buffer, keyId: string): Promise<Buffer>;
  unwrap(wrapped: Buffer, keyId: string): Promise<Buffer>;
}

export const KEY_WRAPPER = Symbol('KEY_WRAPPER');
