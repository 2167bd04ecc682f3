import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeyWrapper } from '../application/personal-data';

const ALGORITHM = 'aes-256-gcm';
const IV = 12;
const TAG = 16;

/**
 * The key-encryption key in a file of its own (mode 0600), made on first run. Keep it apart from
 * the database's backups: the two together decrypt experts' data; either alone does not. Several
 * APIs of one deployment name the same file (a mounted secret).
 */
export class FileKeyWrapper implements KeyWrapper {
  private readonly kek: Buffer;

  constructor(readonly file: string) {
    this.kek = FileKeyWrapper.load(file);
  }

  private static load(file: string): Buffer {
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      try {
        writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process made it
      }
    }
    chmodSync(file, 0o600);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32)
      throw new Error(
        `${file} does not hold a 32-byte key (base64): the key-encryption key file is damaged`,
      );
    return key;
  }

  async wrap(key: Buffer, keyId: string): Promise<Buffer> {
    const iv = randomBytes(IV);
    const cipher = createCipheriv(ALGORITHM, this.kek, iv).setAAD(Buffer.from(keyId, 'utf8'));
    const sealed = Buffer.concat([cipher.update(key), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
  }

  async unwrap(wrapped: Buffer, keyId: string): Promise<Buffer> {
    const decipher = createDecipheriv(ALGORITHM, this.kek, wrapped.subarray(0, IV))
      .setAAD(Buffer.from(keyId, 'utf8'))
      .setAuthTag(wrapped.subarray(IV, IV + TAG));
    return Buffer.concat([decipher.update(wrapped.subarray(IV + TAG)), decipher.final()]);
  }
}
