import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@keystone/event-store/adapters';
import { assertBuilt, keystone } from './cli-harness';

describe('keystone replay, impact and panel --as-of, run as a user would', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keystone-replay-'));
  const env = { KEYSTONE_SQLITE_PATH: join(dir, 'keystone.db') };
  beforeAll(() => {
    assertBuilt();
    expect(keystone(['demo', '--year', '2025'], env).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replays the read models up to a position into a separate file, leaving the live ones alone', async () => {
    const out = join(dir, 'replay.db');
    const run = keystone(['replay', '--to', '100', '--out', out, '--json'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).results).toEqual([{ projection: 'cases', position: 100 }]);
    const log = new SqliteEventStore({ path: env.KEYSTONE_SQLITE_PATH });
    const casesBy100 = (await log.readAll({ limit: 100, types: ['AssistanceRequested'] })).filter(
      (e) => e.globalPosition <= 100,
    ).length;
    await log.close();
    const replayed = new Database(out, { readonly: true });
    expect(replayed.prepare('SELECT count(*) AS n FROM rm_cases').get()).toEqual({ n: casesBy100 });
    replayed.close();
    const live = new Database(env.KEYSTONE_SQLITE_PATH, { readonly: true });
    expect(
      live.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'rm_cases'").get(),
    ).toEqual({ n: 0 }); // nothing touched
    live.close();
  });

  it('gives impact and the panel as of a past moment (by recorded time)', async () => {
    const log = new SqliteEventStore({ path: env.KEYSTONE_SQLITE_PATH });
    const [early] = await log.readAll({ fromPosition: 100, limit: 1 });
    await log.close();
    const now = JSON.parse(keystone(['panel', '--year', '2025', '--format', 'json'], env).stdout);
    const midYear = JSON.parse(
      keystone(
        ['panel', '--year', '2025', '--format', 'json', '--as-of', early.metadata.recordedAt],
        env,
      ).stdout,
    );
    expect(midYear.totals.received).toBeGreaterThan(0);
    expect(midYear.totals.received).toBeLessThan(now.totals.received);
    expect(midYear.provenance.logPosition).toBeLessThan(now.provenance.logPosition);
    const impact = keystone(['impact', '--year', '2025', '--json'], env);
    expect(impact.code).toBe(0);
    expect(JSON.parse(impact.stdout)).toMatchObject({
      cases: now.totals.received,
      shareWithOffer: expect.any(Number),
    });
    expect(keystone(['panel', '--format', 'json'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--year is required'),
    });
  });
});
