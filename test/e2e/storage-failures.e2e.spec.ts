import Database from 'better-sqlite3';
import { DEFAULT_WRITE_WAIT_MS, writesWaitingForLock } from '@keystone/event-store';
import { SqliteEventStore } from '@keystone/event-store/adapters';
import { requestBody } from './support/api-harness';
import { apiForSuite } from './support/scenario';

/**
 * A full disk on the embedded profile (SQLite refusing to grow: max_page_count, the same SQLITE_FULL
 * a full disk gives): writes answer 503 STORAGE.FULL with Retry-After, saying nothing was written;
 * /health is degraded and says why; once space returns the same process writes again, nothing lost.
 */
describe('when the disk holding the log is full', () => {
  const { h, t } = apiForSuite();

  it('answers 503 STORAGE.FULL, shows it in /health, and recovers by itself when space returns', async () => {
    const before = await h.call('POST', '/cases', { token: t.focalMalawi, body: requestBody() });
    expect(before.status).toBe(201);
    const store = h.eventStore() as SqliteEventStore;
    const database = store.database;
    const pages = database.pragma('page_count', { simple: true }) as number;
    database.pragma(`max_page_count = ${pages}`);
    const lastPosition = await store.lastPosition();
    let refused;
    for (let i = 0; i < 200; i++) {
      refused = await h.call('POST', '/cases', {
        token: t.focalMalawi,
        body: requestBody('MWI', { description: `${'A long description. '.repeat(150)} ${i}` }),
        headers: { 'idempotency-key': `full-${i}` },
      });
      if (refused.status !== 201) break;
    }
    expect(refused!.status).toBe(503);
    expect(refused!.headers.get('retry-after')).toBe('5');
    expect(refused!.body).toEqual({
      code: 'STORAGE.FULL',
      message: expect.stringContaining('nothing of this request was written'),
      details: { outcome: 'not-written', retryAfterSeconds: 5 },
    });
    const health = await h.call('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'degraded',
      warnings: expect.arrayContaining([
        'the last write was refused: the disk holding the log is full',
      ]),
    });
    // Space returns: the same process writes again, and the refused request is retried once.
    database.pragma('max_page_count = 1073741823');
    const written = await store.lastPosition();
    expect(written).toBeGreaterThanOrEqual(lastPosition);
    const after = await h.call('POST', '/cases', { token: t.focalMalawi, body: requestBody() });
    expect(after.status).toBe(201);
  });

  /**
   * The process's read models first catch up with the last test's writes, so that no write of
   * theirs is waiting for the lock below beside the request under test.
   */
  async function readModelsCaughtUp(): Promise<void> {
    for (let tries = 0; ; tries++) {
      const health = await h.call('GET', '/health/details', { token: t.admin });
      const projections = health.body.projections as { lag: number }[];
      if (projections.every((p) => p.lag === 0)) return;
      if (tries >= 200) throw new Error(`read models still behind: ${JSON.stringify(projections)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('answers a write the storage cannot take (locked too long) with 503, saying nothing was written', async () => {
    await readModelsCaughtUp();
    const store = h.eventStore() as SqliteEventStore;
    // A lock held by another connection, longer than the API waits for it.
    const blocker = new Database(store.path);
    blocker.pragma('busy_timeout = 0');
    store.writeWaitMs = 50;
    blocker.exec('BEGIN EXCLUSIVE');
    try {
      const refused = await h.call('POST', '/cases', { token: t.focalMalawi, body: requestBody() });
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe('STORAGE.UNAVAILABLE');
      expect(refused.body.details.outcome).toBe('not-written');
      expect(refused.headers.get('retry-after')).toBe('5');
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
      store.writeWaitMs = DEFAULT_WRITE_WAIT_MS;
    }
  });

  it('goes on answering while another process holds the write lock, and writes once it is free', async () => {
    await readModelsCaughtUp();
    const store = h.eventStore() as SqliteEventStore;
    const blocker = new Database(store.path);
    blocker.exec('BEGIN IMMEDIATE');
    let released = false;
    let write: Promise<{ status: number; releasedFirst: boolean; body: unknown }>;
    try {
      write = h
        .call('POST', '/cases', { token: t.focalMalawi, body: requestBody() })
        .then((response) => ({
          status: response.status,
          releasedFirst: released,
          body: response.body,
        }));
      // A write was refused the lock and is trying again later: it waits from the event loop...
      while (writesWaitingForLock() === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      // ...so the same process answers meanwhile, reading the log and the read models.
      const health = await h.call('GET', '/health/details', { token: t.admin });
      expect(health.status).toBe(200);
      expect(health.body.eventStore.writesWaitingForLock).toBeGreaterThanOrEqual(1);
      const cases = await h.call('GET', '/cases', { token: t.officer });
      expect(cases.status).toBe(200);
    } finally {
      released = true;
      blocker.exec('COMMIT');
      blocker.close();
    }
    // Once the other process lets go, the waiting write goes through: nothing refused, nothing lost.
    expect(await write).toEqual({
      status: 201,
      releasedFirst: true,
      body: expect.objectContaining({ caseId: expect.any(String), version: 1 }),
    });
  });
});
