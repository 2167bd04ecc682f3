import type { EventStore } from '@keystone/event-store';
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
  private stopped = true;
  private wake: (() => void) | null = null;
  private running: Promise<void> = Promise.resolve();
  private lastError: string | undefined;

  constructor(
    db: SqlDatabase,
    private readonly store: EventStore,
    projections: readonly DocumentProjection<unknown>[],
    private readonly options: { pollIntervalMs?: number; batchSize?: number } = {},
  ) {
    this.runners = projections.map(
      (p) => new ProjectionRunner(db, store, p, { batchSize: options.batchSize }),
    );
  }

  async start(): Promise<void> {
    for (const runner of this.runners) await runner.init();
    this.stopped = false;
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  /** Nudges the loop (an append in this process). */
  poke(): void {
    this.wake?.();
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.lastPosition();
    return Promise.all(
      this.runners.map(async (runner) => {
        const position = await runner.position();
        return {
          name: runner.checkpoint,
          position,
          lag: head - position,
          ...(this.lastError ? { error: this.lastError } : {}),
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

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let worked = 0;
      try {
        for (const runner of this.runners) worked += await runner.step();
        this.lastError = undefined;
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
      }
      if (worked === 0 && !this.stopped) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollIntervalMs ?? 100);
      this.wake = done;
    });
  }
}
