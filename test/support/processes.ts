import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Keystone's compiled entry points, run as their own processes, as tests and benchmarks start them. */

export const ROOT = resolve(__dirname, '../..');
export const REGISTER_PATHS = join(ROOT, 'scripts/register-paths.js');
export type KeystoneApp = 'api' | 'worker' | 'cli';

/** The compiled entry point of an app; fails loudly when the build has not run. */
export function compiledApp(app: KeystoneApp): string {
  const script = join(ROOT, `dist/apps/${app}/src/main.js`);
  if (!existsSync(script))
    throw new Error(`${script} is missing: run \`npm run build\` first (npm test does)`);
  return script;
}

/**
 * The load, crash and scale tests and the benchmarks drive one API from one address with a few
 * tokens, far past any per-client limit: they measure Keystone, not its limiter (which
 * test/e2e/rate-limits tests on its own).
 */
export const NO_RATE_LIMITS = {
  KEYSTONE_RATE_LIMIT_PER_ADDRESS: '10000000',
  KEYSTONE_RATE_LIMIT_PER_CALLER: '10000000',
};

/**
 * Workers started by tests take no scheduled checkpoint (each would sign with a key made in ./data):
 * test/reliability/checkpoint-schedule tests the schedule on its own, with a key of its own.
 */
const NO_SCHEDULED_CHECKPOINTS = { KEYSTONE_CHECKPOINT_EVERY_MINUTES: '0' };

export function spawnApp(
  app: KeystoneApp,
  options: { args?: readonly string[]; env?: Record<string, string>; stdio?: StdioOptions } = {},
): ChildProcess {
  return spawn(
    process.execPath,
    ['-r', REGISTER_PATHS, compiledApp(app), ...(options.args ?? [])],
    {
      cwd: ROOT,
      env: { ...process.env, ...NO_RATE_LIMITS, ...NO_SCHEDULED_CHECKPOINTS, ...options.env },
      stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
    },
  );
}

/**
 * Starts an app; `ready` resolves once it prints one of `readyOn` (on stdout or stderr), or when it is
 * killed by a signal, or (with `exitZeroIsReady`, for a command that may finish first) exits 0. Any
 * other exit rejects with everything it printed.
 */
export function launchApp(
  app: KeystoneApp,
  options: {
    args?: readonly string[];
    env: Record<string, string>;
    readyOn: readonly string[];
    exitZeroIsReady?: boolean;
  },
): { child: ChildProcess; ready: Promise<void>; output: () => string } {
  const child = spawnApp(app, options);
  let output = '';
  const ready = new Promise<void>((resolveReady, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.readyOn.some((text) => output.includes(text))) resolveReady();
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code, signal) =>
      signal || (options.exitZeroIsReady && code === 0)
        ? resolveReady()
        : reject(new Error(`${app} exited ${code}: ${output}`)),
    );
  });
  return { child, ready, output: () => output };
}

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
