import { SqliteEventStore } from '@keystone/event-store';
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
    expect(await verifyLog(store)).toEqual({
      eventsChecked: 5,
      streamsChecked: 2,
      lastPosition: 5,
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
    expect((await verifyLog(store)).findings).toEqual([]);
  });

  it('names an edited event by stream, version and position', async () => {
    store.database.exec('DROP TRIGGER events_no_update');
    store.database
      .prepare(`UPDATE events SET data = '{"n":42}' WHERE stream_id = 'a' AND stream_version = 2`)
      .run();
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
    const { findings } = await verifyLog(store);
    expect(findings.map((f) => [f.problem, f.streamId, f.globalPosition])).toEqual([
      ['position-gap', 'a', 3],
      ['version-gap', 'a', 3],
      ['hash-mismatch', 'a', 3],
    ]);
  });
});
