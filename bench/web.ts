/**
 * Web benchmark: the case officer's first screens in Debian's Chromium on a log of about 100,000
 * cases (about 1,000,000 events from the real case decider, read models rebuilt): the dashboard and
 * the case list, each from a cold page load until its figures or rows show, and a filter change on
 * the list (a stage, answered in SQL; and free words, which read every row); plus the initial
 * JavaScript the page loads, gzipped. Goals on this 2-core machine: first load ≤ 1.5 s, filter change
 * ≤ 300 ms, initial JS ≤ 300 KB gzipped. Prints a table, writes bench/results/web.json.
 * `npm run bench:web` (builds the API and the web app first). BENCH_CASES sets the number of cases;
 * BENCH_TRACE=1 prints each request the page makes, with its time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { systemClock } from '@keystone/event-store';
import { SqliteEventStore } from '@keystone/event-store/adapters';
import { PeopleService } from '@keystone/people';
import { PROJECTIONS, rebuildProjection } from '@keystone/projections';
import { sqlDatabaseFor } from '@keystone/sql';
import { launchChromium } from '../test/web/support/browser';
import { freePort } from '../test/support/local-services';
import { spawnApp } from '../test/support/processes';
import { percentile, round, waitUntilUp } from './support/case-load';
import { fillLog } from './support/fill-log';
import { printResult, runInChild, writeReport } from './support/report';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PASSWORD = 'a benchmark passphrase of some length';
const GOALS = { firstLoadMs: 1500, filterChangeMs: 300, initialJsGzipKB: 300 };

/** The child: fill the log, rebuild the read models, make the officer's account. */
async function prepare(path: string): Promise<void> {
  const store = new SqliteEventStore({ path });
  const filled = await fillLog(store, CASES * 10);
  const { db, close } = sqlDatabaseFor(store);
  for (const projection of PROJECTIONS) await rebuildProjection(db, store, projection);
  close();
  const now = new Date().toISOString();
  await new PeopleService(store, systemClock).createAdmin(
    { email: 'admin@bench.example', name: 'Bench Admin', language: 'en' },
    PASSWORD,
    { actor: 'bench', role: 'admin', correlationId: 'bench', occurredAt: now, now },
  );
  const people = new PeopleService(store, systemClock);
  const { invitationToken } = await people.invite(
    {
      email: 'officer@bench.example',
      name: 'Bench Officer',
      language: 'en',
      role: 'case-officer',
      scope: {},
    },
    { actor: 'bench', role: 'admin', correlationId: 'bench', occurredAt: now, now },
  );
  await people.acceptInvitation(invitationToken, PASSWORD);
  await store.close();
  printResult(filled);
}

type Page = { document: { querySelector(s: string): { textContent: string | null } | null } };
/** Runs in the page: the list's count no longer reads `previous` (the new answer is shown). */
const countChanged = (previous: string | null): boolean =>
  (globalThis as unknown as Page).document.querySelector('.count')?.textContent !== previous;

/** The JavaScript index.html loads before anything renders, gzipped (what travels). */
function initialJs(): { files: string[]; gzipKB: number; rawKB: number } {
  const dist = resolve(__dirname, '../dist/web');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const bytes = files.map((f) => readFileSync(join(dist, f)));
  return {
    files,
    rawKB: round(bytes.reduce((n, b) => n + b.length, 0) / 1024),
    gzipKB: round(bytes.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0) / 1024),
  };
}

async function main(): Promise<void> {
  const [phase, location] = process.argv.slice(2);
  if (phase === 'prepare') return prepare(location);

  const dir = mkdtempSync(join(tmpdir(), 'keystone-bench-web-'));
  const path = join(dir, 'keystone.db');
  const started = Date.now();
  const log = runInChild<{ events: number; seconds: number }>(
    __filename,
    ['prepare', path],
    `web bench: a log of ${CASES} cases`,
  );
  console.log(`log ready: ${log.events} events in ${round((Date.now() - started) / 1000)} s`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const api = spawnApp('api', {
    env: {
      PORT: String(port),
      KEYSTONE_SQLITE_PATH: path,
      KEYSTONE_KEY_ENCRYPTION_KEY_FILE: join(dir, 'kek'),
      KEYSTONE_REDIS_URL: 'redis://127.0.0.1:1',
      KEYSTONE_ROLES: 'api,projections',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const browser = await launchChromium();
  try {
    await waitUntilUp(base);
    const signIn = await fetch(`${base}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-keystone-client': 'web' },
      body: JSON.stringify({ email: 'officer@bench.example', password: PASSWORD }),
    });
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status}`);
    const session = /keystone_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')![1];

    const samples: Record<string, number[]> = {
      dashboardFirstLoad: [],
      caseListFirstLoad: [],
      stageFilterChange: [],
      wordsFilterChange: [],
    };
    for (let run = 0; run < RUNS; run++) {
      // A fresh context each run: no cache, as a person opening Keystone in the morning.
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      await context.addCookies([{ name: 'keystone_session', value: session, url: base }]);
      const page = await context.newPage();
      if (process.env.BENCH_TRACE)
        page.on('requestfinished', (request) => {
          const timing = request.timing();
          console.log(`${request.url().replace(base, '')}: ${Math.round(timing.responseEnd)} ms`);
        });
      let t = Date.now();
      await page.goto(`${base}/#/dashboard`);
      await page.locator('[data-waiting="officers"] .figure').waitFor();
      samples.dashboardFirstLoad.push(Date.now() - t);
      await context.close();

      const listContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      await listContext.addCookies([{ name: 'keystone_session', value: session, url: base }]);
      const list = await listContext.newPage();
      t = Date.now();
      await list.goto(`${base}/#/cases`);
      await list.locator('table.cases tbody tr').first().waitFor();
      samples.caseListFirstLoad.push(Date.now() - t);
      const count = () => list.locator('.count').textContent();
      const before = await count();
      t = Date.now();
      await list.getByLabel('Stage').selectOption('matched');
      await list.waitForFunction(countChanged, before);
      samples.stageFilterChange.push(Date.now() - t);
      const matched = await count();
      t = Date.now();
      await list.getByLabel('Words').fill('mechanism');
      await list.waitForFunction(countChanged, matched, { timeout: 60_000 });
      samples.wordsFilterChange.push(Date.now() - t);
      await listContext.close();
    }
    const median = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      );
    const js = initialJs();
    const figures = {
      cases: CASES,
      events: log.events,
      runs: RUNS,
      medianMs: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])),
      samplesMs: samples,
      initialJs: js,
      goals: GOALS,
    };
    console.table(
      Object.entries(figures.medianMs).map(([what, ms]) => ({
        what,
        'median ms': ms,
        goal: what.endsWith('FirstLoad') ? GOALS.firstLoadMs : GOALS.filterChangeMs,
      })),
    );
    console.log(
      `initial JS: ${js.gzipKB} KB gzipped (${js.rawKB} KB raw; goal ≤ ${GOALS.initialJsGzipKB} KB)`,
    );
    writeReport('web', figures);
  } finally {
    await browser.close();
    api.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
