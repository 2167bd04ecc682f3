import type { ThrottlerStorage } from '@nestjs/throttler';

interface Window {
  /** When each hit of the window leaves it, oldest first (the window's length is fixed per key). */
  expirations: number[];
  /** The first hit still in the window: the ones before it have expired. */
  head: number;
  /** While now is before it, the key is blocked (0: never blocked, or the block is over). */
  blockedUntil: number;
}

/** Compact a window's array once this many expired hits sit at its front (and they are most of it). */
const COMPACT_AFTER = 1_024;
const SWEEP_MS = 60_000;

/**
 * @nestjs/throttler's in-memory counting, answered in constant time. Its own ThrottlerStorageService
 * keeps every hit's expiry in an array and copies the array on every increment to drop the expired
 * ones: O(hits in the window) per request, and as many allocations, which at a few hundred requests a
 * second under a high limit cost the API more than the request itself. Here the expiries of a key
 * (one window length per key, so they come in order) are dropped by moving a head index forward.
 * The answers are the library's: a key over its limit is blocked for the block duration, hits are
 * not counted while it is, and once the block is over it starts afresh with the request at hand
 * (`sliding-window-storage.unit.spec.ts` checks the two side by side).
 */
export class SlidingWindowStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<{
    totalHits: number;
    timeToExpire: number;
    isBlocked: boolean;
    timeToBlockExpire: number;
  }> {
    const now = this.now();
    const id = `${throttlerName}\u0000${key}`;
    let window = this.windows.get(id);
    if (!window) this.windows.set(id, (window = { expirations: [], head: 0, blockedUntil: 0 }));
    const { expirations } = window;
    while (window.head < expirations.length && expirations[window.head] <= now) window.head++;
    if (window.head >= COMPACT_AFTER && window.head * 2 >= expirations.length) {
      window.expirations = expirations.slice(window.head);
      window.head = 0;
    }
    if (window.blockedUntil !== 0 && window.blockedUntil <= now) {
      // The block is over: the key starts afresh, this request its first hit.
      window.expirations = [];
      window.head = 0;
      window.blockedUntil = 0;
    }
    const blocked = window.blockedUntil > now;
    if (!blocked) window.expirations.push(now + ttl);
    const totalHits = window.expirations.length - window.head;
    if (!blocked && totalHits > limit && blockDuration > 0)
      window.blockedUntil = now + blockDuration;
    const isBlocked = window.blockedUntil > now;
    const newest = window.expirations[window.expirations.length - 1] ?? now;
    return {
      totalHits,
      timeToExpire: Math.ceil((newest - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    };
  }

  /** Forgets the keys with no hit left in their window and no block running. */
  sweep(): void {
    const now = this.now();
    for (const [id, window] of this.windows) {
      const last = window.expirations[window.expirations.length - 1];
      if (window.blockedUntil <= now && (last === undefined || last <= now))
        this.windows.delete(id);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
    this.windows.clear();
  }
}
