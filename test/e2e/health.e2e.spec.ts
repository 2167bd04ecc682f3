import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { signLocalToken } from '@keystone/access';
import { loadConfig, tokenSettings } from '@keystone/config';
import { SqliteEventStore } from '@keystone/event-store/adapters';
import { testEvents } from '@keystone/event-store/testing/test-events';
import { createApi } from '../../apps/api/src/bootstrap';
import { ensureServiceBinaries, freePort, startRedis } from '../support/local-services';
import { testRedisUrl } from '../support/test-env';

describe('GET /health and /health/details (embedded SQLite profile)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keystone-health-'));
  const path = join(dir, 'keystone.db');
  let app: INestApplication | undefined;
  let admin = '';

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function start(redisUrl: string): Promise<string> {
    const port = await freePort();
    const config = loadConfig({
      KEYSTONE_SQLITE_PATH: path,
      KEYSTONE_REDIS_URL: redisUrl,
      PORT: String(port),
    });
    app = await createApi(config, { logger: false });
    const auth = tokenSettings(config.auth);
    if (auth.mode === 'local')
      admin = await signLocalToken(auth, { sub: 'admin:h', role: 'admin' });
    await app.listen(port, '127.0.0.1');
    return `http://127.0.0.1:${port}`;
  }

  async function healthOf(
    base: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${base}/health/details`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('reports the SQLite log and a reachable Redis', async () => {
    const base = await start(testRedisUrl());
    const { status, body } = await healthOf(base);
    expect(status).toBe(200);
    // The tests' Redis keeps nothing across a restart: health says what that risks.
    const noPersistence =
      'Redis keeps no data across a restart (no append-only file, no snapshots): scheduled reminders and overdue checks would be lost; run it with appendonly yes';
    expect(body).toEqual({
      status: 'ok',
      warnings: [noPersistence],
      roles: ['api', 'projections', 'reactors', 'processors'],
      eventStore: { adapter: 'sqlite', reachable: true, lastPosition: 0, writesWaitingForLock: 0 },
      redis: { status: 'up', persistence: 'none' },
      projections: [
        { name: 'cases', position: 0, lag: 0 },
        { name: 'experts', position: 0, lag: 0 },
        { name: 'sessions', position: 0, lag: 0 },
      ],
      queues: {
        reactorPosition: 0,
        followUp: {
          waiting: 0,
          paused: 0,
          delayed: 0,
          active: 0,
          failed: 0,
          completed: 0,
          oldestWaitingSeconds: null,
        },
        followUpDeadLetters: 0,
      },
    });
  });

  it('keeps the log across a restart of the API', async () => {
    const writer = new SqliteEventStore({ path });
    await writer.append('case-restart', testEvents(3), 'no_stream');
    await writer.close();

    let base = await start(testRedisUrl());
    expect((await healthOf(base)).body.eventStore).toMatchObject({ lastPosition: 3 });
    await app!.close();

    base = await start(testRedisUrl());
    expect((await healthOf(base)).body.eventStore).toMatchObject({ lastPosition: 3 });
    const reader = new SqliteEventStore({ path });
    expect((await reader.readStream('case-restart')).map((e) => e.streamVersion)).toEqual([
      1, 2, 3,
    ]);
    await reader.close();
  });

  it('has no warning with a Redis that keeps its data (append-only file)', async () => {
    const redis = await startRedis(ensureServiceBinaries().redisServer, { persistent: true });
    try {
      const base = await start(redis.url);
      const { body } = await healthOf(base);
      expect(body).toMatchObject({ status: 'ok', redis: { status: 'up', persistence: 'aof' } });
      expect(body.warnings).toBeUndefined();
      expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    } finally {
      await app?.close();
      app = undefined;
      await redis.stop();
    }
  });

  it('serves without Redis and says Redis is down', async () => {
    const closedPort = await freePort();
    const base = await start(`redis://127.0.0.1:${closedPort}`);
    const { status, body } = await healthOf(base);
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.down).toEqual(['redis']);
    expect(body.redis).toEqual({ status: 'down' });
    const plain = await fetch(`${base}/health`);
    expect(await plain.json()).toEqual({ status: 'degraded', down: ['redis'] });
    expect(body.eventStore).toMatchObject({ adapter: 'sqlite', reachable: true });
    expect(body.queues).toEqual({ error: expect.stringContaining('Redis is down') });
  });
});
