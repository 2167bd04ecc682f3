/**
 * Group commit inside one process: the appends that arrive while a batch is being written wait in a
 * queue and go together in the next one, so one transaction (one WAL flush, one hold of the log
 * head's lock) carries many appends. One batch is in flight at a time. A batch never holds two
 * appends to the same stream (the second waits for the next batch, so it is hashed on the first's
 * head), and stays under a number of events. The writer settles each member on its own: it may
 * resolve it, reject it, or hand it back to be tried again in a later batch.
 */
export interface BatchMember<T> {
  readonly streams: readonly string[];
  readonly events: number;
  /** Written in a batch of its own (after a batch failed as a whole). */
  alone: boolean;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** From how many waiting events a batch is split in two (see take). */
const SPLIT_AT_EVENTS = 32;

export class GroupCommit<T, M extends BatchMember<T>> {
  private readonly queue: M[] = [];
  private readonly streamsInFlight = new Set<string>();
  private inFlight = 0;
  private launchScheduled = false;

  constructor(
    /** Writes a batch; settles every member or returns those to try again (they go first). */
    private readonly write: (batch: M[]) => Promise<M[]>,
    /**
     * Batches written at once. The log head's lock makes them commit one after another; a second one
     * on its way meanwhile hides the round trip and this process's work between two commits.
     */
    private readonly maxInFlight = 2,
    private readonly maxEvents = 2_000,
  ) {}

  submit(member: M): void {
    this.queue.push(member);
    this.scheduleLaunch();
  }

  /**
   * A batch starts on the next turn of the event loop, not at once: the appends answered by the last
   * batch run on to their next append first and join it, instead of waiting a whole round.
   */
  private scheduleLaunch(): void {
    if (this.launchScheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0)
      return;
    this.launchScheduled = true;
    setImmediate(() => {
      this.launchScheduled = false;
      void this.launch();
    });
  }

  private async launch(): Promise<void> {
    const batch = this.take();
    if (batch.length === 0) return; // every waiting append's stream is in the batch in flight
    this.inFlight++;
    const streams = batch.flatMap((m) => m.streams);
    for (const s of streams) this.streamsInFlight.add(s);
    let again: M[];
    try {
      again = await this.write(batch);
    } catch (error) {
      // The writer settles its members; a throw is a defect in it, and no member may hang on it.
      for (const member of batch) member.reject(error);
      again = [];
    }
    for (const s of streams) this.streamsInFlight.delete(s);
    this.inFlight--;
    this.queue.unshift(...again);
    this.scheduleLaunch();
  }

  /**
   * The next batch: queue order, no stream twice nor one of a batch in flight (its head is about to
   * move), under maxEvents (at least one member).
   */
  private take(): M[] {
    const batch: M[] = [];
    const streams = new Set<string>();
    let events = 0;
    // Many events waiting and nothing in flight: half go now and half right behind, so this process
    // prepares and sends the second while the database writes the first. (With few events a batch
    // costs mostly its commit, and one batch of all is cheaper than two.)
    const waiting = this.queue.reduce((sum, m) => sum + m.events, 0);
    const most =
      this.inFlight === 0 && this.queue.length > 1 && waiting >= SPLIT_AT_EVENTS
        ? Math.ceil(this.queue.length / 2)
        : Infinity;
    for (let i = 0; i < this.queue.length && batch.length < most;) {
      const member = this.queue[i];
      if (batch.length > 0 && (member.alone || batch[0].alone)) break;
      const busy = member.streams.some((s) => streams.has(s) || this.streamsInFlight.has(s));
      if (busy || (batch.length > 0 && events + member.events > this.maxEvents)) {
        i++;
        continue;
      }
      batch.push(member);
      this.queue.splice(i, 1);
      for (const s of member.streams) streams.add(s);
      events += member.events;
    }
    // More waiting: a second batch may go while this one is out.
    if (this.queue.length > 0) queueMicrotask(() => this.scheduleLaunch());
    return batch;
  }
}
