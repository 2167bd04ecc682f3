import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, keystone } from './cli-harness';

/** An auditor's tool must never give a clean bill for a log it did not read. */
describe('keystone run where no log is', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keystone-wrong-place-'));
  beforeAll(assertBuilt);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to open a log that does not exist, naming the path, and creates nothing', () => {
    const path = join(dir, 'nowhere', 'keystone.db');
    for (const command of [['verify'], ['status'], ['panel', '--year', '2025']]) {
      const run = keystone(command, { KEYSTONE_SQLITE_PATH: path });
      expect([command[0], run.code]).toEqual([command[0], 2]);
      expect(run.stderr).toContain(`no Keystone log at ${path}`);
    }
    expect(existsSync(path)).toBe(false);
  });

  it('does not pass a log of no event', () => {
    const path = join(dir, 'empty.db');
    const run = keystone(['verify', '--create'], { KEYSTONE_SQLITE_PATH: path });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('verify: 0 events in 0 streams');
    expect(run.stdout).toContain('nothing was verified (this is not a pass)');
  });
});
