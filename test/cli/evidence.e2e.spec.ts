import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyBundle } from '@keystone/audit';
import { type EventStore } from '@keystone/event-store';
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

  it('exports a case, signed, and verifies it offline with no access to the store', () => {
    const bundle = join(dir, `${kind}-case.json`);
    const exported = keystone(['export', '--case', 'c1', '--out', bundle], env);
    expect({ code: exported.code, out: exported.stdout.trim() }).toEqual({
      code: 0,
      out: `exported 5 events of 1 streams to ${bundle}, signed`,
    });
    // Offline: no store configured at all (an unreachable one), the bundle alone.
    const offline = keystone(['verify-bundle', bundle], {
      KEYSTONE_STORE: 'postgres',
      KEYSTONE_POSTGRES_URL: 'postgres://nobody@127.0.0.1:1/x',
      KEYSTONE_AUTH_SECRET: 'x'.repeat(40),
    });
    expect({ code: offline.code, out: offline.stdout.trim() }).toEqual({
      code: 0,
      out: 'bundle holds: 5 events of 1 streams, signature and hash chains verified',
    });
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
    expect(keystone(['verify-bundle', bundle], env).code).toBe(0);
  });

  it('fails a bundle with any flipped byte, and says why', () => {
    const bundle = join(dir, `${kind}-flip.json`);
    expect(keystone(['export', '--case', 'c1', '--out', bundle], env).code).toBe(0);
    const original = readFileSync(bundle);
    const positions = Array.from({ length: 60 }, (_, i) =>
      Math.floor(((i + 0.5) / 60) * original.length),
    );
    for (const position of positions) {
      const flipped = Buffer.from(original);
      flipped[position] ^= 0x01;
      const check = verifyBundle(flipped.toString('utf8'));
      expect({ position, ok: check.ok }).toEqual({ position, ok: false });
      expect(check.problems.join(' ')).toMatch(
        /JSON|signature|hash|fields|format|key|version|anchor|chain/,
      );
    }
    const tampered = join(dir, `${kind}-tampered.json`);
    const text = original.toString('utf8').replace('"n": 1', '"n": 7');
    expect(text).not.toBe(original.toString('utf8'));
    writeFileSync(tampered, text);
    const run = keystone(['verify-bundle', tampered], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('the signature does not match the content');
    expect(run.stdout).toMatch(
      /case-c1 v2 \(position \d+\): hash [0-9a-f]{64} does not match its content/,
    );
  });

  it('refuses a bundle signed with another key than the one expected', () => {
    const bundle = join(dir, `${kind}-other-key.json`);
    expect(
      keystone(['export', '--case', 'c2', '--out', bundle], {
        ...env,
        KEYSTONE_EVIDENCE_KEY_FILE: join(dir, `${kind}-other.pem`),
      }).code,
    ).toBe(0);
    const expectedKey = join(dir, `${kind}-expected-public.pem`);
    writeFileSync(
      expectedKey,
      JSON.parse(readFileSync(join(dir, `${kind}-case.json`), 'utf8')).publicKey,
    );
    const run = keystone(['verify-bundle', bundle, '--public-key', expectedKey], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('signed with another key');
  });
});
