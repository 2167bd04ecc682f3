import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/** Drivers, frameworks and I/O clients a domain must never load, even through an index. */
const FORBIDDEN =
  /node_modules\/(better-sqlite3|pg|pg-pool|pg-protocol|@kurrent|@grpc|@nestjs|bullmq|ioredis|express|rxjs|jose)\//;

/** Loads `entry` in a fresh Node process (as the compiled code would) and lists the packages it pulled in. */
function packagesLoadedBy(entry: string): string[] {
  const script = `
    require(${JSON.stringify(join(ROOT, entry))});
    const loaded = Object.keys(require.cache)
      .filter((p) => p.includes('/node_modules/'))
      .map((p) => p.slice(p.lastIndexOf('/node_modules/') + 1));
    process.stdout.write(JSON.stringify(loaded));`;
  const output = execFileSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' } },
  );
  return JSON.parse(output) as string[];
}

describe('a pure domain: loading it loads no driver and no Nest', () => {
  it.each([
    'libs/cases/src/domain/case.decider.ts',
    'libs/cases/src/domain/case.preconditions.ts',
    'libs/roster/src/domain/expert.decider.ts',
    'libs/trust-fund/src/domain/trust-fund.decider.ts',
    'libs/event-store/src/index.ts',
    'libs/reference-data/src/index.ts',
  ])('%s', (entry) => {
    const loaded = packagesLoadedBy(entry);
    expect(loaded.filter((p) => FORBIDDEN.test(`/${p}`))).toEqual([]);
  });

  it('would see a driver if one were loaded (the check itself works)', () => {
    const loaded = packagesLoadedBy('libs/event-store/src/adapters.ts');
    expect(loaded.some((p) => p.startsWith('node_modules/better-sqlite3/'))).toBe(true);
    expect(loaded.some((p) => p.startsWith('node_modules/@nestjs/'))).toBe(true);
  });
});
