import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';

/** What every benchmark records about the machine it ran on. */
export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** Runs `script` again in a child process with `args` (so its peak RSS is its own) and returns its RESULT line. */
export function runInChild<T>(script: string, args: string[], label: string): T {
  console.log(`${label}…`);
  const output = execFileSync(process.execPath, [...process.execArgv, script, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`${label} printed no result`);
  return JSON.parse(line.slice('RESULT '.length)) as T;
}

/** The child's side: print the result with the process's peak RSS. */
export function printResult(result: object): void {
  process.stdout.write(
    `RESULT ${JSON.stringify({ ...result, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
  );
}

/** Writes bench/results/<name>.json with the run's time and machine. */
export function writeReport(name: string, body: object): void {
  const dir = resolve(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const out = resolve(dir, `${name}.json`);
  writeFileSync(
    out,
    `${JSON.stringify({ benchmark: name, ranAt: new Date().toISOString(), machine: machine(), ...body }, null, 2)}\n`,
  );
  console.log(`written to ${out}`);
}

/** The middle value (the upper one of the two middles for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
