import { GENESIS_HASH, provePart, type LogPart, type PartProof } from '@keystone/event-store';
import {
  KurrentDbEventStore,
  SQLITE_TRIGGERS,
  SqliteEventStore,
} from '@keystone/event-store/adapters';
import { prepareEvents } from '@keystone/event-store/append-planning';
import { encodeEvent } from '@keystone/event-store/kurrentdb/kurrentdb.codec';
import { InMemoryKurrent } from '@keystone/event-store/kurrentdb/testing/in-memory-kurrent';
import { testEvents } from '@keystone/event-store/testing/test-events';
import { verifyLog } from './verify-log';

describe('verifyLog (SQLite)', () => {
  let store: SqliteEventStore;
  beforeEach(async () => {
    store = new SqliteEventStore({ path: ':memory:' });
    await store.append('a', testEvents(3), 'no_stream');
    await store.append('b', testEvents(2), 'no_stream');
  });
  afterEach(() => store.close());

  it('finds nothing in an untouched log', async () => {
    expect(await verifyLog(store)).toMatchObject({
      eventsChecked: 5,
      streamsChecked: 2,
      lastPosition: 5,
      logHead: { position: 5, logHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      checkpoints: [],
      findings: [],
    });
  });

  it('accepts data rewritten in an equivalent, non-canonical form (the exact hash decides)', async () => {
    store.database.exec('DROP TRIGGER events_no_update');
    store.database
      .prepare(
        `UPDATE events SET data = '{ "n" : 1 }' WHERE stream_id = 'a' AND stream_version = 2`,
      )
      .run();
    store.database.exec(SQLITE_TRIGGERS);
    expect((await verifyLog(store)).findings).toEqual([]);
  });

  it('names an edited event by stream, version and position', async () => {
    store.database.exec('DROP TRIGGER events_no_update');
    store.database
      .prepare(`UPDATE events SET data = '{"n":42}' WHERE stream_id = 'a' AND stream_version = 2`)
      .run();
    store.database.exec(SQLITE_TRIGGERS);
    const { findings } = await verifyLog(store);
    expect(findings).toEqual([
      expect.objectContaining({
        problem: 'hash-mismatch',
        streamId: 'a',
        streamVersion: 2,
        globalPosition: 2,
      }),
    ]);
  });

  it('finds a deleted event as a gap in positions and in its stream', async () => {
    store.database.exec('DROP TRIGGER events_no_delete');
    store.database.prepare(`DELETE FROM events WHERE global_position = 2`).run();
    store.database.exec(SQLITE_TRIGGERS);
    const { findings } = await verifyLog(store);
    expect(findings.map((f) => [f.problem, f.streamId, f.globalPosition])).toEqual([
      ['position-gap', 'a', 3],
      ['log-hash-mismatch', 'a', 3],
      ['version-gap', 'a', 3],
      ['hash-mismatch', 'a', 3],
    ]);
  });
});

describe('verifyLog in parts at once (what keystone verify runs a thread per part for)', () => {
  let store: SqliteEventStore;
  let proofs: [LogPart, PartProof][];
  /** Three parts, each proved by provePart on the store (keystone verify: in a thread of its own). */
  const inParts = {
    parts: 3,
    prove: async (part: LogPart, asked: readonly number[], onChecked: (n: number) => void) => {
      const proof = await provePart(store, part, asked, onChecked);
      proofs.push([part, proof]);
      return proof;
    },
  };
  const tamper = (sql: string) => {
    store.database.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete');
    store.database.exec(sql);
    store.database.exec(SQLITE_TRIGGERS);
  };
  beforeEach(async () => {
    proofs = [];
    store = new SqliteEventStore({ path: ':memory:' });
    // Three streams interleaved over 24 positions: each crosses every part's boundary.
    for (let round = 0; round < 8; round++)
      for (const stream of ['a', 'b', 'c'])
        await store.append(stream, testEvents(1), round === 0 ? 'no_stream' : round);
  });
  afterEach(() => store.close());

  it('proves an intact log from its parts alone: the same report as one walk', async () => {
    const claim = { label: 'signed', logPosition: 13, logHash: (await store.logHashAt(13))! };
    const whole = await verifyLog(store, { against: [claim] });
    const together = await verifyLog(store, { against: [claim], inParts });
    expect(together).toEqual(whole);
    expect(whole).toMatchObject({ eventsChecked: 24, streamsChecked: 3, findings: [] });
    expect(whole.checkpoints).toEqual([{ label: 'signed', position: 13, holds: true }]);
    expect(proofs.map(([part, proof]) => [part, proof.intact, proof.events])).toEqual([
      [{ after: 0, through: 8 }, true, 8],
      [{ after: 8, through: 16 }, true, 8],
      [{ after: 16, through: null }, true, 8],
    ]);
    // The middle part took up each stream's chain from its head before the part.
    expect(proofs[1][1].heads).toEqual(
      ['c', 'a', 'b'].map((s) => [s, expect.any(Number), expect.any(String)]),
    );
  });

  it.each([
    ['an edited event', `UPDATE events SET data = '{"n":42}' WHERE global_position = 11`],
    ['a deleted event', 'DELETE FROM events WHERE global_position = 9'],
    [
      'an event moved to the next part',
      'UPDATE events SET global_position = 100 WHERE global_position = 8',
    ],
    [
      'a forged stored hash',
      `UPDATE events SET hash = '${'f'.repeat(64)}' WHERE global_position = 17`,
    ],
    ['a removed log hash', 'UPDATE events SET log_hash = NULL WHERE global_position = 16'],
  ])(
    'names %s exactly as one walk does (a part not intact: the log walked whole)',
    async (_, sql) => {
      tamper(sql);
      const whole = await verifyLog(store);
      expect(whole.findings.length).toBeGreaterThan(0);
      expect(await verifyLog(store, { inParts })).toEqual(whole);
      expect(proofs.some(([, proof]) => !proof.intact)).toBe(true);
    },
  );

  it('names the deleted last event from the stream heads, after parts that are each intact', async () => {
    tamper('DELETE FROM events WHERE global_position = 24');
    const whole = await verifyLog(store);
    expect(whole.findings).toEqual([
      expect.objectContaining({ problem: 'head-mismatch', streamId: 'c', streamVersion: 8 }),
    ]);
    expect(await verifyLog(store, { inParts })).toEqual(whole);
    expect(proofs.every(([, proof]) => proof.intact)).toBe(true);
  });

  it("ends a part at the log's end with the chain where it was, and refuses a part past it", async () => {
    const atEnd = await provePart(store, { after: 24, through: null });
    expect(atEnd).toMatchObject({ intact: true, events: 0, lastPosition: 24 });
    expect(atEnd.lastLogHash).toBe(await store.logHashAt(24));
    expect((await provePart(store, { after: 30, through: null })).intact).toBe(false);
  });

  it('walks the log whole where a checkpoint does not hold, naming it as one walk does', async () => {
    const claim = { label: 'forged', logPosition: 10, logHash: 'e'.repeat(64) };
    const whole = await verifyLog(store, { against: [claim] });
    expect(whole.findings).toEqual([expect.objectContaining({ problem: 'checkpoint-mismatch' })]);
    expect(await verifyLog(store, { against: [claim], inParts })).toEqual(whole);
  });

  it('walks the log whole where a part could not be proved at all (its thread failed)', async () => {
    const failing = { parts: 2, prove: () => Promise.reject(new Error('thread ended')) };
    expect(await verifyLog(store, { inParts: failing })).toEqual(await verifyLog(store));
  });
});

describe('verifyLog (KurrentDB adapter on the in-memory stand-in, not a server)', () => {
  let server: InMemoryKurrent;
  let store: KurrentDbEventStore;
  beforeEach(async () => {
    server = new InMemoryKurrent();
    store = new KurrentDbEventStore(server.client());
    await store.append('a', testEvents(3), 'no_stream');
    await store.append('b', testEvents(2), 'no_stream');
  });
  afterEach(() => store.close());

  it('finds nothing in an untouched log, checking each native stream head', async () => {
    expect(await verifyLog(store)).toMatchObject({
      eventsChecked: 5,
      streamsChecked: 2,
      lastPosition: 5,
      logHead: { position: 5, logHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      checkpoints: [],
      findings: [],
    });
  });

  it('finds an event written to a stream behind the ledger as a head mismatch', async () => {
    const [stray] = prepareEvents('a', { version: 0, hash: GENESIS_HASH }, testEvents(1), 'now');
    await server.client().multiStreamAppend([
      {
        streamName: 'a',
        expectedState: 2n,
        events: [encodeEvent({ ...stray, streamVersion: 4 }, 99)],
      },
    ]);
    const { findings } = await verifyLog(store);
    expect(findings).toEqual([
      expect.objectContaining({ problem: 'head-mismatch', streamId: 'a', streamVersion: 4 }),
    ]);
  });
});
