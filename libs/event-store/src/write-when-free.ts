/**
 * Writing to a SQLite file another process writes to. better-sqlite3 is synchronous: a connection
 * waiting for the write lock inside SQLite's busy handler stops its whole process (every request,
 * every timer) for as long as it waits, up to 10 s behind a `keystone rebuild` or a second API. So a
 * writing connection waits in SQLite only briefly (WRITE_BUSY_MS: another process's usual
 * transaction), then tries again from the event loop, after growing, jittered pauses, until its
 * wait is spent; meanwhile the process answers everything else. A write refused with SQLITE_BUSY
 * wrote nothing (BEGIN IMMEDIATE takes the lock before anything; a failed transaction rolls back),
 * so trying it again is safe. Past the wait, the SQLITE_BUSY goes to the caller as before
 * (STORAGE.UNAVAILABLE, nothing written).
 */
export const WRITE_BUSY_MS = 20;
/** How long a write waits in all for the lock: what SQLite's busy timeout alone used to give. */
export const DEFAULT_WRITE_WAIT_MS = 10_000;
/** What the log's set-up and read-only connections wait inside SQLite (once, at start, or only reading). */
export const SYNC_BUSY_MS = 10_000;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

let waiting = 0;

/** How many writes of this process are waiting for another process's lock right now. */
export function writesWaitingForLock(): number {
  return waiting;
}

export async function writeWhenFree<T>(write: () => T, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  let waited = false;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        return write();
      } catch (error) {
        const left = deadline - Date.now();
        if (!isBusy(error) || left <= 0) throw error;
        if (!waited) waiting++;
        waited = true;
        const pause = Math.min(100, 5 * 2 ** attempt) * (0.5 + Math.random() / 2);
        await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
      }
    }
  } finally {
    if (waited) waiting--;
  }
}
