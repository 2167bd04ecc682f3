import { spawnSync } from 'node:child_process';
import { compiledApp, REGISTER_PATHS, ROOT } from '../support/processes';

/** Each entry point plays only the roles KEYSTONE_ROLES gives it, and says so when it has none. */
const run = (entry: 'api' | 'worker', env: Record<string, string>) =>
  spawnSync(process.execPath, ['-r', REGISTER_PATHS, compiledApp(entry)], {
    cwd: ROOT,
    env: { ...process.env, KEYSTONE_SQLITE_PATH: ':memory:', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });

describe('process roles', () => {
  it('refuses to start the API when KEYSTONE_ROLES does not name api (exit 2, saying why)', () => {
    const result = run('api', { KEYSTONE_ROLES: 'projections,reactors' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('KEYSTONE_ROLES does not name api');
  });

  it('refuses to start a worker given only the api role', () => {
    const result = run('worker', { KEYSTONE_ROLES: 'api' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('KEYSTONE_ROLES gives the worker nothing to do');
  });

  it('refuses an unknown role in either', () => {
    for (const entry of ['api', 'worker'] as const) {
      const result = run(entry, { KEYSTONE_ROLES: 'api,cron' });
      expect({ entry, status: result.status }).toEqual({ entry, status: 2 });
      expect(result.stderr).toContain('KEYSTONE_ROLES must name one or more of');
    }
  });
});
