import { createDecipheriv } from 'node:crypto';
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { apiForSuite } from './support/scenario';

/**
 * Experts' data keys are wrapped by a key-encryption key kept in a file of its own: the database
 * file alone (a stolen copy, a backup) decrypts nobody. Both files are readable by their owner only.
 */
describe('experts’ keys at rest', () => {
  const { h, t } = apiForSuite();

  it('keeps the log, its WAL and the key-encryption key at mode 0600', async () => {
    await h.call('POST', '/trust-fund/contributions', {
      token: t.officer,
      body: { donor: 'Chile', amount: 10 },
    });
    for (const file of [h.path, `${h.path}-wal`, h.keyEncryptionKeyFile])
      expect([file, (statSync(file).mode & 0o777).toString(8)]).toEqual([file, '600']);
  });

  it('stores no key that opens an expert’s sealed data without the key file', async () => {
    const registered = await h.call('POST', '/experts', {
      token: t.officer,
      body: { name: 'Ana Keyless', contact: 'ana@example.org', nationality: 'Chile' },
    });
    expect(registered.status).toBe(201);
    const expert = await h.call('GET', `/experts/${registered.body.expertId}`, {
      token: t.officer,
    });
    expect(expert.body.personal.name).toBe('Ana Keyless'); // the API, with the key file, reads it

    // An attacker with the database file only: the sealed data from the log, the key from its table.
    const file = new Database(h.path, { readonly: true });
    const event = file
      .prepare(
        "SELECT data FROM events WHERE type = 'ExpertRegistered' ORDER BY global_position DESC",
      )
      .get() as { data: string };
    const sealed = JSON.parse(event.data).personal;
    const stored = (
      file.prepare('SELECT key FROM expert_keys WHERE key_id = ?').get(sealed.keyId) as {
        key: Buffer;
      }
    ).key;
    file.close();
    expect(stored.length).not.toBe(32); // wrapped, not the data key itself
    const attempt = () => {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        stored.subarray(0, 32),
        Buffer.from(sealed.iv, 'base64'),
      )
        .setAAD(Buffer.from(registered.body.expertId, 'utf8'))
        .setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([
        decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
        decipher.final(),
      ]);
    };
    expect(attempt).toThrow(); // GCM refuses: the stored bytes are not the data key
  });
});
