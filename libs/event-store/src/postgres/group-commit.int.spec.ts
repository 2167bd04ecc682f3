import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { testPostgresUrl, uniqueSchema } from '../../../../test/support/test-env';
import { chainHash, GENESIS_HASH } from '../hash-chain';
import { testEvents } from '../testing/test-events';
import { PostgresEventStore } from './postgres.event-store';

/**
 * What the group commit risks: appends written together in one transaction must still be answered
 * one by one (a failing member fails only itself), a batch cut off mid-way must leave nothing behind
 * and be safe to send again, and writers in two processes must keep one gap-free, chained log.
 */
describe('PostgreSQL group commit', () => {
  let store: PostgresEventStore;
  let batchCalls: number;

  beforeEach(async () => {
    store = await PostgresEventStore.connect({
      connectionString: testPostgresUrl(),
      schema: uniqueSchema('groupcommit'),
    });
    batchCalls = 0;
    const pool = store.sqlPool;
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    (pool as unknown as { query: unknown }).query = (...args: unknown[]) => {
      if ((args[0] as { name?: string })?.name === 'keystone_append_batch') batchCalls++;
      return query(...args);
    };
  });
  afterEach(() => store.close());

  /** A trigger on the insert of one stream's events: it fails, as a broken row would, or ends its server process. */
  async function poison(streamId: string, action: 'raise' | 'crash'): Promise<void> {
    await store.sqlPool.query(`
      CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.stream_id = '${streamId}' THEN
          ${action === 'raise' ? "RAISE EXCEPTION 'row refused by the test' USING ERRCODE = 'check_violation';" : 'PERFORM pg_terminate_backend(pg_backend_pid());'}
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER poison BEFORE INSERT ON keystone_events FOR EACH ROW EXECUTE FUNCTION poison();`);
  }

  async function allPositions(): Promise<number[]> {
    const events = await store.readAll({ limit: 10_000 });
    return events.map((e) => e.globalPosition);
  }

  it('coalesces appends that arrive together into one transaction, each with its own result', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => store.append(`s-${i}`, testEvents(2), 'no_stream')),
    );
    expect(batchCalls).toBe(1);
    const positions = results
      .flatMap((r) => [r.firstPosition, r.lastPosition])
      .sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(results.every((r) => r.nextExpectedVersion === 2)).toBe(true);
  });

  it('refuses a member whose stream moved without failing the others of its batch', async () => {
    await store.append('moved', testEvents(1), 'no_stream');
    const other = await PostgresEventStore.connect({
      connectionString: testPostgresUrl(),
      schema: store.schema,
    });
    await other.append('moved', testEvents(1), 1); // this store's cached head of "moved" is now stale
    await other.close();
    batchCalls = 0;
    const outcomes = await Promise.allSettled([
      store.append('a', testEvents(1), 'no_stream'),
      store.append('moved', testEvents(1), 1),
      store.append('b', testEvents(1), 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'EVENT_STORE.WRONG_EXPECTED_VERSION',
      actual: 2,
    });
    expect(batchCalls).toBe(1); // a, b and the stale member went together; the refusal needed no write
    expect(await allPositions()).toEqual([1, 2, 3, 4]);
  });

  it('checks a stream it takes for new (no read) against the log: created elsewhere, or a retry', async () => {
    const other = await PostgresEventStore.connect({
      connectionString: testPostgresUrl(),
      schema: store.schema,
    });
    const events = testEvents(2);
    const first = await other.append('made-elsewhere', events, 'no_stream');
    await other.close();
    await expect(store.append('made-elsewhere', testEvents(1), 'no_stream')).rejects.toMatchObject({
      code: 'EVENT_STORE.WRONG_EXPECTED_VERSION',
      actual: 2,
    });
    // The same append again, through a process that never saw it: answered as already stored.
    const again = await PostgresEventStore.connect({
      connectionString: testPostgresUrl(),
      schema: store.schema,
    });
    expect(await again.append('made-elsewhere', events, 'no_stream')).toEqual({
      ...first,
      alreadyStored: true,
    });
    await again.close();
    expect(await allPositions()).toEqual([1, 2]);
  });

  it('refuses only the member whose receipt is taken', async () => {
    const receipt = { owner: 'officer:1', key: 'k-1', requestHash: 'h', outcome: { ok: true } };
    await store.appendMany(
      [{ streamId: 'first', events: testEvents(1), expectedVersion: 'no_stream' }],
      {
        receipt,
      },
    );
    const outcomes = await Promise.allSettled([
      store.append('c', testEvents(1), 'no_stream'),
      store.appendMany(
        [{ streamId: 'twin', events: testEvents(1), expectedVersion: 'no_stream' }],
        {
          receipt,
        },
      ),
      store.append('d', testEvents(1), 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'EVENT_STORE.RECEIPT_TAKEN',
    });
    expect(await store.streamVersion('twin')).toBe(0);
    expect(await allPositions()).toEqual([1, 2, 3]);
  });

  it('writes the others when one member fails inside the database, and that one alone fails', async () => {
    await poison('broken', 'raise');
    const outcomes = await Promise.allSettled([
      store.append('e', testEvents(2), 'no_stream'),
      store.append('broken', testEvents(1), 'no_stream'),
      store.append('f', testEvents(2), 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(
      /row refused by the test/,
    );
    // No hole where the batch was rolled back: positions follow on from 1.
    expect(await allPositions()).toEqual([1, 2, 3, 4]);
    expect(await store.streamVersion('broken')).toBe(0);
  });

  it('leaves nothing of a batch cut off between its members, and takes it whole when sent again', async () => {
    await store.append('before', testEvents(1), 'no_stream');
    await poison('slow', 'crash'); // its server process ends, the first member's row inserted
    const appends = [
      { streamId: 'g', events: testEvents(1) },
      { streamId: 'slow', events: testEvents(1) },
      { streamId: 'h', events: testEvents(1) },
    ];
    const pending = Promise.allSettled(
      appends.map((a) => store.append(a.streamId, a.events, 'no_stream')),
    );
    const outcomes = await pending;
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const o of outcomes)
      expect((o as PromiseRejectedResult).reason).toMatchObject({ code: 'STORAGE.UNAVAILABLE' });
    expect(await allPositions()).toEqual([1]);
    await store.sqlPool.query('DROP TRIGGER poison ON keystone_events');
    // Sent again with the same event ids: each written once, positions following on.
    const again = await Promise.all(
      appends.map((a) => store.append(a.streamId, a.events, 'no_stream')),
    );
    expect(again.every((r) => !r.alreadyStored)).toBe(true);
    const twice = await Promise.all(
      appends.map((a) => store.append(a.streamId, a.events, 'no_stream')),
    );
    expect(twice.every((r) => r.alreadyStored)).toBe(true);
    expect(await allPositions()).toEqual([1, 2, 3, 4]);
  });

  it('keeps one gap-free, chained stream when two processes race to append to it', async () => {
    const racer = resolve(__dirname, '../../../../test/support/stream-racer.ts');
    const run = () =>
      promisify(execFile)(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', racer],
        {
          cwd: resolve(__dirname, '../../../..'),
          env: {
            ...process.env,
            RACE_URL: testPostgresUrl(),
            RACE_SCHEMA: store.schema,
            RACE_APPENDS: '60',
          },
        },
      );
    const [one, two] = await Promise.all([run(), run()]);
    const conflicts = [one, two].map(
      (r) => JSON.parse(r.stdout) as { written: number; conflicts: number },
    );
    expect(conflicts.map((c) => c.written)).toEqual([60, 60]);
    const events = await store.readStream('contested');
    expect(events.map((e) => e.streamVersion)).toEqual(
      Array.from({ length: 120 }, (_, i) => i + 1),
    );
    expect(events.map((e) => e.globalPosition)).toEqual(
      Array.from({ length: 120 }, (_, i) => i + 1),
    );
    let previous = GENESIS_HASH;
    for (const event of events) {
      expect(event.hash).toBe(chainHash(previous, event));
      previous = event.hash;
    }
  }, 60_000);
});
