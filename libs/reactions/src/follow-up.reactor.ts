import type { Queue } from 'bullmq';
import type { Clock, EventStore } from '@keystone/event-store';
import { Checkpoint, StaleWrite, type SqlDatabase } from '@keystone/sql';
import { DEFAULT_FOLLOW_UP, planFollowUps, type FollowUpSettings } from './follow-up.plan';

export const FOLLOW_UP_QUEUE = 'keystone-follow-up';
const CHECKPOINT = 'reactor:follow-up';

/**
 * Follows the log from its own checkpoint and turns events into BullMQ jobs with deterministic ids,
 * delayed until their due time. The log is the outbox: the checkpoint moves only after BullMQ took
 * the jobs, so a Redis outage stops the reactor and it resumes where it was; a job planned twice
 * (a crash between the two) is added once, since its id is already there.
 */
export class FollowUpReactor {
  private readonly checkpoint: Checkpoint;

  constructor(
    private readonly db: SqlDatabase,
    private readonly store: EventStore,
    private readonly queue: Queue,
    private readonly clock: Clock,
    private readonly settings: FollowUpSettings = DEFAULT_FOLLOW_UP,
    private readonly batchSize = 500,
  ) {
    this.checkpoint = new Checkpoint(db, CHECKPOINT);
  }

  init(): Promise<void> {
    return this.checkpoint.init();
  }

  position(): Promise<number> {
    return this.checkpoint.position();
  }

  /** One batch; returns how many events it consumed (0 when caught up). Throws while Redis is away. */
  async step(): Promise<number> {
    const from = await this.position();
    const events = await this.store.readAll({ fromPosition: from + 1, limit: this.batchSize });
    if (events.length === 0) return 0;
    const now = this.clock.now().getTime();
    const jobs = events.flatMap((event) => planFollowUps(event, this.settings));
    if (jobs.length > 0) {
      await this.queue.addBulk(
        jobs.map((job) => ({
          name: job.name,
          data: job.data,
          opts: {
            jobId: job.id,
            delay: Math.max(0, Date.parse(job.dueAt) - now),
            attempts: 5,
            backoff: { type: 'exponential', delay: 1_000 },
          },
        })),
      );
    }
    const to = events[events.length - 1].globalPosition;
    try {
      await this.db.write((tx) => this.checkpoint.advance(tx, from, to));
    } catch (error) {
      if (!(error instanceof StaleWrite)) throw error; // another reactor moved on; its jobs have the same ids
    }
    return events.length;
  }

  async catchUp(): Promise<number> {
    while ((await this.step()) > 0);
    return this.position();
  }
}

/**
 * Due times are business times, read from the injectable clock: this promotes every delayed job
 * whose due time has come by that clock (in production BullMQ's own delay fires at the same moment).
 */
export async function promoteDue(queue: Queue, clock: Clock): Promise<number> {
  // On real time, BullMQ's own delays fire at the due moment and there is nothing to promote. Only a
  // clock that has been moved (tests, simulations) makes the scan of every delayed job worth its cost.
  if (Math.abs(clock.now().getTime() - Date.now()) <= 1_000) return 0;
  const now = clock.now().toISOString();
  let promoted = 0;
  for (const job of await queue.getDelayed()) {
    if ((job.data as { dueAt?: string }).dueAt && job.data.dueAt <= now) {
      await job.promote();
      promoted++;
    }
  }
  return promoted;
}
