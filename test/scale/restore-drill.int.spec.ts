import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { type StreamAppend } from '@keystone/event-store';
import { PostgresEventStore } from '@keystone/event-store/adapters';
import { generateHistory } from '../../apps/cli/src/demo/history-generator';
import { testPostgresUrl, uniqueSchema } from '../support/test-env';

/** The restore drill run end to end on PostgreSQL, as an operator would run it. */
describe('infra/restore-drill.sh', () => {
  jest.setTimeout(120_000);

  it('backs up the log, restores it into an empty database, rebuilds and verifies', async () => {
    const schema = uniqueSchema('drill');
    const store = await PostgresEventStore.connect({ connectionString: testPostgresUrl(), schema });
    let pending: StreamAppend[] = [];
    for (const append of generateHistory({ seed: 5, cases: 80, steps: 800 })) {
      if (pending.some((p) => p.streamId === append.streamId))
        pending = (await store.appendMany(pending), []);
      pending.push({ ...append, expectedVersion: 'any' });
    }
    if (pending.length) await store.appendMany(pending);
    const events = await store.lastPosition();
    await store.close();

    const run = spawnSync('bash', [join(resolve(__dirname, '../..'), 'infra/restore-drill.sh')], {
      env: {
        ...process.env,
        KEYSTONE_POSTGRES_URL: testPostgresUrl(),
        KEYSTONE_POSTGRES_SCHEMA: schema,
      },
      encoding: 'utf8',
      timeout: 100_000,
    });
    expect({
      code: run.status,
      stderr: run.stderr
        .split('\n')
        .filter((l) => !l.startsWith('\r') && l.trim())
        .slice(-3),
    }).toMatchObject({ code: 0 });
    expect(run.stdout).toContain(`rebuilt cases up to position ${events}`);
    expect(run.stdout).toContain(`postgres: reachable, last position ${events}`);
    expect(run.stdout).toMatch(
      new RegExp(`verify: ${events} events in \\d+ streams, up to position ${events}`),
    );
    expect(run.stdout).toContain('verify: no break found');
    expect(run.stdout).toContain('restore-drill: passed');
  });
});
