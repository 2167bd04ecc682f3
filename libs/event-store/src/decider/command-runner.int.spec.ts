import { newId } from '../event-ids';
import { inIdempotencyScope } from '../idempotency-scope';
import { SqliteEventStore } from '../sqlite/sqlite.event-store';
import { DomainError, type CommandContext, type Decider } from './decider';
import { deciderStep, runCommand, StalePrecondition } from './command-runner';

type Counter = { type: 'Add'; data: { n: number }; context: CommandContext };
type Added = { type: 'Added'; data: { n: number } };
const counter: Decider<Counter, Added, number> = {
  initialState: () => 0,
  evolve: (total, event) => total + event.data.n,
  decide: (command, total) => {
    if (total + command.data.n > 10)
      throw new DomainError('COUNTER.FULL', 'rule', `${total} + ${command.data.n} is over 10`);
    return [{ type: 'Added', data: { n: command.data.n } }];
  },
};
const context: CommandContext = {
  actor: 'a',
  role: 'r',
  correlationId: 'c',
  occurredAt: '2026-01-01T00:00:00.000Z',
  now: '2026-01-01T00:00:00.000Z',
};
const add = (n: number): Counter => ({ type: 'Add', data: { n }, context });

describe('runCommand (SQLite)', () => {
  let store: SqliteEventStore;
  beforeEach(() => (store = new SqliteEventStore({ path: ':memory:' })));
  afterEach(() => store.close());

  it('folds, decides and appends with the metadata of the command', async () => {
    await runCommand(store, context, [deciderStep('counter', counter, add(4))]);
    const outcome = await runCommand(store, context, [deciderStep('counter', counter, add(5))]);
    expect(outcome).toEqual({
      steps: [{ streamId: 'counter', version: 2, events: [{ type: 'Added', data: { n: 5 } }] }],
      position: 2,
    });
    const [event] = await store.readStream('counter');
    expect(event.metadata).toMatchObject({
      actor: 'a',
      role: 'r',
      correlationId: 'c',
      occurredAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('appends across streams atomically: one refusal writes nothing', async () => {
    await runCommand(store, context, [deciderStep('b', counter, add(9))]);
    const both = runCommand(store, context, [
      deciderStep('a', counter, add(1)),
      deciderStep('b', counter, add(2)),
    ]);
    await expect(both).rejects.toMatchObject({ code: 'COUNTER.FULL' });
    expect(await store.readStream('a')).toEqual([]);
  });

  it('decides again after losing a race, so the rule sees the winner', async () => {
    await runCommand(store, context, [deciderStep('c', counter, add(6))]);
    // Interleave: a step whose first decision is overtaken by a concurrent append.
    let raced = false;
    const step = deciderStep('c', counter, add(3));
    const racing = {
      ...step,
      decide: (history: Parameters<typeof step.decide>[0]) => {
        if (!raced) {
          raced = true;
          void store.append(
            'c',
            [
              {
                eventId: '0190f5e2-0000-7000-8000-000000000001',
                type: 'Added',
                data: { n: 3 },
                metadata: context,
              },
            ],
            'any',
          );
        }
        return step.decide(history);
      },
    };
    await expect(runCommand(store, context, [racing])).rejects.toMatchObject({
      code: 'COUNTER.FULL',
    });
    expect((await store.readStream('c')).map((e) => e.data.n)).toEqual([6, 3]);
  });

  it('lets the commands of one process on one stream take turns, so none loses a race', async () => {
    const appendMany = store.appendMany.bind(store);
    let conflicts = 0;
    store.appendMany = async (...args: Parameters<typeof appendMany>) => {
      try {
        return await appendMany(...args);
      } catch (error) {
        conflicts++;
        throw error;
      }
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        runCommand(store, context, [
          deciderStep('hot', counter, add(1)),
          deciderStep(`own-${newId()}`, counter, add(1)),
        ]),
      ),
    );
    // Ten fit under the rule: exactly ten go through, the others are refused by the rule itself.
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    expect(
      outcomes
        .filter((o) => o.status === 'rejected')
        .map((o) => (o as PromiseRejectedResult).reason.code),
    ).toEqual(Array(10).fill('COUNTER.FULL'));
    expect(conflicts).toBe(0);
    // Another stream is not held up by the hot one.
    await expect(
      runCommand(store, context, [deciderStep('cold', counter, add(1))]),
    ).resolves.toBeDefined();
  });

  it('fails a pinned version without retrying', async () => {
    await runCommand(store, context, [deciderStep('d', counter, add(1))]);
    await expect(
      runCommand(store, context, [deciderStep('d', counter, add(1), { pinnedVersion: 0 })]),
    ).rejects.toBeInstanceOf(StalePrecondition);
  });

  it('in an idempotency scope: a retry after the change was made answers it again, writing nothing', async () => {
    const scope = { owner: 'focal|MWI|x', key: 'key-1', requestHash: 'h1' };
    const first = await inIdempotencyScope(scope, () =>
      runCommand(store, context, [deciderStep('counter', counter, add(4))]),
    );
    // The retry (after a crash lost the response) decides nothing new: it finds the receipt.
    const retry = await inIdempotencyScope(scope, () =>
      runCommand(store, context, [deciderStep('counter', counter, add(4))]),
    );
    expect(retry).toEqual(first);
    expect(await store.streamVersion('counter')).toBe(1);
    // Two twins at once: one change.
    const twins = { ...scope, key: 'key-2' };
    const both = await Promise.all(
      [1, 2].map(() =>
        inIdempotencyScope(twins, () =>
          runCommand(store, context, [deciderStep('counter', counter, add(2))]),
        ),
      ),
    );
    expect(both[0]).toEqual(both[1]);
    expect(await store.streamVersion('counter')).toBe(2);
    // The same key with another request is refused.
    await expect(
      inIdempotencyScope({ ...scope, requestHash: 'other' }, () =>
        runCommand(store, context, [deciderStep('counter', counter, add(1))]),
      ),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED' });
    // Ids named in a scope are derived from it: the same on a retry, distinct within the request.
    const ids = () => inIdempotencyScope(scope, () => [newId(), newId()]);
    expect(ids()).toEqual(ids());
    expect(new Set(ids()).size).toBe(2);
  });
});
