import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_VARIABLES, loadConfig } from '@keystone/config';

/** docker-compose.yml cannot run here (no Docker engine): this keeps it honest with the code. */
describe('docker-compose.yml', () => {
  const compose = readFileSync(resolve(__dirname, '../../docker-compose.yml'), 'utf8');

  function environmentOf(anchorOrService: string): Record<string, string> {
    const block = compose.split(anchorOrService)[1] ?? '';
    const env: Record<string, string> = {};
    for (const line of block.split('\n').slice(1)) {
      const match = /^\s+([A-Z][A-Z0-9_]+):\s*'?([^']*)'?\s*$/.exec(line);
      if (match) env[match[1]] = match[2];
      else if (/^\S/.test(line) || /^ {2}[a-z]/.test(line)) break;
    }
    return env;
  }

  it('sets only variables the configuration code knows, and a valid postgres profile', () => {
    const shared = environmentOf('x-keystone-env: &keystone-env');
    expect(Object.keys(shared).length).toBeGreaterThan(3);
    for (const name of Object.keys(shared)) expect(Object.keys(CONFIG_VARIABLES)).toContain(name);
    const config = loadConfig({ ...shared, HOST: '0.0.0.0', PORT: '3000' });
    expect(config.store).toMatchObject({
      kind: 'postgres',
      url: 'postgres://keystone:keystone@postgres:5432/keystone',
    });
    expect(config.redisUrl).toBe('redis://redis:6379');
  });

  it('runs postgres, redis, kurrentdb, two api and two worker instances', () => {
    for (const service of [
      'postgres',
      'redis',
      'kurrentdb',
      'api-1',
      'api-2',
      'worker-1',
      'worker-2',
    ]) {
      expect(compose).toMatch(new RegExp(`^  ${service}:( &\\w+)?$`, 'm'));
    }
  });
});
