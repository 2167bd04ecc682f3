import Database from 'better-sqlite3';
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

  it('answers a write the storage cannot take (locked too long) with 503, saying nothing was written', async () => {
    // The process's read models first catch up with the last test's writes: a write of theirs under
    // the lock below would wait their connection's 10 s, and the whole process with it (flaky before).
    for (let tries = 0; ; tries++) {
      const health = await h.call('GET', '/health/details', { token: t.admin });
      const projections = health.body.projections as { lag: number }[];
      if (projections.every((p) => p.lag === 0)) break;
      if (tries >= 200) throw new Error(`read models still behind: ${JSON.stringify(projections)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const store = h.eventStore() as SqliteEventStore;
    // A lock held by another connection, longer than the API waits: SQLITE_BUSY on the reads.
    const blocker = new Database(store.path);
    blocker.pragma('busy_timeout = 0');
    store.database.pragma('busy_timeout = 50');
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
      store.database.pragma('busy_timeout = 10000');
    }
  });
});
