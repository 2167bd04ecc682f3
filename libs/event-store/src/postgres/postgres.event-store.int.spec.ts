import { testPostgresUrl, uniqueSchema } from '../../../../test/support/test-env';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { testEvents } from '../testing/test-events';
import { PostgresEventStore } from './postgres.event-store';

describeEventStoreContract('postgres', {
  open: (options) =>
    PostgresEventStore.connect({
      ...options,
      connectionString: testPostgresUrl(),
      schema: uniqueSchema('contract'),
    }),
  connectAgain: (store) =>
    PostgresEventStore.connect({
      connectionString: testPostgresUrl(),
      schema: (store as PostgresEventStore).schema,
      poolSize: 2,
    }),
});

describe('PostgresEventStore', () => {
  it('refuses to update, delete or truncate a stored event, even through raw SQL', async () => {
    const store = await PostgresEventStore.connect({
      connectionString: testPostgresUrl(),
      schema: uniqueSchema('appendonly'),
    });
    await store.append('s', testEvents(1), 'no_stream');
    await expect(store.sqlPool.query("UPDATE keystone_events SET data = '{}'")).rejects.toThrow(
      /append-only/,
    );
    await expect(store.sqlPool.query('DELETE FROM keystone_events')).rejects.toThrow(/append-only/);
    await expect(store.sqlPool.query('TRUNCATE keystone_events')).rejects.toThrow(/append-only/);
    await store.close();
  });

  it('says clearly when the server cannot be reached', async () => {
    await expect(
      PostgresEventStore.connect({
        connectionString: 'postgres://postgres@127.0.0.1:1/postgres',
        schema: 'x',
      }),
    ).rejects.toMatchObject({
      code: 'STORAGE.UNAVAILABLE',
      message: expect.stringContaining('postgres event store cannot be reached'),
    });
  });
});
