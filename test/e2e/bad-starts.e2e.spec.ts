import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@keystone/event-store/adapters';
import { testEvents } from '@keystone/event-store/testing/test-events';
import { keystone } from '../cli/cli-harness';
import { freePort } from '../support/local-services';
import { compiledApp, REGISTER_PATHS, ROOT } from '../support/processes';

/**
 * A process that cannot start says why in one line (what, where, how to fix) and exits 2: no stack
 * trace, and never "started" before the port really listens. A damaged SQLite log is refused at
 * boot, before anything is written into it, and `keystone verify` names what it cannot read.
 */
const dir = mkdtempSync(join(tmpdir(), 'keystone-bad-starts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(app: 'api' | 'worker', env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['-r', REGISTER_PATHS, compiledApp(app)], {
    cwd: ROOT,
    env: {
      ...process.env,
      KEYSTONE_SQLITE_PATH: join(dir, `${app}-ok.db`),
      KEYSTONE_REDIS_URL: 'redis://127.0.0.1:1',
      KEYSTONE_ROLES: app === 'api' ? 'api' : 'projections',
      KEYSTONE_EVIDENCE_KEY_FILE: join(dir, 'evidence.pem'),
      KEYSTONE_KEY_ENCRYPTION_KEY_FILE: join(dir, 'kek'),
      ...env,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  return { code: result.status, lines, stdout: result.stdout };
}

describe('bad starts', () => {
  let holder: Server;
  let taken = 0;
  beforeAll(async () => {
    taken = await freePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(taken, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it('a port already taken: one line, exit 2, and no "started" before it', () => {
    const r = run('api', { PORT: String(taken) });
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([
      `keystone api did not start: 127.0.0.1:${taken} is already in use by another process: stop it, or set PORT (and HOST) to a free address`,
    ]);
    expect(r.stdout).not.toMatch(/successfully started|API on http/);
  });

  it('a configuration that is not valid: one line naming each problem', () => {
    const r = run('api', { KEYSTONE_STORE: 'mysql', PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(
      /^keystone api did not start: the configuration is not valid: .*PORT.*KEYSTONE_STORE|^keystone api did not start: the configuration is not valid: .*KEYSTONE_STORE.*PORT/,
    );
  });

  it('a PostgreSQL that cannot be reached, for the API and the worker', () => {
    for (const app of ['api', 'worker'] as const) {
      const r = run(app, {
        KEYSTONE_STORE: 'postgres',
        KEYSTONE_POSTGRES_URL: 'postgres://nobody@127.0.0.1:1/keystone',
        KEYSTONE_AUTH_SECRET: 'b'.repeat(40),
        KEYSTONE_POSTGRES_CONNECT_TIMEOUT_MS: '500',
      });
      expect({ app, code: r.code, lines: r.lines.length }).toEqual({ app, code: 2, lines: 1 });
      expect(r.lines[0]).toMatch(
        new RegExp(
          `^keystone ${app} did not start: The postgres event store cannot be reached: .*check KEYSTONE_POSTGRES_URL and that the server runs$`,
        ),
      );
    }
  });

  it('a SQLite log where no folder can be made (a file is in the way)', () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file, not a folder');
    const r = run('api', { KEYSTONE_SQLITE_PATH: join(blocker, 'log.db'), PORT: '0' });
    expect(r.code).toBe(2);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(
      /^keystone api did not start: cannot (mkdir|make the folder) .*not-a-folder.*KEYSTONE_SQLITE_PATH/,
    );
  });

  it('a damaged SQLite log: refused at boot, nothing written; verify names what it cannot read', async () => {
    const path = join(dir, 'damaged.db');
    const store = new SqliteEventStore({ path });
    for (let i = 0; i < 300; i++) await store.append(`case-${i}`, testEvents(10), 'no_stream');
    await store.close();
    // Garbage over a page in the middle of the file, as a failing disk or a bad copy leaves it.
    const pageSize = 4096;
    const pages = statSync(path).size / pageSize;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, Math.floor(pages / 2) * pageSize);
    closeSync(fd);
    const size = statSync(path).size;

    const r = run('api', { KEYSTONE_SQLITE_PATH: path, PORT: '0' });
    expect(r.code).toBe(2);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toContain(
      `keystone api did not start: The sqlite event log is damaged: ${path}`,
    );
    expect(r.lines[0]).toContain('restore the log from its latest backup');
    expect(statSync(path).size).toBe(size);

    const verify = keystone(['verify', '--json'], { KEYSTONE_SQLITE_PATH: path });
    expect(verify.code).toBe(1);
    const findings = JSON.parse(verify.stdout).findings as { problem: string; found: string }[];
    // Rows it could not read, or (when the damage is in an index) what SQLite's own check names.
    const damage = findings.filter(
      (f) => f.problem === 'unreadable' || f.problem === 'storage-damaged',
    );
    expect(damage.length).toBeGreaterThan(0);
    expect(damage.map((f) => f.found).join(' ')).toMatch(/[Pp]age \d+|malformed|corrupt/);
  });
});
