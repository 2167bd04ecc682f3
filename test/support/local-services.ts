import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Throwaway PostgreSQL and Redis for tests and benchmarks, started from Debian's binaries on
 * loopback and free ports, in temporary folders, and stopped after. No Docker.
 */

export const INSTALL_SCRIPT = resolve(__dirname, '../../infra/local/install-services.sh');

export interface RunningService {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Finds initdb/pg_ctl by looking, newest PostgreSQL first; never a hard-coded version. */
export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(root, versions[0], 'bin');
  }
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  return onPath ? resolve(onPath, '..') : null;
}

export function findRedisServer(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], {
    encoding: 'utf8',
  }).stdout.trim();
  return found || null;
}

/** Installs missing binaries with infra/local/install-services.sh, or fails naming it. */
export function ensureServiceBinaries(): { postgresBin: string; redisServer: string } {
  let postgresBin = findPostgresBin();
  let redisServer = findRedisServer();
  if ((!postgresBin || !redisServer) && process.env.KEYSTONE_NO_INSTALL !== '1') {
    const result = spawnSync('bash', [INSTALL_SCRIPT], { stdio: 'inherit' });
    if (result.status !== 0) {
      throw new Error(
        `${INSTALL_SCRIPT} failed (exit ${result.status}); install PostgreSQL and redis-server with it, as root`,
      );
    }
    postgresBin = findPostgresBin();
    redisServer = findRedisServer();
  }
  if (!postgresBin || !redisServer) {
    const missing = [
      !postgresBin && 'PostgreSQL (initdb, pg_ctl)',
      !redisServer && 'redis-server',
    ].filter(Boolean);
    throw new Error(
      `Missing ${missing.join(' and ')}: run ${INSTALL_SCRIPT} as root, then test again`,
    );
  }
  return { postgresBin, redisServer };
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** initdb refuses to run as root: as root, PostgreSQL's tools run as the postgres user. */
function runPostgresTool(bin: string, tool: string, args: string[]): void {
  const [command, commandArgs] = isRoot
    ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]]
    : [join(bin, tool), args];
  execFileSync(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface PostgresStartOptions {
  /** Durable settings (fsync on) for benchmarks; tests run faster without. */
  readonly durable?: boolean;
}

/** A PostgreSQL of a test's own, which the test may stop, restart, freeze and thaw. */
export interface PostgresService extends RunningService {
  /** pg_ctl stop -m fast: the server goes away, its data stays. */
  halt(): void;
  /** Starts the halted server again on the same port. */
  resume(): void;
  /** SIGSTOP to the postmaster and every backend: connections stay open and nothing answers. */
  freeze(): void;
  thaw(): void;
}

export async function startPostgres(
  bin: string,
  options: PostgresStartOptions = {},
): Promise<PostgresService> {
  const dir = mkdtempSync(join(tmpdir(), 'keystone-pg-'));
  const dataDir = join(dir, 'data');
  if (isRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const port = await freePort();
  runPostgresTool(bin, 'initdb', [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c max_connections=200',
    ...(options.durable
      ? []
      : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ].join(' ');
  const start = () =>
    runPostgresTool(bin, 'pg_ctl', [
      '-D',
      dataDir,
      '-o',
      settings,
      '-l',
      join(dir, 'postgres.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
  start();
  const serverPids = (): number[] => {
    const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], {
      encoding: 'utf8',
    })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
    return [postmaster, ...children];
  };
  const signalAll = (signal: NodeJS.Signals) => {
    if (!existsSync(join(dataDir, 'postmaster.pid'))) return; // halted: nothing to signal
    for (const pid of serverPids()) {
      try {
        process.kill(pid, signal);
      } catch {
        // a backend that ended meanwhile
      }
    }
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    halt: () => runPostgresTool(bin, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']),
    resume: start,
    freeze: () => signalAll('SIGSTOP'),
    thaw: () => signalAll('SIGCONT'),
    stop: async () => {
      try {
        if (existsSync(join(dataDir, 'postmaster.pid'))) {
          signalAll('SIGCONT');
          runPostgresTool(bin, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error(`No postgres user on this machine: run ${INSTALL_SCRIPT} as root`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export interface RedisStartOptions {
  /** Keep data across a restart (append-only file), as a production Redis would. */
  readonly persistent?: boolean;
  /** Reuse a port and folder: a restart of the same server. */
  readonly port?: number;
  readonly dir?: string;
}

export async function startRedis(
  redisServer: string,
  options: RedisStartOptions = {},
): Promise<RunningService & { pid: number; dir: string }> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'keystone-redis-'));
  const port = options.port ?? (await freePort());
  const child = spawn(
    redisServer,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      options.persistent ? 'yes' : 'no',
      '--appendfsync',
      'always',
      '--dir',
      dir,
      '--logfile',
      join(dir, 'redis.log'),
    ],
    { stdio: 'ignore', detached: true },
  );
  child.unref();
  await waitForPort(port, 10_000, () => child.exitCode !== null);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    pid: child.pid ?? 0,
    stop: async () => {
      // The child is unref'd, so its 'exit' event cannot be awaited: a pending await with nothing else
      // on the event loop lets Node end early (and jest then exits 0 whatever the tests said).
      if (child.pid && isAlive(child.pid)) {
        process.kill(child.pid, 'SIGTERM');
        for (let i = 0; i < 200 && isAlive(child.pid); i++)
          await new Promise((r) => setTimeout(r, 25));
      }
      if (!options.persistent) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, timeoutMs: number, died: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (died()) throw new Error(`redis-server exited before listening on ${port}`);
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), done(true)));
      socket.once('error', () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
