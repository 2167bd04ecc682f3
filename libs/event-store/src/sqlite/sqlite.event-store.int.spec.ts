import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { testEvents } from '../testing/test-events';
import { SqliteEventStore } from './sqlite.event-store';

const dir = mkdtempSync(join(tmpdir(), 'keystone-sqlite-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeEventStoreContract('sqlite', {
  open: async (options) =>
    new SqliteEventStore({ ...options, path: join(dir, `log-${++files}.db`) }),
  connectAgain: async (store) => new SqliteEventStore({ path: (store as SqliteEventStore).path }),
});

describe('SqliteEventStore', () => {
  it('keeps the log across a reopen of the file', async () => {
    const path = join(dir, 'reopen.db');
    const first = new SqliteEventStore({ path });
    await first.append('s', testEvents(2), 'no_stream');
    await first.close();
    const second = new SqliteEventStore({ path });
    expect((await second.readStream('s')).map((e) => e.streamVersion)).toEqual([1, 2]);
    expect(await second.lastPosition()).toBe(2);
    await second.close();
  });

  it('refuses to update or delete a stored event, even through raw SQL', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    await store.append('s', testEvents(1), 'no_stream');
    expect(() => store.database.prepare("UPDATE events SET data = '{}'").run()).toThrow(
      /append-only/,
    );
    expect(() => store.database.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    await store.close();
  });
});
