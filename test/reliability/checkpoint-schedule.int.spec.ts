import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { CheckpointBook, checkCheckpoint, Keyring, publicKeyPem } from '@keystone/audit';
import { evidenceSigningKey } from '@keystone/audit';
import { systemClock } from '@keystone/event-store';
import { SqliteEventStore } from '@keystone/event-store/adapters';
import { testEvents } from '@keystone/event-store/testing/test-events';
import { CHECKPOINT_QUEUE, CheckpointSchedule } from '../../apps/worker/src/checkpoint-schedule';
import { testRedisUrl, uniqueSchema } from '../support/test-env';

/**
 * Workers sign checkpoints at intervals through one BullMQ job scheduler on the real Redis: two
 * workers make one schedule; a tick signs only when the log moved; what it signs verifies.
 */
const dir = mkdtempSync(join(tmpdir(), 'keystone-checkpoints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

it('signs a checkpoint on schedule when the log moved, once per move, with two workers on one schedule', async () => {
  const store = new SqliteEventStore({ path: join(dir, 'log.db') });
  const keyFile = join(dir, 'evidence.pem');
  const prefix = uniqueSchema('cp');
  await store.append('a', testEvents(3), 'no_stream');
  const options = {
    store,
    redisUrl: testRedisUrl(),
    prefix,
    everyMs: 250,
    evidenceKeyFile: keyFile,
    clock: systemClock,
  };
  const first = await CheckpointSchedule.start(options);
  const second = await CheckpointSchedule.start(options);
  const queue = new Queue(CHECKPOINT_QUEUE, { connection: { url: testRedisUrl() }, prefix });
  try {
    expect(await queue.getJobSchedulers()).toHaveLength(1);
    const book = new CheckpointBook(store);
    const at3 = await until(
      async () => (await book.latest())?.logPosition === 3 || undefined,
      'a checkpoint at position 3',
    );
    expect(at3).toBe(true);
    await store.append('b', testEvents(2), 'no_stream');
    await until(
      async () => (await book.latest())?.logPosition === 5 || undefined,
      'a checkpoint at position 5',
    );
    // Ticks while the log stands still sign nothing.
    expect(await first.tick()).toBe('the log has not moved');
    const kept = await book.all();
    expect(kept.map((c) => c.logPosition)).toEqual([3, 5]);
    const trusted = Keyring.of([publicKeyPem(evidenceSigningKey(keyFile))]);
    for (const checkpoint of kept)
      expect(checkCheckpoint(JSON.stringify(checkpoint), trusted).problems).toEqual([]);
    expect(kept[1].logHash).toBe(await store.logHashAt(5));
  } finally {
    await first.stop();
    await second.stop();
    await queue.obliterate({ force: true });
    await queue.close();
    await store.close();
  }
});
