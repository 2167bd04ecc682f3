import { GENESIS_HASH } from '@keystone/event-store';
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
