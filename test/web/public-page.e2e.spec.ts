import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ApiHarness, recommendation } from '../e2e/support/api-harness';
import { caseAt, tokens, type Tokens } from '../e2e/support/scenario';

const ARTIFACTS = join(__dirname, '../../test-artifacts/web');
const CHROMIUM = process.env.KEYSTONE_CHROMIUM ?? '/usr/bin/chromium';

/** The page's document, inside Chromium (this file compiles without the DOM's types). */
declare global {
  var document: {
    documentElement: { lang: string; dir: string };
    activeElement: { textContent: string | null; tagName: string } | null;
  };
}

/**
 * The public page, as a person sees it in Debian's Chromium: the panel's figures and success
 * stories without signing in, in English, French and Spanish, with no serious or critical
 * accessibility violation (axe-core, WCAG 2.1 A and AA rules). Screenshots go to test-artifacts/web.
 */
describe('the public page in a browser', () => {
  const h = new ApiHarness();
  let t: Tokens;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(join(__dirname, '../../dist/web/index.html')))
      throw new Error('dist/web is missing: run `npm run web:build` first (npm test does)');
    await h.start();
    t = await tokens(h);
    // Two requests this year; one of them profiled as a success story for the 2026 panel.
    await caseAt(h, t, 'requested');
    const { caseId } = await caseAt(h, t, 'reported');
    const profiled = await h.call('POST', `/cases/${caseId}/success-profiles`, {
      token: t.officer,
      body: { panelYear: 2026, summary: 'Malawi set up its national preventive mechanism.' },
    });
    expect(profiled.status).toBe(201);
    expect(recommendation.reference).toBeTruthy();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h.stop();
  });
  // axe needs pages made from a context of their own.
  let context: BrowserContext;
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
  });
  afterEach(() => context.close());

  async function open(lang: string) {
    await page.goto(`${h.base}/?lang=${lang}#/public`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.locator('.funnel li[data-stage="received"]').waitFor();
  }

  async function seriousViolations() {
    const { violations } = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
  }

  it('shows the year’s figures and success stories, without signing in, accessibly', async () => {
    await open('en');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'The item 10 panel of 2026',
    );
    await expect(
      page.locator('.funnel li[data-stage="received"] .figure').textContent(),
    ).resolves.toBe('2');
    await expect(
      page.locator('.funnel li[data-stage="profiled"] .figure').textContent(),
    ).resolves.toBe('1');
    await expect(
      page.getByText('Malawi set up its national preventive mechanism.').count(),
    ).resolves.toBe(1);
    expect(await seriousViolations()).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'public-en.png'), fullPage: true });
  });

  it.each([
    ['fr', 'Le panel du point 10 de 2026', 'Demandes reçues', 'Thème : Prévention de la torture'],
    [
      'es',
      'La mesa redonda del tema 10 de 2026',
      'Solicitudes recibidas',
      'Tema: Prevención de la tortura',
    ],
  ])('speaks %s, numbers, dates and themes included', async (lang, title, received, theme) => {
    await open(lang);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(title);
    await expect(page.locator('.stories .meta').textContent()).resolves.toContain(theme);
    await expect(
      page.locator('.funnel li[data-stage="received"]').textContent(),
    ).resolves.toContain(received);
    await expect(page.evaluate(() => globalThis.document.documentElement.lang)).resolves.toBe(lang);
    expect(await seriousViolations()).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, `public-${lang}.png`), fullPage: true });
  });

  it('lays the page out right to left in Arabic (a preview locale of a few strings)', async () => {
    await open('ar');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'حلقة نقاش البند 10 لعام 2026',
    );
    await expect(page.evaluate(() => globalThis.document.documentElement.dir)).resolves.toBe('rtl');
    // Mirrored: the brand starts at the right edge, the language switch sits to its left.
    const brand = await page.locator('.brand').boundingBox();
    const language = await page.locator('.language select').boundingBox();
    expect(brand!.x).toBeGreaterThan(language!.x);
    expect(brand!.x + brand!.width).toBeGreaterThan(1100);
    expect(await seriousViolations()).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'public-ar.png'), fullPage: true });
  });

  it('switches language from the keyboard alone', async () => {
    await open('en');
    await page.keyboard.press('Tab'); // the skip link
    await expect(page.evaluate(() => globalThis.document.activeElement?.textContent)).resolves.toBe(
      'Skip to the main content',
    );
    await page.keyboard.press('Tab'); // the language select
    await expect(page.evaluate(() => globalThis.document.activeElement?.tagName)).resolves.toBe(
      'SELECT',
    );
    await page.keyboard.press('ArrowDown'); // English → Français
    await page.getByRole('heading', { name: 'Le panel du point 10 de 2026' }).waitFor();
    expect(new URL(page.url()).searchParams.get('lang')).toBe('fr');
  });

  it('runs under the API’s Content-Security-Policy, with no inline script', async () => {
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    const response = await page.goto(`${h.base}/#/public`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('.funnel').waitFor();
    expect(errors).toEqual([]);
  });
});
