import { createHash, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCheckpoint, Keyring, publicKeyPem, verifyLog } from '@keystone/audit';
import type { EventStore } from '@keystone/event-store';
import { PostgresEventStore, SqliteEventStore } from '@keystone/event-store/adapters';
import { appendVectorLog, RECORDED_AT, vectors, VECTORS_FILE } from '../../scripts/test-vectors';
import { testPostgresUrl, uniqueSchema } from '../support/test-env';

/**
 * docs/test-vectors/tiny-log.json is what an auditor writes a verifier against. These tests hold the
 * implementation to it: a verifier written here from docs/hash-chain.md alone (not Keystone's
 * encoder) reproduces every hash; both databases store exactly those hashes; the checkpoint's
 * signature checks; and the documents quote the vectors' real hashes.
 */
const file = JSON.parse(readFileSync(VECTORS_FILE, 'utf8'));
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** RFC 8785 for the values Keystone stores, as docs/hash-chain.md describes it: an independent encoder. */
function jcs(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${jcs(record[k])}`).join(',')}}`;
}

describe('the test vectors in docs/', () => {
  it('are what the implementation gives now (npm run docs:vectors)', async () => {
    expect(await vectors()).toBe(readFileSync(VECTORS_FILE, 'utf8'));
  });

  it('can be recomputed from the documents alone: every canonical text, hash and log hash', () => {
    const heads = new Map<string, string>();
    let previousLog: string = file.genesisHash;
    for (const vector of file.events) {
      const { event } = vector;
      const canonical = jcs({
        previousHash: heads.get(event.streamId) ?? file.genesisHash,
        eventId: event.eventId,
        streamId: event.streamId,
        streamVersion: event.streamVersion,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: event.metadata,
      });
      expect(canonical).toBe(vector.canonical);
      expect(sha256(canonical)).toBe(vector.hash);
      heads.set(event.streamId, vector.hash);
      const logCanonical = jcs({
        globalPosition: vector.globalPosition,
        hash: vector.hash,
        previousLogHash: previousLog,
      });
      expect(logCanonical).toBe(vector.logCanonical);
      expect(sha256(logCanonical)).toBe(vector.logHash);
      previousLog = vector.logHash;
    }
    expect(Object.fromEntries([...heads].map(([s]) => [s, file.streamHeads[s].hash]))).toEqual(
      Object.fromEntries(heads),
    );
    expect(file.checkpoint.logHash).toBe(previousLog);
  });

  it('carry a checkpoint whose signature checks against the test key, and re-signs identically', () => {
    const trusted = Keyring.of([publicKeyPem(file.testKey)]);
    expect(checkCheckpoint(JSON.stringify(file.checkpoint), trusted).problems).toEqual([]);
    const { signature, ...unsigned } = file.checkpoint;
    expect(
      sign(null, Buffer.from(jcs(unsigned), 'utf8'), createPrivateKey(file.testKey)).toString(
        'base64',
      ),
    ).toBe(signature);
  });

  it('are quoted, with their real hashes, by docs/hash-chain.md and docs/evidence-bundle.md', () => {
    const chainDoc = readFileSync(join(__dirname, '../../docs/hash-chain.md'), 'utf8');
    const bundleDoc = readFileSync(join(__dirname, '../../docs/evidence-bundle.md'), 'utf8');
    const [first] = file.events;
    expect(chainDoc).toContain(first.canonical);
    expect(chainDoc).toContain(first.hash);
    expect(chainDoc).toContain(first.logCanonical);
    expect(chainDoc).toContain(first.logHash);
    expect(chainDoc).toContain(file.events[4].logHash);
    expect(bundleDoc).toContain(file.checkpoint.signature);
  });

  describe.each(['sqlite', 'postgres'] as const)('stored by %s', (kind) => {
    let store: EventStore;
    beforeAll(async () => {
      const clock = () => new Date(RECORDED_AT);
      store =
        kind === 'sqlite'
          ? new SqliteEventStore({ path: ':memory:', clock })
          : await PostgresEventStore.connect({
              connectionString: testPostgresUrl(),
              schema: uniqueSchema('vectors'),
              clock,
            });
      await appendVectorLog(store);
    });
    afterAll(() => store.close());

    it('with exactly the vectors’ hashes, log hashes and heads, and verifying clean', async () => {
      const links = [];
      for await (const link of store.storedEvents()) links.push(link);
      expect(links.map((l) => [l.globalPosition, l.hash, l.logHash])).toEqual(
        file.events.map((v: any) => [v.globalPosition, v.hash, v.logHash]),
      );
      expect(Object.fromEntries(await store.streamHeads())).toEqual(file.streamHeads);
      const verified = await verifyLog(store, {
        against: [{ label: 'vector', logPosition: 5, logHash: file.checkpoint.logHash }],
      });
      expect(verified.findings).toEqual([]);
      expect(verified.checkpoints).toEqual([{ label: 'vector', position: 5, holds: true }]);
    });
  });
});
