import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_VARIABLES, loadConfig } from '@keystone/config';

/** docker-compose.yml cannot run here (no Docker engine): this keeps it honest with the code. */
describe('docker-compose.yml', () => {
  const compose = readFileSync(resolve(__dirname, '../../docker-compose.yml'), 'utf8');

  /** The KEY: value lines of a block (an anchor or a service), compose's ${VAR:-default} resolved. */
  function environmentOf(
    anchorOrService: string,
    set: Record<string, string> = {},
  ): Record<string, string> {
    const start = compose.indexOf(`\n${anchorOrService}\n`);
    if (start < 0) throw new Error(`docker-compose.yml has no "${anchorOrService}"`);
    const env: Record<string, string> = {};
    for (const line of compose.slice(start + anchorOrService.length + 2).split('\n')) {
      if (/^\S/.test(line) || /^ {2}[a-z]/.test(line)) break;
      const match = /^\s+([A-Z][A-Z0-9_]+):\s*'?([^']*)'?\s*$/.exec(line);
      if (match) env[match[1]] = interpolate(match[2], set);
    }
    return env;
  }

  function interpolate(value: string, set: Record<string, string>): string {
    return value.replace(
      /\$\{([A-Z0-9_]+)(:-([^}]*)|:\?[^}]*)?\}/g,
      (_all, name: string, fallback: string | undefined, dflt: string | undefined) => {
        if (set[name] !== undefined) return set[name];
        if (fallback?.startsWith(':-')) return dflt ?? '';
        if (fallback?.startsWith(':?')) throw new Error(`${name} is required by compose`);
        return '';
      },
    );
  }

  const operator = { KEYSTONE_AUTH_SECRET: 'x'.repeat(40) };
  const shared = (set: Record<string, string> = {}) =>
    environmentOf('x-keystone-env: &keystone-env', { ...operator, ...set });
  const service = (name: string, set: Record<string, string> = {}) => ({
    ...shared(set),
    ...environmentOf(name, { ...operator, ...set }),
  });

  it('sets only variables the configuration code knows', () => {
    for (const block of [shared(), service('  api-1: &api'), service('  worker-1: &worker')]) {
      expect(Object.keys(block).length).toBeGreaterThan(3);
      for (const name of Object.keys(block)) expect(Object.keys(CONFIG_VARIABLES)).toContain(name);
    }
  });

  it('makes the operator set the signing secret, refusing to start without it', () => {
    expect(() => environmentOf('x-keystone-env: &keystone-env')).toThrow(
      /KEYSTONE_AUTH_SECRET is required/,
    );
  });

  it('gives the APIs the api role and the workers every other role, on the postgres log by default', () => {
    const api = loadConfig(service('  api-1: &api'));
    expect(api.store).toMatchObject({
      kind: 'postgres',
      url: 'postgres://keystone:keystone@postgres:5432/keystone',
    });
    expect(api.redisUrl).toBe('redis://redis:6379');
    expect(api.http).toMatchObject({ host: '0.0.0.0', port: 3000 });
    expect(api.roles).toEqual({
      api: true,
      projections: false,
      reactors: false,
      processors: false,
    });
    expect(loadConfig(service('  worker-1: &worker')).roles).toEqual({
      api: false,
      projections: true,
      reactors: true,
      processors: true,
    });
  });

  it('switches the log to the KurrentDB node with KEYSTONE_STORE=kurrentdb, read models staying in PostgreSQL', () => {
    const config = loadConfig(service('  api-1: &api', { KEYSTONE_STORE: 'kurrentdb' }));
    expect(config.store).toEqual({
      kind: 'kurrentdb',
      url: 'kurrentdb://kurrentdb:2113?tls=false',
      namespace: '',
      companion: {
        url: 'postgres://keystone:keystone@postgres:5432/keystone',
        schema: 'public',
        poolSize: 10,
        statementTimeoutMs: 5000,
        connectTimeoutMs: 3000,
      },
    });
  });

  it('runs postgres, redis, a kurrentdb node, two api and two worker instances, each with a health check', () => {
    for (const name of ['postgres', 'redis', 'kurrentdb', 'api-1', 'worker-1']) {
      const block = compose.split(new RegExp(`^  ${name}:.*$`, 'm'))[1].split(/^ {2}[a-z]/m)[0];
      expect({ name, healthcheck: /\n {4}healthcheck:\n/.test(block) }).toEqual({
        name,
        healthcheck: true,
      });
    }
    for (const name of ['api-2', 'worker-2'])
      expect(compose).toMatch(new RegExp(`^  ${name}:\\n    <<: \\*(api|worker)$`, 'm'));
    expect(compose).not.toMatch(/profiles:/); // the KurrentDB node runs with the rest
  });
});

describe("README's configuration table", () => {
  const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
  const table = new Set([...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)`/gm)].map((match) => match[1]));

  it('lists every variable the code knows, and none it does not', () => {
    expect([...table].sort()).toEqual(Object.keys(CONFIG_VARIABLES).sort());
  });
});

/** The image is built and run on Node 24 LTS, with the better-sqlite3 that `npm run test:node24` tests. */
describe('Dockerfile', () => {
  const dockerfile = readFileSync(resolve(__dirname, '../../Dockerfile'), 'utf8');
  const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8'));

  it('builds and runs every stage on Node 24 LTS', () => {
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const base of bases) expect(base).toBe('node:24-bookworm-slim');
    expect(pkg.keystone.node24.node).toMatch(/^24\.\d+\.\d+$/);
  });

  it('takes the Node 24 better-sqlite3 from package.json, and engines allow Node 20 and 24', () => {
    expect(dockerfile).toContain(`keystone.node24['better-sqlite3']`);
    expect(pkg.keystone.node24['better-sqlite3']).toMatch(/^13\./);
    expect(pkg.engines.node).toBe('^20.12 || ^24');
  });
});
