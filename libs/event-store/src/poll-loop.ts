/**
 * The one loop of every follower of the log (projections, the reactor): run `step` while it finds
 * work, otherwise sleep until the poll interval passes or someone pokes it. A failing step is
 * remembered (for /health) and retried after `errorIntervalMs`; the loop never dies of it.
 */
export interface PollLoopOptions {
  readonly pollIntervalMs?: number;
  readonly errorIntervalMs?: number;
  /** Told once when a step starts failing (with its message) and once when it recovers (null). */
  readonly onErrorChange?: (error: string | null) => void;
}

export class PollLoop {
  private stopped = true;
  private running: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  private lastError: string | undefined;

  /** `step` returns how much work it did; 0 means caught up. */
  constructor(
    private readonly step: () => Promise<number>,
    private readonly options: PollLoopOptions = {},
  ) {}

  get error(): string | undefined {
    return this.lastError;
  }

  start(): void {
    this.stopped = false;
    this.running = this.loop();
  }

  /** Stops; waits at most `graceMs` for a step under way (one blocked on an outage is abandoned). */
  async stop(graceMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (graceMs === Number.POSITIVE_INFINITY) return this.running;
    await Promise.race([
      this.running,
      new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
    ]);
  }

  /** Cuts the current sleep short (an append in this process, a read-your-writes wait). */
  poke(): void {
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let worked = 0;
      try {
        worked = await this.step();
        if (this.lastError !== undefined) this.options.onErrorChange?.(null);
        this.lastError = undefined;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (message !== this.lastError) this.options.onErrorChange?.(message);
        this.lastError = message;
      }
      if (worked === 0 && !this.stopped) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    const ms =
      this.lastError !== undefined
        ? (this.options.errorIntervalMs ?? 1_000)
        : (this.options.pollIntervalMs ?? 100);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
