import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore } from '@keystone/event-store';
import { PostgresEventStore, SqliteEventStore } from '@keystone/event-store/adapters';
import { testPostgresUrl, uniqueSchema } from '../../../../test/support/test-env';
import { ProjectionRunner } from '../runner/projection-runner';
import { rebuildProjection } from '../runner/rebuild';
import { sqlDatabaseFor } from '@keystone/sql';
import { generateHistory } from '../../../../apps/cli/src/demo/history-generator';
import { straightFold, tableRows } from '../testing/straight-fold';
import { casesProjection } from './cases.projection';

const dir = mkdtempSync(join(tmpdir(), 'keystone-projection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stores: Record<string, () => Promise<EventStore>> = {
  sqlite: async () => new SqliteEventStore({ path: join(dir, `${uniqueSchema('p')}.db`) }),
  postgres: () =>
    PostgresEventStore.connect({
      connectionString: testPostgresUrl(),
      schema: uniqueSchema('proj'),
      poolSize: 4,
    }),
};

describe.each(Object.keys(stores))(
  'the cases projection equals a straight fold of the log [%s]',
  (kind) => {
    let store: EventStore;
    beforeEach(async () => (store = await stores[kind]()));
    afterEach(() => store.close());

    async function appendHistory(seed: number, cases: number, steps: number): Promise<void> {
      for (const append of generateHistory({ seed, cases, steps }))
        await store.append(append.streamId, append.events, 'any');
    }

    it.each([1, 2, 3])(
      'over a generated history of hundreds of cases (seed %i), in odd-sized batches, then rebuilt',
      async (seed) => {
        await appendHistory(seed, 300, 3_000);
        const { db, close } = sqlDatabaseFor(store);
        const runner = new ProjectionRunner(db, store, casesProjection, { batchSize: 97 });
        await runner.init();
        await runner.catchUp();
        const expected = await straightFold(store, casesProjection);
        expect(expected.size).toBeGreaterThan(200);
        expect([...new Set([...expected.values()].map((r) => r.stage))].length).toBeGreaterThan(5); // histories reach many stages
        expect(await tableRows(db, casesProjection)).toEqual(expected);
        expect(await runner.position()).toBe(await store.lastPosition());

        await appendHistory(seed + 100, 50, 500); // more arrives; a rebuild races the live runner
        await Promise.all([
          rebuildProjection(db, store, casesProjection, { batchSize: 211 }),
          runner.catchUp(),
        ]);
        await runner.catchUp();
        expect(await tableRows(db, casesProjection)).toEqual(
          await straightFold(store, casesProjection),
        );
        close();
      },
    );

    it('never applies an event twice when two runners race on one projection', async () => {
      await appendHistory(9, 150, 1_500);
      const { db, close } = sqlDatabaseFor(store);
      const a = new ProjectionRunner(db, store, casesProjection, { batchSize: 50 });
      const b = new ProjectionRunner(db, store, casesProjection, { batchSize: 73 });
      await a.init();
      await Promise.all([a.catchUp(), b.catchUp()]);
      expect(await tableRows(db, casesProjection)).toEqual(
        await straightFold(store, casesProjection),
      );
      close();
    });
  },
);
