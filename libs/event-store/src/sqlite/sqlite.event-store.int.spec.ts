import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { chainCanonical, GENESIS_HASH } from '../hash-chain';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { testEvent, testEvents } from '../testing/test-events';
import { writesWaitingForLock } from '../write-when-free';
import { CANONICAL_AROUND, SqliteEventStore } from './sqlite.event-store';

const dir = mkdtempSync(join(tmpdir(), 'keystone-sqlite-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeEventStoreContract('sqlite', {
  open: async (options) =>
    new SqliteEventStore({ ...options, path: join(dir, `log-${++files}.db`) }),
  connectAgain: async (store) => new SqliteEventStore({ path: (store as SqliteEventStore).path }),
});

describe('SqliteEventStore', () => {
  it("waits for another process's write lock from the event loop, then appends; past its wait, refuses with nothing written", async () => {
    const path = join(dir, 'locked.db');
    const store = new SqliteEventStore({ path, writeWaitMs: 5_000 });
    await store.append('s', testEvents(1), 'no_stream');
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 5);
    const append = store.append('s', testEvents(1), 1);
    // The process runs on while the append waits: timers fire, and a write is counted as waiting.
    while (ticks < 10) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(writesWaitingForLock()).toBe(1);
    other.exec('COMMIT');
    await expect(append).resolves.toMatchObject({ nextExpectedVersion: 2, lastPosition: 2 });
    expect(writesWaitingForLock()).toBe(0);
    clearInterval(ticking);

    store.writeWaitMs = 100;
    other.exec('BEGIN IMMEDIATE');
    await expect(store.append('s', testEvents(1), 2)).rejects.toMatchObject({
      code: 'STORAGE.UNAVAILABLE',
    });
    other.exec('ROLLBACK');
    other.close();
    expect(await store.lastPosition()).toBe(2);
    expect(writesWaitingForLock()).toBe(0);
    await store.close();
  });

  it("builds each event's canonical text in SQL exactly as chainHash encodes it, the awkward characters included", async () => {
    const path = join(dir, 'canonical.db');
    const store = new SqliteEventStore({ path });
    const awkward =
      'q"uote\\ back\n\t\r\b\f \u0000\u0001\u001f\u007f \u2028\u2029 ü ключ 🙂 </script>';
    const base = testEvent();
    await store.append(
      `stream ${awkward}`,
      [
        testEvent(
          `Type ${awkward}`,
          { text: awkward, nested: { [awkward]: [1.5, null, true] } },
          {
            metadata: {
              ...base.metadata,
              actor: `user:${awkward}`,
              role: awkward,
              causationId: awkward,
            },
          },
        ),
        testEvent(
          'Plain',
          { n: 1 },
          {
            metadata: {
              ...base.metadata,
              correlationId: awkward,
              extra: { why: awkward, n: -0.25 },
            },
          },
        ),
      ],
      'no_stream',
    );
    const events = await store.readAll();
    const db = new Database(path, { readonly: true });
    const pieces = db
      .prepare<[], [string, string]>(
        `SELECT ${CANONICAL_AROUND} FROM events ORDER BY global_position`,
      )
      .raw(true)
      .all();
    db.close();
    expect(pieces).toHaveLength(2);
    events.forEach((event, i) => {
      const previousHash = i === 0 ? GENESIS_HASH : events[i - 1].hash;
      expect(pieces[i][0] + previousHash + pieces[i][1]).toBe(chainCanonical(previousHash, event));
    });
    await store.close();
  });

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
