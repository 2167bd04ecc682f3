import { randomUUID } from 'node:crypto';
import { EventIdConflict, InvalidAppend, ReceiptTaken, WrongExpectedVersion } from '../errors';
import type { EventStore } from '../event-store.port';
import { chainHash, GENESIS_HASH, logHash, LogChainWalker, verifyChain } from '../hash-chain';
import type { Upcaster } from '../upcasting';
import { testEvent, testEvents } from './test-events';

export interface ContractHarness {
  /** A new, empty store. */
  open(options?: { upcasters?: readonly Upcaster[] }): Promise<EventStore>;
  /** Another connection (another client, as another process would have) to the same store. */
  connectAgain(store: EventStore): Promise<EventStore>;
}

/**
 * The one contract every event store adapter honours, run unchanged against each of them.
 * Adapter tests call it with a harness; the suite's names carry the adapter's name.
 */
export function describeEventStoreContract(adapterName: string, harness: ContractHarness): void {
  describe(`event store contract [${adapterName}]`, () => {
    const opened: EventStore[] = [];
    const open = async (options?: { upcasters?: readonly Upcaster[] }) =>
      track(await harness.open(options));
    const again = async (store: EventStore) => track(await harness.connectAgain(store));
    const track = (store: EventStore) => (opened.push(store), store);

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    describe('append and read', () => {
      it('stores events in order with versions, positions and recorded time', async () => {
        const store = await open();
        const events = testEvents(3);
        const result = await store.append('case-1', events, 'no_stream');
        expect(result).toEqual({
          streamId: 'case-1',
          nextExpectedVersion: 3,
          firstPosition: 1,
          lastPosition: 3,
          alreadyStored: false,
        });
        const read = await store.readStream('case-1');
        expect(read.map((e) => [e.eventId, e.streamVersion, e.globalPosition])).toEqual(
          events.map((e, i) => [e.eventId, i + 1, i + 1]),
        );
        expect(read[0]).toMatchObject({
          type: 'SomethingHappened',
          schemaVersion: 1,
          data: { n: 0 },
          streamId: 'case-1',
        });
        expect(read[0].metadata).toMatchObject({
          actor: 'user:test',
          role: 'case-officer',
          causationId: null,
          occurredAt: '2026-01-15T10:00:00.000Z',
        });
        expect(Date.parse(read[0].metadata.recordedAt)).not.toBeNaN();
        expect(await store.streamVersion('case-1')).toBe(3);
        expect(await store.streamVersion('case-missing')).toBe(0);
        expect(await store.lastPosition()).toBe(3);
      });

      it('reads a stream between two versions, and nothing for a missing stream', async () => {
        const store = await open();
        await store.append('s', testEvents(5), 'no_stream');
        const middle = await store.readStream('s', { fromVersion: 2, toVersion: 4 });
        expect(middle.map((e) => e.streamVersion)).toEqual([2, 3, 4]);
        expect(await store.readStream('nope')).toEqual([]);
      });

      it('reads all from a position, with a limit and a type filter, in one global order', async () => {
        const store = await open();
        await store.append('a', [testEvent('A'), testEvent('B')], 'no_stream');
        await store.append('b', [testEvent('A')], 'no_stream');
        await store.append('a', [testEvent('C')], 2);
        const all = await store.readAll();
        expect(all.map((e) => [e.globalPosition, e.streamId, e.type])).toEqual([
          [1, 'a', 'A'],
          [2, 'a', 'B'],
          [3, 'b', 'A'],
          [4, 'a', 'C'],
        ]);
        expect(
          (await store.readAll({ fromPosition: 3, limit: 1 })).map((e) => e.globalPosition),
        ).toEqual([3]);
        expect((await store.readAll({ types: ['A'] })).map((e) => e.globalPosition)).toEqual([
          1, 3,
        ]);
        expect(await store.readAll({ fromPosition: 5 })).toEqual([]);
      });

      it('round-trips unicode and a 1 MiB payload, hash chain intact', async () => {
        const store = await open();
        const unicode = {
          text: 'Droits de l’homme · حقوق الإنسان · 人权 · Права человека · 👩🏽‍⚖️',
          nested: { ключ: ['ü', '\u0000', '"quoted"'] },
        };
        const large = { blob: 'x'.repeat(1024 * 1024), note: 'é' };
        await store.append(
          'u',
          [testEvent('Unicode', unicode), testEvent('Large', large)],
          'no_stream',
        );
        const [first, second] = await store.readStream('u');
        expect(first.data).toEqual(unicode);
        expect(second.data).toEqual(large);
        expect(verifyChain(await store.readStream('u', { raw: true }))).toEqual([]);
      });
    });

    describe('expected version', () => {
      it('refuses each kind of mismatch with a WrongExpectedVersion naming stream, expected and actual', async () => {
        const store = await open();
        await store.append('s', testEvents(2), 'no_stream');
        await expectWrongVersion(
          store.append('s', testEvents(1), 'no_stream'),
          's',
          'no_stream',
          2,
        );
        await expectWrongVersion(store.append('t', testEvents(1), 'exists'), 't', 'exists', 0);
        await expectWrongVersion(store.append('s', testEvents(1), 1), 's', 1, 2);
        await expectWrongVersion(store.append('t', testEvents(1), 3), 't', 3, 0);
        expect((await store.append('s', testEvents(1), 'exists')).nextExpectedVersion).toBe(3);
        expect((await store.append('s', testEvents(1), 'any')).nextExpectedVersion).toBe(4);
        expect((await store.append('s', testEvents(1), 4)).nextExpectedVersion).toBe(5);
        expect((await store.append('new', testEvents(1), 0)).nextExpectedVersion).toBe(1);
        expect(await store.lastPosition()).toBe(6);
      });

      it('lets exactly one of N concurrent appenders at the same version win; losers are told why', async () => {
        const store = await open();
        await store.append('contended', testEvents(1), 'no_stream');
        const writers = await Promise.all(Array.from({ length: 8 }, () => again(store)));
        const outcomes = await Promise.allSettled(
          writers.map((w) => w.append('contended', testEvents(2), 1)),
        );
        const winners = outcomes.filter((o) => o.status === 'fulfilled');
        const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(7);
        for (const loser of losers) {
          expect(loser.reason).toBeInstanceOf(WrongExpectedVersion);
          expect(loser.reason).toMatchObject({ streamId: 'contended', expected: 1, actual: 3 });
        }
        const versions = (await store.readStream('contended')).map((e) => e.streamVersion);
        expect(versions).toEqual([1, 2, 3]);
      });

      it('stores every concurrent append at version any, contiguously, none lost', async () => {
        const store = await open();
        const writers = await Promise.all(Array.from({ length: 8 }, () => again(store)));
        const batches = writers.map(() => testEvents(3));
        await Promise.all(writers.map((w, i) => w.append('shared', batches[i], 'any')));
        const stored = await store.readStream('shared');
        expect(stored.map((e) => e.streamVersion)).toEqual(
          Array.from({ length: 24 }, (_, i) => i + 1),
        );
        expect(new Set(stored.map((e) => e.eventId))).toEqual(
          new Set(batches.flat().map((e) => e.eventId)),
        );
        for (const batch of batches) {
          const versions = batch.map(
            (e) => stored.find((s) => s.eventId === e.eventId)!.streamVersion,
          );
          expect(versions).toEqual([versions[0], versions[0] + 1, versions[0] + 2]);
        }
        expect(verifyChain(await store.readStream('shared', { raw: true }))).toEqual([]);
      });
    });

    describe('atomicity', () => {
      it('stores none of an append whose later event is invalid', async () => {
        const store = await open();
        const bad = testEvent('Bad', { n: Number.NaN });
        await expect(store.append('s', [testEvent(), bad], 'no_stream')).rejects.toBeInstanceOf(
          InvalidAppend,
        );
        expect(await store.readStream('s')).toEqual([]);
        expect(await store.lastPosition()).toBe(0);
      });

      it('appends to several streams in one step, each at its own expected version', async () => {
        const store = await open();
        await store.append('fund', testEvents(1), 'no_stream');
        const results = await store.appendMany([
          { streamId: 'case', events: testEvents(2), expectedVersion: 'no_stream' },
          { streamId: 'fund', events: testEvents(1), expectedVersion: 1 },
          { streamId: 'expert', events: testEvents(1), expectedVersion: 'any' },
        ]);
        expect(
          results.map((r) => [r.streamId, r.nextExpectedVersion, r.firstPosition, r.lastPosition]),
        ).toEqual([
          ['case', 2, 2, 3],
          ['fund', 2, 4, 4],
          ['expert', 1, 5, 5],
        ]);
      });

      it('fails a multi-stream step whole when one stream is stale', async () => {
        const store = await open();
        await store.append('fund', testEvents(2), 'no_stream');
        const step = store.appendMany([
          { streamId: 'case', events: testEvents(1), expectedVersion: 'no_stream' },
          { streamId: 'fund', events: testEvents(1), expectedVersion: 1 },
        ]);
        await expectWrongVersion(step, 'fund', 1, 2);
        expect(await store.readStream('case')).toEqual([]);
        expect(await store.streamVersion('fund')).toBe(2);
        expect(await store.lastPosition()).toBe(2);
      });
    });

    describe('retries', () => {
      it('treats the same events appended again as a no-op returning the original result', async () => {
        const store = await open();
        const events = testEvents(2);
        const first = await store.append('s', events, 'no_stream');
        await store.append('s', testEvents(1), 2);
        const retry = await store.append('s', events, 'no_stream');
        expect(retry).toEqual({ ...first, alreadyStored: true });
        expect(await store.lastPosition()).toBe(3);
        const retriedMany = await store.appendMany([{ streamId: 's', events, expectedVersion: 0 }]);
        expect(retriedMany[0].alreadyStored).toBe(true);
      });

      it('refuses a different event under an existing id, in any stream', async () => {
        const store = await open();
        const original = testEvent('A', { n: 1 });
        await store.append('s', [original], 'no_stream');
        await expect(
          store.append('s', [{ ...original, data: { n: 2 } }], 'any'),
        ).rejects.toBeInstanceOf(EventIdConflict);
        await expect(store.append('other', [original], 'any')).rejects.toBeInstanceOf(
          EventIdConflict,
        );
        await expect(store.append('s', [original, testEvent()], 'any')).rejects.toBeInstanceOf(
          EventIdConflict,
        );
        expect(await store.lastPosition()).toBe(1);
      });

      it('stores a retried append once when the retries race', async () => {
        const store = await open();
        const writers = await Promise.all(Array.from({ length: 4 }, () => again(store)));
        const events = testEvents(2);
        const results = await Promise.all(
          writers.map((w) => w.append('raced', events, 'no_stream')),
        );
        expect(results.filter((r) => !r.alreadyStored)).toHaveLength(1);
        expect(new Set(results.map((r) => r.firstPosition))).toEqual(new Set([1]));
        expect(await store.lastPosition()).toBe(2);
      });
    });

    describe('global order', () => {
      it('never shows a reader a position before a lower one, under concurrent writers', async () => {
        const store = await open();
        const writers = await Promise.all(Array.from({ length: 6 }, () => again(store)));
        const reader = await again(store);
        const appendsPerWriter = 40;
        let writing = true;
        const seen: number[] = [];
        const readLoop = (async () => {
          let next = 1;
          while (writing || next <= (await reader.lastPosition())) {
            const batch = await reader.readAll({ fromPosition: next, limit: 50 });
            for (const event of batch) seen.push(event.globalPosition);
            if (batch.length > 0) next = batch[batch.length - 1].globalPosition + 1;
            else await new Promise((r) => setImmediate(r));
          }
        })();
        await Promise.all(
          writers.map(async (writer, w) => {
            for (let i = 0; i < appendsPerWriter; i++) {
              await writer.append(`stream-${w}-${i % 5}`, testEvents(1 + (i % 3)), 'any');
            }
          }),
        );
        writing = false;
        await readLoop;
        const total = await store.lastPosition();
        const perWriter = Array.from({ length: appendsPerWriter }, (_, i) => 1 + (i % 3)).reduce(
          (a, b) => a + b,
        );
        expect(total).toBe(writers.length * perWriter);
        expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      });
    });

    describe('hash chain', () => {
      it('chains every event of a stream to the one before it, recomputable from the stored fields', async () => {
        const store = await open();
        await store.append('s', testEvents(2), 'no_stream');
        await store.append('other', testEvents(1), 'no_stream');
        await store.append('s', testEvents(1), 2);
        const [one, two, three] = await store.readStream('s', { raw: true });
        expect(one.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(one.hash).toBe(chainHash(GENESIS_HASH, one));
        expect(two.hash).toBe(chainHash(one.hash, two));
        expect(three.hash).toBe(chainHash(two.hash, three));
        expect(verifyChain([one, three])).toEqual([
          expect.objectContaining({ problem: 'version-gap', streamVersion: 3 }),
          expect.objectContaining({ problem: 'hash-mismatch', streamVersion: 3 }),
        ]);
        const edited = { ...two, data: { n: 99 } };
        expect(verifyChain([one, edited, three])).toEqual([
          expect.objectContaining({ problem: 'hash-mismatch', streamVersion: 2 }),
        ]);
      });
    });

    describe('receipts', () => {
      it('keeps a receipt with its events, atomically; a second one under the key writes nothing', async () => {
        const store = await open();
        const receipt = { owner: 'o', key: 'k#0', requestHash: 'h', outcome: { steps: [] } };
        expect(await store.receipt('o', 'k#0')).toBeNull();
        await store.appendMany(
          [{ streamId: 'r', events: testEvents(2), expectedVersion: 'no_stream' }],
          {
            receipt,
          },
        );
        expect(await store.receipt('o', 'k#0')).toEqual({
          requestHash: 'h',
          outcome: { steps: [] },
          lastPosition: 2,
        });
        await expect(
          store.appendMany(
            [{ streamId: 'r2', events: testEvents(1), expectedVersion: 'no_stream' }],
            {
              receipt,
            },
          ),
        ).rejects.toBeInstanceOf(ReceiptTaken);
        expect(await store.streamVersion('r2')).toBe(0);
        expect(await store.lastPosition()).toBe(2);
        // A refused append leaves no receipt.
        await expect(
          store.appendMany([{ streamId: 'r', events: testEvents(1), expectedVersion: 0 }], {
            receipt: { ...receipt, key: 'k#1' },
          }),
        ).rejects.toBeInstanceOf(WrongExpectedVersion);
        expect(await store.receipt('o', 'k#1')).toBeNull();
      });
    });

    describe('log chain', () => {
      it('chains every event of the log, across streams and appendMany, to the one before it', async () => {
        const store = await open();
        await store.append('a', testEvents(2), 'no_stream');
        await store.appendMany([
          { streamId: 'b', events: testEvents(2), expectedVersion: 'no_stream' },
          { streamId: 'a', events: testEvents(1), expectedVersion: 2 },
        ]);
        await store.append('b', testEvents(1), 2);
        const info = await store.logChain();
        const walked = [];
        for await (const event of store.storedEvents()) walked.push(event);
        expect(walked.map((e) => e.globalPosition)).toEqual([1, 2, 3, 4, 5, 6]);
        let previous = GENESIS_HASH;
        const expected = walked.map(
          (e) => (previous = logHash(previous, e.globalPosition, e.hash)),
        );
        if (info.stored) {
          expect(walked.map((e) => e.logHash)).toEqual(expected);
          expect(await store.logHashAt(6)).toBe(expected[5]);
          expect(await store.logHashAt(7)).toBeNull();
        } else {
          expect(walked.every((e) => e.logHash === null)).toBe(true);
        }
        expect(info.migration).toBeNull();
        const walker = new LogChainWalker(info.stored);
        expect(walked.flatMap((e) => walker.step(e))).toEqual([]);
        expect(walker.recomputed).toEqual({ position: 6, logHash: expected[5] });
      });

      it("reads a part of the log as stored, and each stream's head just before a position", async () => {
        const store = await open();
        await store.append('a', testEvents(2), 'no_stream'); // 1-2
        await store.append('b', testEvents(1), 'no_stream'); // 3
        await store.append('a', testEvents(2), 2); // 4-5
        await store.append('c', testEvents(1), 'no_stream'); // 6
        const part = [];
        for await (const batch of store.storedEventBatches(2, { after: 2, through: 5 }))
          part.push(...batch);
        expect(part.map((e) => [e.globalPosition, e.streamId, e.streamVersion])).toEqual([
          [3, 'b', 1],
          [4, 'a', 3],
          [5, 'a', 4],
        ]);
        const tail = [];
        for await (const batch of store.storedEventBatches(100, { after: 5 })) tail.push(...batch);
        expect(tail.map((e) => e.globalPosition)).toEqual([6]);
        const all = new Map<number, string>();
        for await (const event of store.storedEvents()) all.set(event.globalPosition, event.hash);
        expect(await store.streamHeadsBefore(5, ['a', 'b', 'c', 'nowhere'])).toEqual(
          new Map([
            ['a', { version: 3, hash: all.get(4) }],
            ['b', { version: 1, hash: all.get(3) }],
          ]),
        );
        expect(await store.streamHeadsBefore(1, ['a'])).toEqual(new Map());
      });

      it('breaks on a swap of two events of different streams, which no stream chain sees', async () => {
        const store = await open();
        await store.append('a', testEvents(1), 'no_stream');
        await store.append('b', testEvents(1), 'no_stream');
        const walked = [];
        for await (const event of store.storedEvents()) walked.push(event);
        const [first, second] = walked;
        const swapped = [
          { ...second, globalPosition: 1 },
          { ...first, globalPosition: 2 },
        ];
        const stored = (await store.logChain()).stored;
        const walker = new LogChainWalker(true);
        const findings = swapped.flatMap((e) =>
          walker.step(stored ? e : { ...e, logHash: logHash(GENESIS_HASH, 1, first.hash) }),
        );
        expect(findings).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ problem: 'log-hash-mismatch', globalPosition: 1 }),
          ]),
        );
      });
    });

    describe('upcasting', () => {
      it('turns an old schema version into the current shape on read, leaving the stored form', async () => {
        const upcaster: Upcaster = {
          type: 'Renamed',
          fromSchemaVersion: 1,
          upcast: (data) => ({ fullName: data.name ?? null }),
        };
        const store = await open({ upcasters: [upcaster] });
        await store.append(
          's',
          [
            testEvent('Renamed', { name: 'Ada' }),
            testEvent('Renamed', { fullName: 'Bo' }, { schemaVersion: 2 }),
          ],
          'no_stream',
        );
        const read = await store.readStream('s');
        expect(read.map((e) => [e.schemaVersion, e.data])).toEqual([
          [2, { fullName: 'Ada' }],
          [2, { fullName: 'Bo' }],
        ]);
        const raw = await store.readStream('s', { raw: true });
        expect(raw[0]).toMatchObject({ schemaVersion: 1, data: { name: 'Ada' } });
        expect((await store.readAll())[0].data).toEqual({ fullName: 'Ada' });
      });
    });

    describe('bad arguments', () => {
      it.each([
        ['an empty stream id', () => ['', [testEvent()], 'any']],
        ['no events', () => ['s', [], 'any']],
        [
          'an event id that is not a UUID',
          () => ['s', [{ ...testEvent(), eventId: 'not-a-uuid' }], 'any'],
        ],
        [
          'one event id twice',
          () => {
            const e = testEvent();
            return ['s', [e, e], 'any'];
          },
        ],
        ['an unknown expected version', () => ['s', [testEvent()], 'latest']],
        ['a negative expected version', () => ['s', [testEvent()], -1]],
        ['data that is not an object', () => ['s', [{ ...testEvent(), data: [1] }], 'any']],
        ['data holding undefined', () => ['s', [testEvent('T', { a: undefined } as never)], 'any']],
        ['data holding a Date', () => ['s', [testEvent('T', { at: new Date() } as never)], 'any']],
        [
          'metadata without an actor',
          () => [
            's',
            [{ ...testEvent(), metadata: { ...testEvent().metadata, actor: '' } }],
            'any',
          ],
        ],
        [
          'an occurredAt that is no date',
          () => [
            's',
            [{ ...testEvent(), metadata: { ...testEvent().metadata, occurredAt: 'yesterday' } }],
            'any',
          ],
        ],
        ['schema version 0', () => ['s', [{ ...testEvent(), schemaVersion: 0 }], 'any']],
      ])('refuses %s with an InvalidAppend that says what is wrong', async (_what, args) => {
        const store = await open();
        const [streamId, events, expected] = args() as Parameters<EventStore['append']>;
        const attempt = store.append(streamId, events, expected);
        await expect(attempt).rejects.toBeInstanceOf(InvalidAppend);
        await expect(attempt).rejects.toMatchObject({
          code: 'EVENT_STORE.INVALID_ARGUMENT',
          message: expect.stringMatching(/\w+.{10,}/),
        });
        expect(await store.lastPosition()).toBe(0);
      });

      it('refuses bad read arguments', async () => {
        const store = await open();
        await expect(store.readAll({ limit: 0 })).rejects.toBeInstanceOf(InvalidAppend);
        await expect(store.readAll({ limit: 1_000_000 })).rejects.toBeInstanceOf(InvalidAppend);
        await expect(
          store.readStream('s', { fromVersion: 3, toVersion: 2 }),
        ).rejects.toBeInstanceOf(InvalidAppend);
      });
    });

    it('reports its health', async () => {
      const store = await open();
      await store.append(`s-${randomUUID()}`, testEvents(2), 'no_stream');
      expect(await store.health()).toEqual({
        adapter: store.adapter,
        reachable: true,
        lastPosition: 2,
      });
    });
  });
}

async function expectWrongVersion(
  attempt: Promise<unknown>,
  streamId: string,
  expected: unknown,
  actual: number,
): Promise<void> {
  await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersion);
  await expect(attempt).rejects.toMatchObject({
    code: 'EVENT_STORE.WRONG_EXPECTED_VERSION',
    streamId,
    expected,
    actual,
    message: expect.stringContaining(`"${streamId}"`),
  });
}

export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
