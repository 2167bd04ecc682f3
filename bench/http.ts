/**
 * HTTP benchmark: a realistic mix of case commands (request, consent, screen, offer, match, deploy,
 * report) driven through the API on the embedded SQLite store. The API runs as its own process (as
 * `npm start` runs it); this process is the load. Beside it, the floor: the same load on the chosen
 * stack at its thinnest (bench/support/http-floor.ts), what no Keystone command can pass on this
 * machine. Prints a table and writes bench/results/http.json.
 * Run with `npm run bench:http` (builds first).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/local-services';
import { compiledApp, NO_RATE_LIMITS, REGISTER_PATHS, spawnApp } from '../test/support/processes';
import {
  BENCH_SECRET as SECRET,
  lifecycle,
  mintTokens,
  percentile,
  registerExpert,
  round,
  waitUntilUp,
  type Sample,
  registerBenchProvider,
} from './support/case-load';
import { writeReport } from './support/report';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 20) * 1000;
const WARMUP_MS = 3000;

/** One server under the load: Keystone's API, or the floor (the stack at its thinnest). */
type Server = 'keystone' | 'floor';

function start(server: Server, port: number, dir: string): ChildProcess {
  const env = {
    PORT: String(port),
    KEYSTONE_SQLITE_PATH: join(dir, 'keystone.db'),
    KEYSTONE_AUTH_SECRET: SECRET,
    KEYSTONE_REDIS_URL: 'redis://127.0.0.1:1',
  };
  if (server === 'floor')
    return spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        join(__dirname, 'support', 'http-floor.ts'),
        String(port),
        join(dir, 'floor.db'),
      ],
      { cwd: join(__dirname, '..'), stdio: ['ignore', 'ignore', 'inherit'] },
    );
  // BENCH_API_PROFILE=<dir>: the API writes a CPU profile there when it stops.
  return process.env.BENCH_API_PROFILE
    ? spawn(
        process.execPath,
        [
          '--cpu-prof',
          `--cpu-prof-dir=${process.env.BENCH_API_PROFILE}`,
          '-r',
          REGISTER_PATHS,
          compiledApp('api'),
        ],
        {
          env: { ...process.env, ...NO_RATE_LIMITS, ...env },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      )
    : spawnApp('api', { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The case mix from CONCURRENCY clients for DURATION_MS after a warm-up, on a fresh server. */
async function measure(server: Server): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'keystone-bench-http-'));
  const port = await freePort();
  const api = start(server, port, dir);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(base);
    const tokens = await mintTokens();
    await registerBenchProvider(base, tokens.officer);
    const experts = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => registerExpert(base, tokens.officer)),
    );
    const samples: Sample[] = [];
    let measuring = false;
    const started = Date.now();
    setTimeout(() => (measuring = true), WARMUP_MS);
    let measureStart = 0;
    let cpuAtStart = 0;
    const deadline = started + WARMUP_MS + DURATION_MS;
    await Promise.all(
      experts.map(async (expertId, worker) => {
        for (let round = 0; Date.now() < deadline; round++) {
          if (measuring && measureStart === 0) {
            measureStart = Date.now();
            cpuAtStart = cpuSecondsOf(api.pid!);
          }
          await lifecycle(
            base,
            tokens,
            expertId,
            worker,
            round,
            (sample) => measuring && samples.push(sample),
          );
        }
      }),
    );
    const apiCpuSeconds = cpuSecondsOf(api.pid!) - cpuAtStart;
    const seconds = (Date.now() - measureStart) / 1000;
    return summary(samples, seconds, apiCpuSeconds);
  } finally {
    api.kill('SIGTERM');
    await new Promise((resolve) => api.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // The floor first, then Keystone: the report's figures are Keystone's, the floor beside them.
  const floor = await measure('floor');
  const keystone = await measure('keystone');
  report(keystone, floor);
}

/**
 * The CPU time (user and system, all its threads) a process has used, from /proc. Per command it is
 * steadier than commands/s on a shared VM: time the VM's CPU is taken away counts in neither.
 */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

type Measured = ReturnType<typeof summary>;

function summary(samples: Sample[], seconds: number, apiCpuSeconds: number) {
  const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
  const byCommand = Object.fromEntries(
    [...new Set(samples.map((s) => s.command))].map((command) => {
      const ms = samples
        .filter((s) => s.command === command)
        .map((s) => s.ms)
        .sort((a, b) => a - b);
      return [
        command,
        { count: ms.length, p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)) },
      ];
    }),
  );
  return {
    commands: samples.length,
    seconds: round(seconds),
    commandsPerSecond: Math.round(samples.length / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    errors: samples.filter((s) => !s.ok).length,
    apiCpuMicrosecondsPerCommand: Math.round((apiCpuSeconds * 1e6) / samples.length),
    byCommand,
  };
}

function report(keystone: Measured, floor: Measured): void {
  const result = {
    setup: `API process on the embedded SQLite store; ${CONCURRENCY} concurrent clients in a second process, each running request→consent→screen→offer→match→deploy→report; ${WARMUP_MS / 1000} s warm-up not counted. The floor: the same load on bench/support/http-floor.ts (NestJS on express, a ValidationPipe, one SQLite transaction per command; no auth, decider, hashes or projections), run just before`,
    goals: { commandsPerSecond: 2000, p99Ms: 25, errors: 0 },
    ...keystone,
    floor: { ...floor, byCommand: undefined },
    keystoneOverFloor: round(keystone.commandsPerSecond / floor.commandsPerSecond),
  };
  const row = (server: string, m: Measured) => ({
    server,
    'commands/s': m.commandsPerSecond,
    'p50 ms': m.p50Ms,
    'p99 ms': m.p99Ms,
    errors: m.errors,
    'API CPU µs/cmd': m.apiCpuMicrosecondsPerCommand,
    commands: m.commands,
    clients: CONCURRENCY,
  });
  console.table([row('keystone', keystone), row('floor', floor)]);
  console.table(keystone.byCommand);
  writeReport('http', result);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
