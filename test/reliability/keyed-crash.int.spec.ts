import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signLocalToken } from '@keystone/access';
import { SqliteEventStore } from '@keystone/event-store/adapters';
import { requestBody } from '../e2e/support/api-harness';
import { freePort } from '../support/local-services';
import { launchApp, ROOT, stopProcess } from '../support/processes';
import { seededRandom } from '../../apps/cli/src/demo/history-generator';

/**
 * Idempotency that cannot get stuck: requests with an Idempotency-Key (each creating a case, whose id
 * the server names) are sent while the API process is SIGKILLed at random moments; after each restart
 * every key is retried until it answers. Every key must resolve, to one case id however often it is
 * retried, and the log must hold exactly one request per key: none lost, none doubled, none stuck.
 */
const KEYS = 240;
const KILLS = 6;
const SECRET = 'keyed-crash-secret-'.padEnd(48, 'k');
const dir = mkdtempSync(join(tmpdir(), 'keystone-keyed-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
jest.setTimeout(240_000);

it('resolves every key to exactly one effect across SIGKILLs under keyed load', async () => {
  const path = join(dir, 'log.db');
  const port = await freePort();
  const env = {
    KEYSTONE_STORE: 'sqlite',
    KEYSTONE_SQLITE_PATH: path,
    KEYSTONE_AUTH_SECRET: SECRET,
    KEYSTONE_REDIS_URL: 'redis://127.0.0.1:1',
    KEYSTONE_ROLES: 'api',
    KEYSTONE_IDEMPOTENCY_LEASE_SECONDS: '1',
    PORT: String(port),
  };
  const start = async () => {
    const api = launchApp('api', { env, readyOn: ['API on http'] });
    await api.ready;
    return api;
  };
  const token = await signLocalToken(
    { mode: 'local', secret: SECRET, issuer: 'keystone-local' },
    { sub: 'focal:mwi', role: 'state-focal-point', state: 'MWI' },
  );
  const send = async (i: number) => {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/cases`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': `crash-key-${i}`,
        },
        body: JSON.stringify(requestBody('MWI', { description: `Keyed request number ${i}` })),
      });
      return { status: response.status, body: (await response.json()) as any };
    } catch {
      return { status: 0, body: null }; // the process died under it
    }
  };

  const random = seededRandom(20261127);
  const caseIdOf = new Map<number, string>();
  const figures = { requests: 0, kills: 0, cutOff: 0, inProgress: 0, replayed: 0 };
  let api = await start();
  let next = 0;
  for (let kill = 0; kill < KILLS; kill++) {
    // A burst of keyed requests, new keys and retries of earlier ones, with the process killed
    // somewhere inside it.
    const burst = Array.from({ length: 60 }, () =>
      next < KEYS && random() < 0.8 ? next++ : Math.floor(random() * Math.max(next, 1)),
    );
    const killAt = 5 + Math.floor(random() * 40);
    const results = burst.map(async (i, n) => {
      await new Promise((resolve) => setTimeout(resolve, n * 3));
      figures.requests++;
      return [i, await send(i)] as const;
    });
    await new Promise((resolve) => setTimeout(resolve, killAt * 3));
    api.child.kill('SIGKILL');
    figures.kills++;
    for (const [i, reply] of await Promise.all(results)) {
      if (reply.status === 0) figures.cutOff++;
      else if (reply.status === 201 || reply.status === 200) record(i, reply.body.caseId);
    }
    if (api.child.exitCode === null && api.child.signalCode === null)
      await new Promise((resolve) => api.child.once('exit', resolve));
    api = await start();
  }
  // Every key, retried until it answers: a request cut off by a kill leaves a reservation that
  // must expire (the lease: 1 s here) and then resolve to the one change, made or not.
  for (let i = 0; i < KEYS; i++) {
    for (let attempt = 0; ; attempt++) {
      figures.requests++;
      const reply = await send(i);
      if (reply.status === 201 || reply.status === 200) {
        if (reply.body && caseIdOf.has(i)) figures.replayed++;
        record(i, reply.body.caseId);
        break;
      }
      expect(reply.status).toBe(409); // IDEMPOTENCY.IN_PROGRESS, until the lease runs out
      figures.inProgress++;
      if (attempt > 40) throw new Error(`key ${i} is stuck: ${JSON.stringify(reply.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await stopProcess(api.child);

  function record(i: number, caseId: string) {
    expect(typeof caseId).toBe('string');
    if (caseIdOf.has(i)) expect({ key: i, caseId }).toEqual({ key: i, caseId: caseIdOf.get(i) });
    else caseIdOf.set(i, caseId);
  }

  const store = new SqliteEventStore({ path });
  const requested = new Map<string, number>();
  for (let from = 1; ;) {
    const batch = await store.readAll({ fromPosition: from, limit: 1000 });
    if (batch.length === 0) break;
    for (const event of batch)
      if (event.type === 'AssistanceRequested') {
        const text = String((event.data as { description?: string }).description);
        requested.set(text, (requested.get(text) ?? 0) + 1);
      }
    from = batch[batch.length - 1].globalPosition + 1;
  }
  await store.close();
  const doubled = [...requested].filter(([, n]) => n > 1);
  const lost = Array.from({ length: KEYS }, (_, i) => i).filter(
    (i) => !requested.has(`Keyed request number ${i}`),
  );
  const summary = {
    ...figures,
    keys: KEYS,
    resolved: caseIdOf.size,
    distinctCases: new Set(caseIdOf.values()).size,
    stuck: KEYS - caseIdOf.size,
    doubled: doubled.length,
    lost: lost.length,
  };
  mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
  writeFileSync(join(ROOT, 'test-artifacts', 'keyed-crash.json'), JSON.stringify(summary, null, 2));
  console.log(`keyed crash run: ${JSON.stringify(summary)}`);
  expect(summary).toMatchObject({
    resolved: KEYS,
    distinctCases: KEYS,
    stuck: 0,
    doubled: 0,
    lost: 0,
  });
  expect(figures.kills).toBe(KILLS);
  expect(figures.cutOff).toBeGreaterThan(0); // the kills did cut requests off
});
