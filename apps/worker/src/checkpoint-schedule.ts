import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { CheckpointBook, evidenceSigningKey, takeCheckpoint } from '@keystone/audit';
import type { Clock, EventStore } from '@keystone/event-store';

export const CHECKPOINT_QUEUE = 'log-checkpoints';

export interface CheckpointScheduleOptions {
  readonly store: EventStore;
  readonly redisUrl: string;
  readonly prefix: string;
  /** How often a checkpoint is due (KEYSTONE_CHECKPOINT_EVERY_MINUTES, in ms here). */
  readonly everyMs: number;
  readonly evidenceKeyFile: string;
  readonly clock: Clock;
}

/**
 * Signed checkpoints at intervals: one BullMQ job scheduler (one schedule however many workers run,
 * each tick run by one of them), each tick signing the log's position and log hash when the log
 * moved since the latest checkpoint. `keystone checkpoint` takes one on demand.
 */
export class CheckpointSchedule {
  private readonly logger = new Logger('Keystone checkpoints');

  private readonly worker: Worker;

  private constructor(
    private readonly options: CheckpointScheduleOptions,
    private readonly queue: Queue,
    connection: object,
  ) {
    this.worker = new Worker(CHECKPOINT_QUEUE, () => this.tick(), {
      connection,
      prefix: options.prefix,
      concurrency: 1,
    });
  }

  static async start(options: CheckpointScheduleOptions): Promise<CheckpointSchedule> {
    const connection = {
      url: options.redisUrl,
      maxRetriesPerRequest: null,
      retryStrategy: (attempt: number) => Math.min(attempt * 500, 5_000),
    };
    const queue = new Queue(CHECKPOINT_QUEUE, { connection, prefix: options.prefix });
    await queue.upsertJobScheduler(
      'log-checkpoint',
      { every: options.everyMs },
      { name: 'checkpoint', opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    return new CheckpointSchedule(options, queue, connection);
  }

  /** Takes a checkpoint if the log moved since the latest; says what it did. */
  async tick(): Promise<string> {
    const { store, clock, evidenceKeyFile } = this.options;
    const book = new CheckpointBook(store);
    const latest = await book.latest();
    const position = await store.lastPosition();
    if (position === 0 || position === latest?.logPosition) return 'the log has not moved';
    const signed = await takeCheckpoint(store, evidenceSigningKey(evidenceKeyFile), clock.now());
    await book.keep(signed);
    this.logger.log(`checkpoint signed at position ${signed.logPosition}: ${signed.logHash}`);
    return `checkpoint at position ${signed.logPosition}`;
  }

  async stop(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }
}
