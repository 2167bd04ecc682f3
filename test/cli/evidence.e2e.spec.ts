import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint, Keyring, verifyBundle } from '@keystone/audit';
import { canonicalJson, chainHash, type EventStore } from '@keystone/event-store';
import { PostgresEventStore, SqliteEventStore } from '@keystone/event-store/adapters';
import { testEvents } from '@keystone/event-store/testing/test-events';
import { testPostgresUrl, uniqueSchema } from '../support/test-env';
import { assertBuilt, keystone } from './cli-harness';

const dir = mkdtempSync(join(tmpdir(), 'keystone-evidence-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(assertBuilt);

async function seeded(
  kind: 'sqlite' | 'postgres',
): Promise<{ env: Record<string, string>; store: EventStore }> {
  const keyEnv = { KEYSTONE_EVIDENCE_KEY_FILE: join(dir, `${kind}-signing-key.pem`) };
  if (kind === 'sqlite') {
    const path = join(dir, `${uniqueSchema('e')}.db`);
    const store = new SqliteEventStore({ path });
    return { env: { KEYSTONE_SQLITE_PATH: path, ...keyEnv }, store };
  }
  const schema = uniqueSchema('evidence');
  const store = await PostgresEventStore.connect({ connectionString: testPostgresUrl(), schema });
  return {
    env: {
      KEYSTONE_STORE: 'postgres',
      KEYSTONE_POSTGRES_URL: testPostgresUrl(),
      KEYSTONE_POSTGRES_SCHEMA: schema,
      KEYSTONE_AUTH_SECRET: 'e'.repeat(40),
      ...keyEnv,
    },
    store,
  };
}

describe.each(['sqlite', 'postgres'] as const)('evidence bundles [%s]', (kind) => {
  let env: Record<string, string>;
  let store: EventStore;
  beforeAll(async () => {
    ({ env, store } = await seeded(kind));
    await store.append('case-c1', testEvents(3), 'no_stream');
    await store.append('case-c2', testEvents(2), 'no_stream');
    await store.append('case-c1', testEvents(2), 3);
  });
  afterAll(() => store.close());
  /** The evidence key's public half, as the operator publishes it and the auditor pins it. */
  const pinned = () => {
    const file = join(dir, `${kind}-pinned.pem`);
    const run = keystone(['public-key', '--out', file], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^SHA256:[A-Za-z0-9+/]{43}\n-----BEGIN PUBLIC KEY-----/);
    return file;
  };

  it('exports a case, signed, and verifies it offline with no access to the store', () => {
    const bundle = join(dir, `${kind}-case.json`);
    const exported = keystone(['export', '--case', 'c1', '--out', bundle], env);
    expect({ code: exported.code, out: exported.stdout.trim() }).toEqual({
      code: 0,
      out: `exported 5 events of 1 streams to ${bundle}, signed`,
    });
    // Offline: no store configured at all (an unreachable one), the bundle alone.
    const key = pinned();
    const offline = keystone(['verify-bundle', bundle, '--public-key', key], {
      KEYSTONE_STORE: 'postgres',
      KEYSTONE_POSTGRES_URL: 'postgres://nobody@127.0.0.1:1/x',
      KEYSTONE_AUTH_SECRET: 'x'.repeat(40),
    });
    expect({ code: offline.code, out: offline.stdout.trim() }).toEqual({
      code: 0,
      out: `signer: ${fingerprint(readFileSync(key, 'utf8'))}\nbundle holds: 5 events of 1 streams, signed by a trusted key, signature and hash chains verified`,
    });
    // The same bundle with no key to trust: a valid signature by a key nobody vouched for is a finding.
    const untrusted = keystone(['verify-bundle', bundle], env);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toMatch(/signed by SHA256:\S+, but no trusted key was given/);
  });

  it('exports a time range whose streams start mid-chain, anchored to the hash before', async () => {
    const [, , third] = await store.readStream('case-c1');
    const bundle = join(dir, `${kind}-range.json`);
    const from = third.metadata.recordedAt;
    const run = keystone(
      ['export', '--from', from, '--to', '2999-01-01T00:00:00Z', '--out', bundle],
      env,
    );
    expect(run.code).toBe(0);
    const parsed = JSON.parse(readFileSync(bundle, 'utf8'));
    expect(parsed.anchors['case-c1'].fromVersion).toBeGreaterThanOrEqual(1);
    expect(keystone(['verify-bundle', bundle, '--keyring', pinned()], env).code).toBe(0);
  });

  it('fails a bundle with any flipped byte, and says why', () => {
    const bundle = join(dir, `${kind}-flip.json`);
    expect(keystone(['export', '--case', 'c1', '--out', bundle], env).code).toBe(0);
    const original = readFileSync(bundle);
    const keyring = Keyring.of([readFileSync(pinned(), 'utf8')]);
    const positions = Array.from({ length: 60 }, (_, i) =>
      Math.floor(((i + 0.5) / 60) * original.length),
    );
    for (const position of positions) {
      const flipped = Buffer.from(original);
      flipped[position] ^= 0x01;
      const check = verifyBundle(flipped.toString('utf8'), keyring);
      expect({ position, ok: check.ok }).toEqual({ position, ok: false });
      expect(check.problems.join(' ')).toMatch(
        /JSON|signature|hash|fields|format|key|version|anchor|chain/,
      );
    }
    const tampered = join(dir, `${kind}-tampered.json`);
    const text = original.toString('utf8').replace('"n": 1', '"n": 7');
    expect(text).not.toBe(original.toString('utf8'));
    writeFileSync(tampered, text);
    const run = keystone(['verify-bundle', tampered, '--public-key', pinned()], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('the signature does not match the content');
    expect(run.stdout).toMatch(
      /case-c1 v2 \(position \d+\): hash [0-9a-f]{64} does not match its content/,
    );
  });

  it("refuses a bundle edited, re-hashed and re-signed with someone else's key, naming the signer", () => {
    const bundle = join(dir, `${kind}-resigned.json`);
    expect(keystone(['export', '--case', 'c2', '--out', bundle], env).code).toBe(0);
    const forged = JSON.parse(readFileSync(bundle, 'utf8'));
    // The forger changes a fact, recomputes every hash after it, and signs with a key of their own.
    forged.events[0].data = { n: 42 };
    let previous = forged.anchors['case-c2'].previousHash;
    for (const event of forged.events) previous = event.hash = chainHash(previous, event);
    forged.chainHeads['case-c2'].hash = previous;
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    forged.publicKey = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    delete forged.signature;
    forged.signature = sign(null, Buffer.from(canonicalJson(forged), 'utf8'), privateKey).toString(
      'base64',
    );
    writeFileSync(bundle, JSON.stringify(forged, null, 2));
    const foreign = fingerprint(publicKey);
    const run = keystone(['verify-bundle', bundle, '--public-key', pinned()], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`signer: ${foreign}`);
    expect(run.stdout).toContain(`signed by ${foreign}, a key that is not among the trusted ones`);
    // Its signature and chains are internally valid: only the trust check can catch it.
    expect(run.stdout.match(/^ {2}- /gm)).toHaveLength(1);
    const unpinned = keystone(['verify-bundle', bundle], env);
    expect(unpinned.code).toBe(1);
    expect(unpinned.stdout).toContain(`signed by ${foreign}, but no trusted key was given`);
  });
});
