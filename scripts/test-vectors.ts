/**
 * Writes docs/test-vectors/tiny-log.json: a tiny log (two streams, five events, every kind of
 * metadata), the exact canonical text each hash covers, each event's hash and log hash, the stream
 * heads, a signed checkpoint and its test key. test/audit/test-vectors.int.spec.ts holds the
 * implementation (both databases) to this file. `npm run docs:vectors` regenerates it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { takeCheckpoint } from '@keystone/audit';
import {
  canonicalJson,
  chainCanonical,
  GENESIS_HASH,
  type EventStore,
  type NewEvent,
} from '@keystone/event-store';
import { SqliteEventStore } from '@keystone/event-store/adapters';

export const VECTORS_FILE = join(__dirname, '../docs/test-vectors/tiny-log.json');

/** Ed25519 signatures are deterministic: this test key (never for real use) makes the vector stable. */
export const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIGtleXN0b25lLXRlc3QtdmVjdG9yLWtleS0wMDAwMDAx
-----END PRIVATE KEY-----
`;

export const RECORDED_AT = '2026-11-27T09:00:00.000Z';

const meta = (n: number, extra?: NewEvent['metadata']['extra']): NewEvent['metadata'] => ({
  actor: `user:officer-${n}`,
  role: 'case-officer',
  correlationId: `corr-${n}`,
  causationId: n === 1 ? null : `cause-${n}`,
  occurredAt: `2026-0${n}-15T10:00:00+02:00`,
  ...(extra ? { extra } : {}),
});

/** The appends, in order: [stream, expected version, events]. */
export const APPENDS: [string, number | 'no_stream', NewEvent[]][] = [
  [
    'case-7f3a',
    'no_stream',
    [
      {
        eventId: '01936b5e-0000-7000-8000-000000000001',
        type: 'SupportRequested',
        data: {
          state: 'CIV',
          themes: ['nhri', 'justice'],
          summary: 'Appui à la CNDH — “Côte d’Ivoire”',
        },
        metadata: meta(1),
      },
      {
        eventId: '01936b5e-0000-7000-8000-000000000002',
        type: 'ConsentConfirmed',
        schemaVersion: 2,
        data: { by: 'focal-point:CIV', scope: null, n: 1.5, ok: true },
        metadata: meta(2, { requestId: 'req-2', synthetic: false }),
      },
    ],
  ],
  [
    'case-0b21',
    'no_stream',
    [
      {
        eventId: '01936b5e-0000-7000-8000-000000000003',
        type: 'SupportRequested',
        data: { state: 'FJI', themes: [], 'z-last': 'a', 'a-first': 'b', emoji: '🌊' },
        metadata: meta(3),
      },
    ],
  ],
  [
    'case-7f3a',
    2,
    [
      {
        eventId: '01936b5e-0000-7000-8000-000000000004',
        type: 'RequestScreened',
        data: { decision: 'accepted', reasons: 'Clear, urgent, consented.' },
        metadata: meta(4),
      },
      {
        eventId: '01936b5e-0000-7000-8000-000000000005',
        type: 'OfferMade',
        data: { offerId: 'offer-1', provider: { kind: 'state', state: 'SEN' } },
        metadata: meta(5, { note: 'tab\tand newline\n' }),
      },
    ],
  ],
];

export async function appendVectorLog(store: EventStore): Promise<void> {
  for (const [streamId, expected, events] of APPENDS)
    await store.append(streamId, events, expected);
}

/** What the implementation gives for the tiny log, in the file's shape. */
export async function vectors(): Promise<string> {
  const store = new SqliteEventStore({ path: ':memory:', clock: () => new Date(RECORDED_AT) });
  await appendVectorLog(store);
  const stored = await store.readAll({ raw: true });
  const logHashes = new Map<number, string | null>();
  for await (const link of store.storedEvents()) logHashes.set(link.globalPosition, link.logHash);
  const previous = new Map<string, string>();
  let previousLog = GENESIS_HASH;
  const events = stored.map((event) => {
    const previousHash = previous.get(event.streamId) ?? GENESIS_HASH;
    previous.set(event.streamId, event.hash);

    const logHash = logHashes.get(event.globalPosition)!;
    const logCanonical = canonicalJson({
      globalPosition: event.globalPosition,
      hash: event.hash,
      previousLogHash: previousLog,
    });
    previousLog = logHash;
    return {
      globalPosition: event.globalPosition,
      event: { ...event },
      canonical: chainCanonical(previousHash, event),
      hash: event.hash,
      logCanonical,
      logHash,
    };
  });
  const heads = Object.fromEntries(
    [...(await store.streamHeads())].map(([streamId, head]) => [streamId, head]),
  );
  const checkpoint = await takeCheckpoint(store, TEST_KEY, new Date(RECORDED_AT));
  await store.close();
  return `${JSON.stringify(
    {
      description:
        'A tiny Keystone log and the hashes it must give, for anyone writing a verifier (docs/hash-chain.md, docs/evidence-bundle.md). Every event was recorded at recordedAt below. testKey signs the checkpoint; it is a test key, never used for real evidence.',
      recordedAt: RECORDED_AT,
      genesisHash: GENESIS_HASH,
      events,
      streamHeads: heads,
      checkpoint,
      testKey: TEST_KEY,
    },
    null,
    2,
  )}\n`;
}

if (require.main === module) {
  void vectors().then((text) => {
    writeFileSync(VECTORS_FILE, text);
    console.log(`wrote ${VECTORS_FILE}`);
  });
}
