import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { VerifyOptions } from '@keystone/audit';
import { UsageError } from './cli-kit';
import { provePart, type LogPart, type PartProof } from '@keystone/event-store';
// The opener alone, not the adapters' index (Nest's module): a thread starts in milliseconds.
import { openEventStore, type EventStoreConfig } from '@keystone/event-store/open-event-store';

/** Below this many events per thread, one walk is quicker than starting threads. */
export const EVENTS_PER_THREAD_AT_LEAST = 50_000;

/**
 * How many threads `keystone verify` walks the log with: the `--threads` asked for, or one per core
 * when the log is long enough to gain from it. One where a thread cannot open the log on its own
 * (KurrentDB keeps no log chain to take up; an in-memory SQLite log is the process's alone).
 */
export function verifyThreads(
  config: EventStoreConfig,
  lastPosition: number,
  asked?: string,
): number {
  if (asked !== undefined && !/^[1-9][0-9]{0,2}$/.test(asked))
    throw new UsageError(`--threads must be a whole number from 1 to 999, got "${asked}"`);
  if (config.kind === 'kurrentdb' || (config.kind === 'sqlite' && config.path === ':memory:'))
    return 1;
  if (asked !== undefined) return Number(asked);
  return Math.max(
    1,
    Math.min(availableParallelism(), Math.floor(lastPosition / EVENTS_PER_THREAD_AT_LEAST)),
  );
}

/** verifyLog's `inParts`: each part proved in a worker thread with a read-only store of its own. */
export function partsInThreads(
  config: EventStoreConfig,
  parts: number,
): NonNullable<VerifyOptions['inParts']> {
  // A thread that fails sends the log to the whole walk in one thread (slower, the same report):
  // said once, whichever threads failed and whether by an error or an exit.
  let told = false;
  const tell = (error: Error) => {
    if (told) return;
    told = true;
    process.stderr.write(
      `verify: a thread could not walk its part (${error.message.split('\n')[0]}); walking the log whole in one thread\n`,
    );
  };
  const fail = (reject: (error: Error) => void, error: Error) => {
    tell(error);
    reject(error);
  };
  return {
    parts,
    prove: (part, askedPositions, onChecked) =>
      new Promise<PartProof>((resolve, reject) => {
        const job: PartJob = { keystoneVerifyPart: true, config, part, askedPositions };
        const worker = new Worker(BOOTSTRAP, {
          eval: true,
          workerData: { file: __filename, aliases: aliases(), job },
          // Each row read is garbage a moment later: a young generation this large collects
          // it far less often (about a tenth faster on this walk).
          resourceLimits: { maxYoungGenerationSizeMb: 192 },
        });
        let proof: PartProof | undefined;
        worker.on('message', (message: { checked?: number; proof?: PartProof }) => {
          if (message.proof) proof = message.proof;
          else if (message.checked !== undefined) onChecked(message.checked);
        });
        worker.on('error', (error) => fail(reject, error));
        worker.on('exit', (code) =>
          proof ? resolve(proof) : fail(reject, new Error(`the thread ended with code ${code}`)),
        );
      }),
  };
}

interface PartJob {
  readonly keystoneVerifyPart: true;
  readonly config: EventStoreConfig;
  readonly part: LogPart;
  readonly askedPositions: readonly number[];
}

/**
 * A thread loads this file as the process did: TypeScript through ts-node where the process runs the
 * sources (benchmarks, tests), the compiled file otherwise, with the @keystone aliases resolved the
 * same way (tsconfig.json's paths, from the tree this file is in).
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
// Modules found from this file's tree, not from the folder keystone was started in.
const load = require('node:module').createRequire(workerData.file);
if (workerData.file.endsWith('.ts')) load('ts-node').register({ transpileOnly: true });
load('tsconfig-paths').register(workerData.aliases);
load(workerData.file);
`;

function aliases(): { baseUrl: string; paths: Record<string, string[]> } {
  let root = __dirname;
  while (!existsSync(join(root, 'tsconfig.json')) && dirname(root) !== root) root = dirname(root);
  const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  const compiled = __filename.endsWith('.js') && existsSync(join(root, 'dist'));
  return { baseUrl: compiled ? join(root, 'dist') : root, paths: compilerOptions.paths };
}

async function provePartHere(job: PartJob): Promise<void> {
  const store = await openEventStore(job.config, { readOnly: true });
  try {
    const proof = await provePart(store, job.part, job.askedPositions, (checked) =>
      parentPort!.postMessage({ checked }),
    );
    parentPort!.postMessage({ proof });
  } finally {
    await store.close();
  }
}

const job = (workerData as { job?: PartJob } | null)?.job;
if (parentPort && job?.keystoneVerifyPart) void provePartHere(job);
