import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** What a bench worker prints when it is done, as one JSON line. */
export interface WorkerRun {
  appends: number;
  startedAt: number;
  endedAt: number;
}

/**
 * Bench workers started together: each prints READY once set up, waits for GO on its stdin, then
 * prints its WorkerRun. Returns the appends of all and the time from the first start to the last end.
 */
export async function runTogether(
  workers: ChildProcess[],
): Promise<{ appends: number; ms: number }> {
  const lines = workers.map((worker) => createInterface({ input: worker.stdout! }));
  const nextLine = (i: number) =>
    new Promise<string>((resolve, reject) => {
      lines[i].once('line', resolve);
      workers[i].once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
    });
  const ready = await Promise.all(workers.map((_, i) => nextLine(i)));
  if (ready.some((line) => line !== 'READY')) throw new Error(`bench worker said ${ready}`);
  const results = workers.map((_, i) => nextLine(i));
  for (const worker of workers) worker.stdin!.write('GO\n');
  const runs = (await Promise.all(results)).map((line) => JSON.parse(line) as WorkerRun);
  return {
    appends: runs.reduce((sum, r) => sum + r.appends, 0),
    ms: Math.max(...runs.map((r) => r.endedAt)) - Math.min(...runs.map((r) => r.startedAt)),
  };
}
