import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'scripts/keystone.js');

export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/apps/cli/src/main.js')))
    throw new Error('dist/apps/cli is missing: run `npm run build` first (npm test does)');
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the `keystone` binary as a user would, with the environment given. */
export function keystone(
  args: string[],
  env: Record<string, string>,
  input?: string,
  cwd = ROOT,
): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    input,
    env: { ...process.env, KEYSTONE_REDIS_URL: 'redis://127.0.0.1:1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
