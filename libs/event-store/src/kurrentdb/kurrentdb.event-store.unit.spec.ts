import {
  MaxAppendSizeExceededError,
  StreamDeletedError,
  UnavailableError,
} from '@kurrent/kurrentdb-client';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { testEvent, testEvents } from '../testing/test-events';
import { verifyChain } from '../hash-chain';
import type { Pool } from 'pg';
import { testPostgresUrl, uniqueSchema } from '../../../../test/support/test-env';
import { openPostgresPool } from '../postgres/postgres.event-store';
import { KurrentDbEventStore } from './kurrentdb.event-store';
import { InMemoryKurrent } from './testing/in-memory-kurrent';

/**
 * The adapter's own logic (position numbering, the ledger, id reservations, retries, races, errors)
 * under the unchanged contract suite, against an in-memory STAND-IN for the server. This is not a run
 * against KurrentDB: kurrentdb.server.int.spec.ts is, when KURRENTDB_URL is set.
 */
const servers = new WeakMap<KurrentDbEventStore, InMemoryKurrent>();
function storeOn(
  server: InMemoryKurrent,
  options: ConstructorParameters<typeof KurrentDbEventStore>[1] = {},
) {
  const store = new KurrentDbEventStore(server.client(), options);
  servers.set(store, server);
  return store;
}

/** The SQL beside the log (receipts) is real PostgreSQL, a schema per store; closed with the store. */
const companions = new WeakMap<KurrentDbEventStore, Pool>();
describeEventStoreContract('kurrentdb adapter on an in-memory stand-in, not a server', {
  open: async (options) => {
    const companionPool = await openPostgresPool({
      connectionString: testPostgresUrl(),
      schema: uniqueSchema('kurrent_companion'),
      poolSize: 2,
    });
    const store = storeOn(new InMemoryKurrent(), { ...options, companionPool });
    companions.set(store, companionPool);
    return store;
  },
  connectAgain: async (store) => {
    const pool = companions.get(store as KurrentDbEventStore)!;
    return storeOn(servers.get(store as KurrentDbEventStore)!, { companionPool: sharedPool(pool) });
  },
});

/** A second store on the same companion: a pool whose end() leaves the first store's pool open. */
function sharedPool(pool: Pool): Pool {
  return new Proxy(pool, {
    get: (target, property) =>
      property === 'end' ? async () => undefined : Reflect.get(target, property, target),
  });
}

describe('KurrentDbEventStore on the stand-in', () => {
  it('lays an append out as stream events, one ledger link per event and one id stream per event', async () => {
    const server = new InMemoryKurrent();
    const store = storeOn(server, { namespace: 'un.' });
    const events = testEvents(2);
    await store.append('case-1', events, 'no_stream');
    await store.append('fund', [testEvent()], 'no_stream');

    expect(server.recordsOf('un.case-1').map((r) => [r.id, r.revision])).toEqual([
      [events[0].eventId, 0n],
      [events[1].eventId, 1n],
    ]);
    expect(server.recordsOf('un.keystone.log').map((r) => [r.type, r.data.toString()])).toEqual([
      ['$>', '0@un.case-1'],
      ['$>', '1@un.case-1'],
      ['$>', '0@un.fund'],
    ]);
    expect(
      server.recordsOf(`un.keystone.id-${events[1].eventId}`).map((r) => r.data.toString()),
    ).toEqual(['1@un.case-1']);
    const stored = server.recordsOf('un.case-1')[1];
    expect(JSON.parse(stored.metadata.toString())).toMatchObject({
      'ks.position': '2',
      'ks.schemaVersion': '1',
      'ks.actor': 'user:test',
      $correlationId: events[1].metadata.correlationId,
    });
    expect(server.appendCalls).toBe(2);
    const all = await store.readAll({ raw: true });
    expect(all.map((e) => [e.streamId, e.globalPosition])).toEqual([
      ['case-1', 1],
      ['case-1', 2],
      ['fund', 3],
    ]);
    expect(verifyChain(all.filter((e) => e.streamId === 'case-1'))).toEqual([]);
  });

  it('keeps two namespaces on one server apart', async () => {
    const server = new InMemoryKurrent();
    const a = storeOn(server, { namespace: 'a-' });
    const b = storeOn(server, { namespace: 'b-' });
    await a.append('s', testEvents(3), 'no_stream');
    await b.append('s', testEvents(1), 'no_stream');
    expect([await a.lastPosition(), await b.lastPosition()]).toEqual([3, 1]);
    expect(await b.streamVersion('s')).toBe(1);
  });

  it.each([
    [
      'a raw gRPC UNAVAILABLE (what the client throws when no server answers an append)',
      Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }),
      'STORAGE.UNAVAILABLE',
      /cannot be reached: 14 UNAVAILABLE/,
    ],
    [
      "the client's UnavailableError",
      new UnavailableError(undefined, 'server down'),
      'STORAGE.UNAVAILABLE',
      /cannot be reached/,
    ],
    [
      'an append over the size limit',
      new MaxAppendSizeExceededError(undefined, 1024),
      'EVENT_STORE.INVALID_ARGUMENT',
      /too large/,
    ],
    [
      'a stream deleted behind Keystone',
      new StreamDeletedError(undefined, 'case-1'),
      'EVENT_STORE.LOG_DAMAGED',
      /deleted outside Keystone/,
    ],
  ])('maps %s to a typed error, with nothing written', async (_what, failure, code, message) => {
    const server = new InMemoryKurrent();
    const store = storeOn(server);
    server.failNextAppendWith = failure;
    const attempt = store.append('case-1', testEvents(1), 'no_stream');
    await expect(attempt).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await store.lastPosition()).toBe(0);
    expect(server.streamNames()).toEqual([]);
  });

  it.each(['no_stream', 'any'] as const)(
    'stores once an append whose reply was lost, when the caller retries it (expected %s)',
    async (expected) => {
      const server = new InMemoryKurrent();
      const store = storeOn(server);
      const events = testEvents(2);
      server.loseNextReplyWith = new UnavailableError(undefined, 'connection reset');
      await expect(store.append('case-1', events, expected)).rejects.toMatchObject({
        code: 'STORAGE.UNAVAILABLE',
      });
      const retried = await store.append('case-1', events, expected);
      expect(retried).toEqual({
        streamId: 'case-1',
        nextExpectedVersion: 2,
        firstPosition: 1,
        lastPosition: 2,
        alreadyStored: true,
      });
      expect(await store.lastPosition()).toBe(2);
      expect(server.recordsOf('case-1')).toHaveLength(2);
    },
  );

  it('refuses stream ids KurrentDB or the adapter reserve', async () => {
    const store = storeOn(new InMemoryKurrent());
    for (const streamId of ['$all', 'keystone.log', 'keystone.id-x']) {
      await expect(store.append(streamId, [testEvent()], 'any')).rejects.toMatchObject({
        code: 'EVENT_STORE.INVALID_ARGUMENT',
        message: expect.stringContaining('reserves'),
      });
    }
  });

  it('reports a ledger link to a vanished event as a damaged log, not as an empty read', async () => {
    const server = new InMemoryKurrent();
    const store = storeOn(server);
    await store.append('s', testEvents(2), 'no_stream');
    // Simulate an operator removing the stream's records behind Keystone's back.
    (server.recordsOf('s') as unknown[]).length = 0;
    await expect(store.readAll()).rejects.toMatchObject({
      code: 'EVENT_STORE.LOG_DAMAGED',
      message: expect.stringContaining('link "0@s" points at an event that no longer exists'),
    });
  });
});
