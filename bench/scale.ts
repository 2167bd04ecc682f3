/**
 * Scale benchmark: the multi-instance topology of test/scale (APIs with KEYSTONE_ROLES=api, workers
 * with the other roles, one PostgreSQL log, one Redis), as 1 API + 1 worker and as 2 APIs + 2 workers,
 * each at increasing load (concurrent clients, spread over the APIs, each running whole case lives).
 * Per run: commands/s, p50/p99 latency, errors, and how long the workers took, once the load stopped,
 * to bring the read models level with the log. Prints a table and writes bench/results/scale.json.
 * Run with `npm run bench:scale` (builds first); on an otherwise idle machine.
 */
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { PostgresEventStore } from '@keystone/event-store/adapters';
import {
  ensureServiceBinaries,
  freePort,
  startPostgres,
  startRedis,
  type RunningService,
} from '../test/support/local-services';
import {
  BENCH_SECRET,
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
import { spawnApp, stopProcess as stop } from '../test/support/processes';

/** The services' own output is left out; their errors still show. */
const stdio: StdioOptions = ['ignore', 'ignore', 'inherit'];
const LOADS = (process.env.BENCH_CLIENTS ?? '8,32,64').split(',').map(Number);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 12) * 1000;
const WARMUP_MS = 2000;
const TOPOLOGIES = [
  { apis: 1, workers: 1 },
  { apis: 2, workers: 2 },
];

interface Run {
  readonly apis: number;
  readonly workers: number;
  readonly clients: number;
  readonly commands: number;
  readonly commandsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly readModelsLevelAfterSeconds: number;
}

async function main(): Promise<void> {
  const { postgresBin, redisServer } = ensureServiceBinaries();
  const postgres = await startPostgres(postgresBin, { durable: true });
  const redis = await startRedis(redisServer);
  const runs: Run[] = [];
  try {
    for (const topology of TOPOLOGIES) runs.push(...(await runTopology(topology, postgres, redis)));
  } finally {
    await redis.stop();
    await postgres.stop();
  }
  console.table(
    runs.map((r) => ({
      'api+worker': `${r.apis}+${r.workers}`,
      clients: r.clients,
      'commands/s': r.commandsPerSecond,
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      errors: r.errors,
      'read models level after s': r.readModelsLevelAfterSeconds,
    })),
  );
  writeReport('scale', {
    setup: `PostgreSQL (fsync on) and Redis started by the benchmark on loopback; compiled API processes with KEYSTONE_ROLES=api and worker processes with projections,reactors,processors, all on this machine; clients spread round-robin over the APIs, each running request→consent→screen→offer→match→deploy→report; ${WARMUP_MS / 1000} s warm-up, then ${DURATION_MS / 1000} s measured per load`,
    runs,
  });
}

async function runTopology(
  topology: { apis: number; workers: number },
  postgres: RunningService,
  redis: RunningService,
): Promise<Run[]> {
  const schema = `bench_scale_${topology.apis}_${topology.workers}_${Date.now()}`;
  const store = await PostgresEventStore.connect({
    connectionString: postgres.url,
    schema,
    poolSize: 2,
  });
  const common = {
    KEYSTONE_STORE: 'postgres',
    KEYSTONE_POSTGRES_URL: postgres.url,
    KEYSTONE_POSTGRES_SCHEMA: schema,
    KEYSTONE_AUTH_SECRET: BENCH_SECRET,
    KEYSTONE_REDIS_URL: redis.url,
    KEYSTONE_QUEUE_PREFIX: schema,
  };
  const ports = await Promise.all(Array.from({ length: topology.apis }, () => freePort()));
  const processes: ChildProcess[] = [
    ...ports.map((port) =>
      spawnApp('api', { env: { ...common, PORT: String(port), KEYSTONE_ROLES: 'api' }, stdio }),
    ),
    ...Array.from({ length: topology.workers }, () =>
      spawnApp('worker', {
        env: { ...common, KEYSTONE_ROLES: 'projections,reactors,processors' },
        stdio,
      }),
    ),
  ];
  const bases = ports.map((port) => `http://127.0.0.1:${port}`);
  try {
    await Promise.all(bases.map(waitUntilUp));
    const tokens = await mintTokens();
    await registerBenchProvider(bases[0], tokens.officer);
    const maxClients = Math.max(...LOADS);
    const experts = await Promise.all(
      Array.from({ length: maxClients }, (_, i) =>
        registerExpert(bases[i % bases.length], tokens.officer),
      ),
    );
    const rounds = new Array<number>(maxClients).fill(0); // deployment days run on across loads
    const runs: Run[] = [];
    for (const clients of LOADS) {
      console.log(`${topology.apis} api + ${topology.workers} worker, ${clients} clients…`);
      const samples: Sample[] = [];
      let measuring = false;
      const start = Date.now();
      const warm = setTimeout(() => (measuring = true), WARMUP_MS);
      const deadline = start + WARMUP_MS + DURATION_MS;
      let measureStart = 0;
      await Promise.all(
        Array.from({ length: clients }, async (_, client) => {
          while (Date.now() < deadline) {
            if (measuring && measureStart === 0) measureStart = Date.now();
            await lifecycle(
              bases[client % bases.length],
              tokens,
              experts[client],
              client,
              rounds[client]++,
              (sample) => measuring && samples.push(sample),
            ).catch(() => undefined); // counted as errors through the samples
          }
        }),
      );
      clearTimeout(warm);
      const seconds = (Date.now() - measureStart) / 1000;
      const stopped = Date.now();
      await readModelsLevel(store, schema);
      const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
      runs.push({
        ...topology,
        clients,
        commands: samples.length,
        commandsPerSecond: Math.round(samples.length / seconds),
        p50Ms: round(percentile(latencies, 50)),
        p99Ms: round(percentile(latencies, 99)),
        errors: samples.filter((s) => !s.ok).length,
        readModelsLevelAfterSeconds: round((Date.now() - stopped) / 1000),
      });
    }
    return runs;
  } finally {
    await Promise.all(processes.map(stop));
    await store.close();
  }
}

/** Waits until the cases projection's checkpoint has reached the end of the log. */
async function readModelsLevel(store: PostgresEventStore, schema: string): Promise<void> {
  const last = await store.lastPosition();
  for (let i = 0; i < 1200; i++) {
    const { rows } = await store.sqlPool.query<{ position: string }>(
      `SELECT position FROM ${schema}.projection_checkpoints WHERE name = 'cases'`,
    );
    if (Number(rows[0]?.position ?? 0) >= last) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('The workers did not bring the read models level within 60 s');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
