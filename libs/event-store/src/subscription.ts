import type {
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
} from './event-store.port';
import { positiveOrDefault } from './append-planning';

export type ReadAll = (options: ReadAllOptions) => Promise<RecordedEvent[]>;

/**
 * A catch-up subscription over readAll: reads in batches from its position, hands events to the
 * handler one at a time, in order, then waits for a wake-up (an append the adapter saw) or the poll
 * interval. Adapters share it; only the wake-up source differs.
 */
export class PollingSubscription implements Subscription {
  private next: number;
  private stopped = false;
  private wakeUp: (() => void) | null = null;
  private readonly loop: Promise<void>;
  private readonly caughtUpOnce: Promise<void>;
  private markCaughtUp!: () => void;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;

  constructor(
    fromPosition: number,
    private readonly readAll: ReadAll,
    private readonly handler: SubscriptionHandler,
    private readonly options: SubscribeOptions,
    private readonly unregisterWake: (wake: () => void) => () => void,
  ) {
    this.next = positiveOrDefault('fromPosition', fromPosition, 1);
    this.batchSize = positiveOrDefault('batchSize', options.batchSize, 500);
    this.pollIntervalMs = positiveOrDefault('pollIntervalMs', options.pollIntervalMs, 250);
    this.caughtUpOnce = new Promise((resolve) => (this.markCaughtUp = resolve));
    this.loop = this.run();
  }

  get position(): number {
    return this.next - 1;
  }

  caughtUp(): Promise<void> {
    return this.caughtUpOnce;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const unregister = this.unregisterWake(() => this.wakeUp?.());
    try {
      while (!this.stopped) {
        const batch = await this.readAll({
          fromPosition: this.next,
          limit: this.batchSize,
          types: this.options.types,
        });
        for (const event of batch) {
          if (this.stopped) return;
          await this.handler(event);
          this.next = event.globalPosition + 1;
        }
        if (batch.length < this.batchSize) {
          // Filtered reads may skip positions; the next read starts after the last one looked at.
          this.markCaughtUp();
          await this.sleep();
        }
      }
    } catch (error) {
      this.stopped = true;
      this.markCaughtUp();
      this.options.onError?.(error);
    } finally {
      unregister();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wakeUp = done;
    });
  }
}
