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
    expect(JSON.parse(run.stdout).results).toEqual([
      { projection: 'cases', position: 100 },
      { projection: 'experts', position: 100 },
      { projection: 'sessions', position: 100 },
    ]);
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

  it("answers the README's walk-through about 2025 in business time, where recorded time is empty", async () => {
    // The demo keys its 2025 events in today: by recorded time nothing was known at the end of 2025,
    // by business time the whole year had taken effect. Each command says which it answers.
    const endOf2025 = '2025-12-31T23:59:59Z';
    const recorded = JSON.parse(
      keystone(['impact', '--year', '2025', '--as-of', endOf2025, '--json'], env).stdout,
    );
    expect(recorded.cases).toBe(0);
    const effective = JSON.parse(
      keystone(['impact', '--year', '2025', '--as-of-effective', endOf2025, '--json'], env).stdout,
    );
    const now = JSON.parse(keystone(['impact', '--year', '2025', '--json'], env).stdout);
    expect(effective.cases).toBeGreaterThan(0);
    expect(effective.cases).toBe(now.cases);
    expect(effective.asOfEffective).toBe('2025-12-31T23:59:59.000Z');

    const panel = JSON.parse(
      keystone(['panel', '--year', '2025', '--as-of-effective', endOf2025, '--format', 'json'], env)
        .stdout,
    );
    expect(panel.totals.received).toBe(effective.cases);
    expect(panel.provenance.asOfEffective).toBe('2025-12-31T23:59:59.000Z');

    const out = join(dir, 'effective.db');
    const run = keystone(['replay', '--to-effective', endOf2025, '--out', out, '--json'], env);
    expect(run.code).toBe(0);
    const replayed = new Database(out, { readonly: true });
    expect(replayed.prepare('SELECT count(*) AS n FROM rm_cases').get()).toEqual({
      n: effective.cases,
    });
    replayed.close();
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

  it('gives the same answer for one instant written in Z and with an offset, in panel, impact and replay', async () => {
    const log = new SqliteEventStore({ path: env.KEYSTONE_SQLITE_PATH });
    const [early] = await log.readAll({ fromPosition: 150, limit: 1 });
    await log.close();
    const zulu = early.metadata.recordedAt; // e.g. 2026-…T…:…:….123Z
    const offset = new Date(Date.parse(zulu) + 5 * 3_600_000).toISOString().replace('Z', '+05:00');
    const panelAt = (at: string) =>
      JSON.parse(
        keystone(['panel', '--year', '2025', '--format', 'json', '--as-of', at], env).stdout,
      );
    const impactAt = (at: string) =>
      JSON.parse(keystone(['impact', '--json', '--as-of', at], env).stdout);
    const [pz, po] = [panelAt(zulu), panelAt(offset)];
    expect({ ...po.provenance, computedAt: 0 }).toEqual({ ...pz.provenance, computedAt: 0 });
    expect(po.totals).toEqual(pz.totals);
    expect(impactAt(offset)).toEqual(impactAt(zulu));
    const replayAt = (at: string, out: string) =>
      JSON.parse(keystone(['replay', '--to', at, '--out', join(dir, out), '--json'], env).stdout)
        .results;
    expect(replayAt(offset, 'o.db')).toEqual(replayAt(zulu, 'z.db'));
    expect(keystone(['impact', '--as-of', '2026-W01-1'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('ISO 8601 date-time with an offset'),
    });
  });
});
