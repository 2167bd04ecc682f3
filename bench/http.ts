/**
 * HTTP benchmark: a realistic mix of case commands (request, consent, screen, offer, match, deploy,
 * report) driven through the API on the embedded SQLite store. The API runs as its own process (as
 * `npm start` runs it); this process is the load. Prints a table and writes bench/results/http.json.
 * Run with `npm run bench:http` (builds first).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signLocalToken } from '@keystone/access';
import { freePort } from '../test/support/local-services';
import { writeReport } from './support/report';

const SECRET = 'bench-secret-'.padEnd(48, 'b');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 20) * 1000;
const WARMUP_MS = 3000;

interface Sample {
  readonly command: string;
  readonly ms: number;
  readonly ok: boolean;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keystone-bench-http-'));
  const port = await freePort();
  const api = spawn(
    process.execPath,
    ['-r', './scripts/register-paths.js', 'dist/apps/api/src/main.js'],
    {
      cwd: resolve(__dirname, '..'),
      env: {
        ...process.env,
        PORT: String(port),
        KEYSTONE_SQLITE_PATH: join(dir, 'keystone.db'),
        KEYSTONE_AUTH_SECRET: SECRET,
        KEYSTONE_REDIS_URL: 'redis://127.0.0.1:1',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(base);
    const tokens = await mintTokens();
    const experts = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => registerExpert(base, tokens.officer)),
    );
    const samples: Sample[] = [];
    let measuring = false;
    const started = Date.now();
    setTimeout(() => (measuring = true), WARMUP_MS);
    let measureStart = 0;
    const deadline = started + WARMUP_MS + DURATION_MS;
    await Promise.all(
      experts.map(async (expertId, worker) => {
        for (let round = 0; Date.now() < deadline; round++) {
          if (measuring && measureStart === 0) measureStart = Date.now();
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
    const seconds = (Date.now() - measureStart) / 1000;
    report(samples, seconds);
  } finally {
    api.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function lifecycle(
  base: string,
  t: Awaited<ReturnType<typeof mintTokens>>,
  expertId: string,
  worker: number,
  round: number,
  record: (s: Sample) => void,
): Promise<void> {
  const send = async (
    command: string,
    method: string,
    path: string,
    token: string,
    body: unknown,
  ) => {
    const start = process.hrtime.bigint();
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, string>;
    record({ command, ms: Number(process.hrtime.bigint() - start) / 1e6, ok: response.ok });
    if (!response.ok) throw new Error(`${command}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { caseId } = await send('request', 'POST', '/cases', t.focal, {
    state: 'MWI',
    themes: ['torture-prevention'],
    description: 'National preventive mechanism',
    supportSought: 'Expert advice',
    recommendations: [{ source: 'upr', reference: 'A/HRC/53/10, 121.4', text: 'Establish an NPM' }],
    occurredAt: '2026-01-10T00:00:00.000Z',
  });
  await send('consent', 'POST', `/cases/${caseId}/consent`, t.focal, {});
  await send('screen', 'POST', `/cases/${caseId}/screening`, t.member, { decision: 'accepted' });
  const { offerId } = await send('offer', 'POST', `/cases/${caseId}/offers`, t.provider, {
    offered: 'Two experts',
    funding: 'provider',
  });
  await send('match', 'POST', `/cases/${caseId}/offers/${offerId}/match`, t.focal, {});
  // One-day deployments on distinct days, so each worker's expert stays free.
  const day = new Date(Date.UTC(2027, 0, 1) + round * 86_400_000).toISOString().slice(0, 10);
  await send('deploy', 'POST', `/cases/${caseId}/deployments`, t.officer, {
    offerId,
    expertId,
    startDate: day,
    endDate: day,
    funding: 'provider',
  });
  await send('report', 'POST', `/cases/${caseId}/progress-reports`, t.focal, {
    progress: [
      { reference: 'A/HRC/53/10, 121.4', status: 'in-progress', narrative: `worker ${worker}` },
    ],
  });
}

async function mintTokens() {
  const settings = { mode: 'local' as const, secret: SECRET, issuer: 'keystone-local' };
  return {
    officer: await signLocalToken(settings, { sub: 'officer:bench', role: 'case-officer' }),
    focal: await signLocalToken(settings, {
      sub: 'focal:mwi',
      role: 'state-focal-point',
      state: 'MWI',
    }),
    member: await signLocalToken(settings, {
      sub: 'member:af',
      role: 'committee-member',
      region: 'african',
    }),
    provider: await signLocalToken(settings, {
      sub: 'prov:nor',
      role: 'provider',
      provider: 'prov:nor',
      provider_kind: 'state',
      provider_state: 'NOR',
    }),
  };
}

async function registerExpert(base: string, token: string): Promise<string> {
  const post = await fetch(`${base}/experts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Bench Expert',
      contact: 'bench@example.org',
      nationality: 'Kenya',
    }),
  });
  const { expertId } = (await post.json()) as { expertId: string };
  await fetch(`${base}/experts/${expertId}/availability`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ periods: [{ from: '2027-01-01', to: '2099-12-31' }] }),
  });
  return expertId;
}

async function waitUntilUp(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('The API did not come up');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function report(samples: Sample[], seconds: number): void {
  const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
  const errors = samples.filter((s) => !s.ok).length;
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
  const result = {
    setup: `API process on the embedded SQLite store; ${CONCURRENCY} concurrent clients in a second process, each running request→consent→screen→offer→match→deploy→report; ${WARMUP_MS / 1000} s warm-up not counted`,
    goals: { commandsPerSecond: 2000, p99Ms: 25, errors: 0 },
    commands: samples.length,
    seconds: round(seconds),
    commandsPerSecond: Math.round(samples.length / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    errors,
    byCommand,
  };
  console.table([
    {
      'commands/s': result.commandsPerSecond,
      'p50 ms': result.p50Ms,
      'p99 ms': result.p99Ms,
      errors,
      commands: samples.length,
      clients: CONCURRENCY,
    },
  ]);
  console.table(byCommand);
  writeReport('http', result);
}

const round = (n: number) => Math.round(n * 100) / 100;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
