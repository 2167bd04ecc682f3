import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../sqlite/sqlite.event-store';
import { testEvent } from '../testing/test-events';
import type { Decider } from './decider';
import { foldStream, FOLDED_STREAMS_KEPT } from './fold';

type Added = { type: 'SomethingHappened'; data: { n: number } };
/** The sum of the stream's n, and how many events went into it: what was folded, and how often. */
const summing: Decider<never, Added, { sum: number; folded: number }> = {
  initialState: () => ({ sum: 0, folded: 0 }),
  evolve: (s, e) => ({ sum: s.sum + e.data.n, folded: s.folded + 1 }),
  decide: () => [],
};
const add = (...ns: number[]) => ns.map((n) => testEvent('SomethingHappened', { n }));

describe('foldStream: a stream read again costs what is new in it', () => {
  let dir: string;
  let here: SqliteEventStore;
  let elsewhere: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keystone-fold-'));
    here = new SqliteEventStore({ path: join(dir, 'log.db') });
    // Another process on the same log: what it appends is seen on the next fold here.
    elsewhere = new SqliteEventStore({ path: join(dir, 'log.db') });
  });
  afterEach(async () => {
    await here.close();
    await elsewhere.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('folds the whole stream once, then only the events appended since, by anyone', async () => {
    const reads: (number | undefined)[] = [];
    const readStream = here.readStream.bind(here);
    here.readStream = (id, options) => {
      reads.push(options?.fromVersion);
      return readStream(id, options);
    };
    expect(await foldStream(here, 's', summing)).toEqual({
      version: 0,
      state: { sum: 0, folded: 0 },
    });
    await here.append('s', add(1, 2, 3), 'no_stream');
    expect(await foldStream(here, 's', summing)).toEqual({
      version: 3,
      state: { sum: 6, folded: 3 },
    });
    await elsewhere.append('s', add(10), 3);
    expect(await foldStream(here, 's', summing)).toEqual({
      version: 4,
      state: { sum: 16, folded: 4 },
    });
    expect(await foldStream(here, 's', summing)).toEqual({
      version: 4,
      state: { sum: 16, folded: 4 },
    });
    expect(reads).toEqual([undefined, 1, 4, 5]);
  });

  it('keeps a state per decider, and a bounded number of streams (the least recently read go)', async () => {
    const counting: typeof summing = {
      ...summing,
      evolve: (s) => ({ ...s, folded: s.folded + 1 }),
    };
    await here.append('s', add(5), 'no_stream');
    expect((await foldStream(here, 's', summing)).state.sum).toBe(5);
    expect((await foldStream(here, 's', counting)).state).toEqual({ sum: 0, folded: 1 });
    for (let i = 0; i < FOLDED_STREAMS_KEPT; i++) await foldStream(here, `other-${i}`, summing);
    const fromVersions: (number | undefined)[] = [];
    const readStream = here.readStream.bind(here);
    here.readStream = (id, options) => {
      fromVersions.push(options?.fromVersion);
      return readStream(id, options);
    };
    expect((await foldStream(here, 's', summing)).state.sum).toBe(5); // folded again from the start
    expect((await foldStream(here, 's', counting)).state.folded).toBe(1); // still kept
    expect(fromVersions).toEqual([undefined, 2]);
  });
});
