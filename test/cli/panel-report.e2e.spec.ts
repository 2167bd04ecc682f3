import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HtmlValidate } from 'html-validate';
import { SqliteEventStore } from '@keystone/event-store/adapters';
import { ApiHarness } from '../e2e/support/api-harness';
import { tokens } from '../e2e/support/scenario';
import { assertBuilt, keystone, ROOT } from './cli-harness';

/** Debian's chromium, headless, with no network of its own; the test fails loudly without it. */
function chromium(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const binary = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
  if (!binary)
    throw new Error(
      'chromium is missing: run infra/local/install-services.sh as root (npm test does)',
    );
  const profile = mkdtempSync(join(tmpdir(), 'keystone-chromium-'));
  try {
    const run = spawnSync(
      binary,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--hide-scrollbars',
        ...args,
      ],
      { encoding: 'utf8', timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
    );
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

describe('the panel report people read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keystone-report-'));
  const env = { KEYSTONE_SQLITE_PATH: join(dir, 'keystone.db') };
  const html = join(dir, 'panel.html');
  beforeAll(assertBuilt);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('demo, then panel --format html: a page with every section and figure, checked in headless Chromium, with a screenshot', async () => {
    const demo = keystone(['demo', '--year', '2025'], env);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/loaded \d+ SYNTHETIC events for 2025/);
    const checkpoint = keystone(['checkpoint', '--json'], env);
    expect(checkpoint.code).toBe(0);
    const signed = JSON.parse(checkpoint.stdout);
    const panel = keystone(['panel', '--year', '2025', '--format', 'html', '--out', html], env);
    expect(panel.code).toBe(0);
    const figures = JSON.parse(
      keystone(['panel', '--year', '2025', '--format', 'json'], env).stdout,
    );

    const page = readFileSync(html, 'utf8');
    expect(page).not.toMatch(/<script|<link|@import|url\(|https?:\/\//); // self-contained, works offline
    const validation = await new HtmlValidate({
      extends: ['html-validate:recommended'],
    }).validateString(page);
    expect(
      validation.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`)),
    ).toEqual([]);
    expect(validation.valid).toBe(true);

    const dom = chromium(['--dump-dom', `file://${html}`]);
    expect(dom.code).toBe(0);
    for (const id of [
      'funnel',
      'regions',
      'cooperation',
      'platform',
      'sdgs',
      'ldc-sids',
      'time-to-match',
      'overdue',
      'success-stories',
      'provenance',
    ]) {
      expect(dom.stdout).toContain(`id="${id}"`);
    }
    expect(dom.stdout).toContain('Synthetic data.');
    expect(dom.stdout).toContain(
      `<th scope="row">Requests received</th><td>${figures.totals.received}</td>`,
    );
    expect(dom.stdout).toContain(
      `<th scope="row">Success profiled</th><td>${figures.totals.profiled}</td>`,
    );
    // Six charts, the SDG goals' among them; the year's platform session held, with who presented.
    expect(dom.stdout.match(/<svg role="img"/g)?.length).toBe(6);
    expect(dom.stdout.match(/<title id=/g)?.length).toBe(6);
    expect(dom.stdout).toContain('by the SDG goal of the targets they serve');
    expect(figures.platform.sessionsHeld).toBe(1);
    expect(dom.stdout).toContain(
      `1 session(s) held in 2025; ${figures.platform.statesPresenting.length} State(s) presenting`,
    );
    expect(dom.stdout.match(/class="story"/g)?.length).toBe(figures.successStories.length);

    const log = new SqliteEventStore({ path: env.KEYSTONE_SQLITE_PATH });
    const last = await log.lastPosition();
    const logHash = await log.logHashAt(last);
    await log.close();
    expect(dom.stdout).toContain(`<dt>Log position</dt><dd>${last}</dd>`);
    expect(dom.stdout).toContain(
      `<dt>Log hash at that position</dt><dd><code>${logHash}</code></dd>`,
    );
    // LDC, SIDS and Other add up to the requests once the requests from States that are both are
    // taken off, and the report says how many those are.
    const bar = (label: string) =>
      Number(new RegExp(`<th scope="row">${label}</th><td>(\\d+)</td>`).exec(dom.stdout)?.[1]);
    const both = /(\d+) requests? came from States that are both/.exec(dom.stdout);
    const received = Number(/Share of the (\d+) requests received/.exec(dom.stdout)?.[1]);
    expect(bar('LDC') + bar('SIDS') + bar('Other') - Number(both?.[1] ?? 0)).toBe(received);
    // The edition of the reference data the flags come from, and how each request's flags are dated.
    expect(dom.stdout).toMatch(
      /<dt>Reference data<\/dt><dd>UN Member States, regional groups, LDC and SIDS lists as of \d{4}-\d{2}-\d{2} \(checked \d{4}-\d{2}-\d{2}\); each request counts with the LDC and SIDS flags in force on the day it was made/,
    );
    expect(signed).toMatchObject({ logPosition: last, logHash });
    expect(dom.stdout).toContain(
      `position ${last}, log hash <code>${logHash}</code>, signed ${signed.createdAt} by <code>${signed.signer}</code>`,
    );
    expect(keystone(['verify'], env).code).toBe(0);

    const artifacts = join(ROOT, 'test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    const screenshot = join(artifacts, 'panel-2025.png');
    rmSync(screenshot, { force: true });
    expect(
      chromium([`--screenshot=${screenshot}`, '--window-size=1000,2600', `file://${html}`]).code,
    ).toBe(0);
    const png = readFileSync(screenshot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
  });

  it('serves the same report over HTTP at GET /panel/{year}/report', async () => {
    const h = new ApiHarness();
    await h.start();
    try {
      const t = await tokens(h);
      const reply = await h.call('GET', '/panel/2026/report', { token: t.memberAfrica });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/text\/html/);
      expect(reply.body).toContain('<h1>Human Rights Council, item 10: the 2026 panel</h1>');
      expect((await h.call('GET', '/panel/2026/report')).status).toBe(401);
    } finally {
      await h.stop();
    }
  });
});
