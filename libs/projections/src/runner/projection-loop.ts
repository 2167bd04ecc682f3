import { PollLoop, type EventStore } from '@keystone/event-store';
import type { SqlDatabase } from '@keystone/sql';
import type { DocumentProjection } from './projection';
import { ProjectionRunner } from './projection-runner';

export interface ProjectionStatus {
  readonly name: string;
  readonly position: number;
  readonly lag: number;
  readonly error?: string;
}

/**
 * Keeps projections caught up: batches while there is work, then a short poll (and a nudge from
 * read-your-writes queries). One loop per process; several processes may run it against one
 * database, since every write is conditional on the checkpoint it started from.
 */
export class ProjectionLoop {
  private readonly runners: ProjectionRunner<unknown>[];
  private readonly loop: PollLoop;

  constructor(
    db: SqlDatabase,
    private readonly store: EventStore,
    projections: readonly DocumentProjection<unknown>[],
    options: { pollIntervalMs?: number; batchSize?: number } = {},
  ) {
    this.runners = projections.map(
      (p) => new ProjectionRunner(db, store, p, { batchSize: options.batchSize }),
    );
    this.loop = new PollLoop(() => this.step(), {
      pollIntervalMs: options.pollIntervalMs,
      errorIntervalMs: options.pollIntervalMs,
      onErrorChange: (error) =>
        error === null
          ? console.warn('Keystone projections: caught up again after an error')
          : console.warn(`Keystone projections: paused, retrying: ${error}`),
    });
  }

  async start(): Promise<void> {
    for (const runner of this.runners) await runner.init();
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Nudges the loop (an append in this process). */
  poke(): void {
    this.loop.poke();
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.lastPosition();
    const error = this.loop.error;
    return Promise.all(
      this.runners.map(async (runner) => {
        const position = await runner.position();
        return {
          name: runner.checkpoint,
          position,
          lag: head - position,
          ...(error ? { error } : {}),
        };
      }),
    );
  }

  /** Resolves once every projection has reached `position`, or with false after `timeoutMs`. */
  async waitFor(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const positions = await Promise.all(this.runners.map((r) => r.position()));
      if (positions.every((p) => p >= position)) return true;
      if (Date.now() >= deadline) return false;
      this.poke();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async step(): Promise<number> {
    let worked = 0;
    for (const runner of this.runners) worked += await runner.step();
    return worked;
  }
}
