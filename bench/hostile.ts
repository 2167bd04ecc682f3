/**
 * Hostile burst beside a well-behaved client (issue "nobody in who does not belong"): the API runs
 * as `npm start` runs it (its own process, embedded SQLite, default limits). One client, from
 * 127.0.0.1, reads and writes at a steady pace; an attacker on another loopback address (127.0.0.2,
 * one machine) opens 50 connections and sends 2,000 hostile requests: bodies of 60,000 unknown keys,
 * bodies nested 1,314 deep, forged tokens. Prints the good client's latency before and during the
 * burst and what the attacker was answered; writes bench/results/hostile.json.
 * Run with `npm run bench:hostile` (builds first). Traffic stays on loopback and stops by itself.
 */
import { request, Agent } from 'node:http';
import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/local-services';
import { spawnApp } from '../test/support/processes';
import { BENCH_SECRET, mintTokens, percentile, round, waitUntilUp } from './support/case-load';
import { machine, writeReport } from './support/report';

const ATTACKER_CONNECTIONS = 50;
const HOSTILE_REQUESTS = 2_000;
const BASELINE_MS = 10_000;
/** Bursts, each from a fresh address, so the good client's p99 rests on enough samples. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);

/** The attacker (plain JavaScript, run on a worker thread): 50 connections from 127.0.0.2. */
const ATTACKER = `
const { request, Agent } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { port, provider, connections, requests, address } = workerData;
const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 60000 }, (_, i) => ['k' + i, 1])));
const deep = '{"a":'.repeat(1314) + '1' + '}'.repeat(1314);
const hostile = [
  { path: '/cases', body: wide, token: provider },
  { path: '/cases', body: deep, token: provider },
  { path: '/trust-fund/contributions', body: '{}', token: 'forged.token.value' },
];
const agent = new Agent({ keepAlive: true, maxSockets: connections });
const statuses = {};
let sent = 0;
const one = (h) => new Promise((resolve) => {
  const req = request({ host: '127.0.0.1', port, method: 'POST', path: h.path, agent, localAddress: address,
    headers: { authorization: 'Bearer ' + h.token, 'content-type': 'application/json' } }, (res) => {
      res.resume(); res.on('end', () => resolve(res.statusCode)); });
  // A connection the server closed before reading the body counts as refused (status 0).
  req.on('error', () => resolve(0));
  req.end(h.body);
});
const started = Date.now();
Promise.all(Array.from({ length: connections }, async () => {
  while (sent < requests) {
    const status = await one(hostile[sent++ % hostile.length]);
    statuses[status] = (statuses[status] || 0) + 1;
  }
})).then(() => { agent.destroy(); parentPort.postMessage({ statuses, seconds: (Date.now() - started) / 1000 }); });
`;

interface Reply {
  readonly status: number;
  readonly ms: number;
}

function send(
  port: number,
  agent: Agent,
  localAddress: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Reply> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, agent, localAddress, headers },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keystone-bench-hostile-'));
  const port = await freePort();
  // The limits are the defaults: this measures Keystone as shipped.
  const api = spawnApp('api', {
    env: {
      PORT: String(port),
      KEYSTONE_SQLITE_PATH: join(dir, 'keystone.db'),
      KEYSTONE_AUTH_SECRET: BENCH_SECRET,
      KEYSTONE_REDIS_URL: 'redis://127.0.0.1:1',
      KEYSTONE_RATE_LIMIT_PER_ADDRESS: '',
      KEYSTONE_RATE_LIMIT_PER_CALLER: '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitUntilUp(`http://127.0.0.1:${port}`);
    const tokens = await mintTokens();
    const good = new Agent({ keepAlive: true, maxSockets: 1 });
    const json = { authorization: `Bearer ${tokens.officer}`, 'content-type': 'application/json' };
    const created = await fetch(`http://127.0.0.1:${port}/cases`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        state: 'MWI',
        themes: ['Torture prevention'],
        description: 'Set up an NPM',
        supportSought: 'Advice',
        recommendations: [{ source: 'upr', reference: 'r1', text: 'Establish an NPM' }],
      }),
    }).then((r) => r.json() as Promise<{ caseId: string }>);

    /** The well-behaved client: ten reads a second (a person clicking through pages is fewer). */
    const wellBehaved = async (until: () => boolean): Promise<number[]> => {
      const ms: number[] = [];
      for (let i = 0; !until(); i++) {
        const path = i % 2 === 0 ? `/cases/${created.caseId}` : '/trust-fund';
        const reply = await send(port, good, '127.0.0.1', 'GET', path, json);
        if (reply.status !== 200) throw new Error(`the good client got ${reply.status}`);
        ms.push(reply.ms);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - reply.ms)));
      }
      return ms.sort((a, b) => a - b);
    };

    const baselineEnd = Date.now() + BASELINE_MS;
    const baseline = await wellBehaved(() => Date.now() > baselineEnd);

    // Each round, a fresh attacker (another loopback address) on a thread of its own, so its work
    // never delays the good client's clock; the good client reads on throughout.
    const rounds: { address: string; statuses: Record<number, number>; seconds: number }[] = [];
    const during: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const address = `127.0.0.${2 + round}`;
      const attack = new Promise<{ statuses: Record<number, number>; seconds: number }>(
        (resolve, reject) => {
          const worker = new Worker(ATTACKER, {
            eval: true,
            workerData: {
              port,
              address,
              provider: tokens.provider,
              connections: ATTACKER_CONNECTIONS,
              requests: HOSTILE_REQUESTS,
            },
          });
          worker.once('message', resolve);
          worker.once('error', reject);
        },
      );
      let attacking = true;
      void attack.then(() => (attacking = false));
      during.push(...(await wellBehaved(() => !attacking)));
      rounds.push({ address, ...(await attack) });
    }
    during.sort((a, b) => a - b);
    good.destroy();
    const statuses: Record<number, number> = {};
    for (const r of rounds)
      for (const [status, n] of Object.entries(r.statuses))
        statuses[Number(status)] = (statuses[Number(status)] ?? 0) + n;
    const burstSeconds = rounds.reduce((sum, r) => sum + r.seconds, 0);

    const figures = (sorted: number[]) => ({
      requests: sorted.length,
      p50Ms: round(percentile(sorted, 50)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted[sorted.length - 1] ?? 0),
    });
    const result = {
      machine: machine(),
      limits: 'defaults (KEYSTONE_RATE_LIMIT_PER_ADDRESS, KEYSTONE_RATE_LIMIT_PER_CALLER)',
      attacker: {
        rounds: rounds.map((r) => ({ ...r, seconds: round(r.seconds) })),
        connectionsPerRound: ATTACKER_CONNECTIONS,
        requestsPerRound: HOSTILE_REQUESTS,
        answeredByStatus: statuses,
        rateLimited429: statuses[429] ?? 0,
        closedBeforeReadingTheBody: statuses[0] ?? 0,
      },
      wellBehavedClient: {
        address: '127.0.0.1',
        baseline: figures(baseline),
        duringBurst: figures(during),
        goalP99Ms: 50,
      },
    };
    console.table({
      'good client, before': result.wellBehavedClient.baseline,
      'good client, during burst': result.wellBehavedClient.duringBurst,
    });
    console.log(
      `attacker: ${ROUNDS} rounds of ${HOSTILE_REQUESTS} requests over ${ATTACKER_CONNECTIONS} connections (${round(burstSeconds)} s in all), answered ${JSON.stringify(statuses)}`,
    );
    writeReport('hostile', result);
  } finally {
    api.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
