import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { freePort } from '../support/local-services';
import { launchApp, stopProcess } from '../support/processes';
import { testRedisUrl } from '../support/test-env';
import { ARTIFACTS, launchChromium, seriousViolations } from './support/browser';

/**
 * A deployment's sign-in through its identity provider: a real OpenID Connect provider
 * (oidc-provider, started here), the compiled API in OIDC mode, and Chromium signing in as a person
 * would: Keystone's sign-in page, the provider's login and consent, back to Keystone signed in with
 * the role and scope the provider's claims give (authorization code with PKCE, openid-client).
 */
describe('signing in through the identity provider (OpenID Connect)', () => {
  let dir: string;
  let provider: ChildProcess;
  let api: ChildProcess;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keystone-oidc-'));
    const [providerPort, apiPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${apiPort}`;
    const issuer = `http://127.0.0.1:${providerPort}`;
    provider = spawn(
      process.execPath,
      [
        join(__dirname, '../support/oidc-provider.mjs'),
        String(providerPort),
        `${base}/auth/oidc/callback`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const seen = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('oidc-provider ready')) resolve();
      };
      provider.stdout!.on('data', seen);
      provider.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      provider.once('exit', (code) => reject(new Error(`oidc-provider exited ${code}: ${output}`)));
    });
    const launched = launchApp('api', {
      env: {
        PORT: String(apiPort),
        KEYSTONE_SQLITE_PATH: join(dir, 'keystone.db'),
        KEYSTONE_KEY_ENCRYPTION_KEY_FILE: join(dir, 'kek'),
        KEYSTONE_REDIS_URL: testRedisUrl(),
        KEYSTONE_QUEUE_PREFIX: `oidc${apiPort}`,
        KEYSTONE_ROLES: 'api,projections',
        KEYSTONE_AUTH_MODE: 'oidc',
        KEYSTONE_OIDC_ISSUER: issuer,
        KEYSTONE_OIDC_JWKS_URL: `${issuer}/jwks`,
        KEYSTONE_OIDC_AUDIENCE: 'keystone',
        KEYSTONE_OIDC_CLIENT_ID: 'keystone-web',
        KEYSTONE_PUBLIC_URL: base,
      },
      readyOn: ['API on http'],
    });
    api = launched.child;
    await launched.ready;
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (api) await stopProcess(api);
    if (provider) await stopProcess(provider);
    rmSync(dir, { recursive: true, force: true });
  });

  async function signInAt(login: string) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Sign in with your organisation’s account' }).click();
    // The provider's own pages: its login form, then its consent.
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click(); // consent: Continue
    return { context, page };
  }

  it('brings a focal point back signed in, with the role, scope and language the provider gives', async () => {
    const { context, page } = await signInAt('focal-mwi');
    await page.getByRole('heading', { name: 'Demandes de MWI' }).waitFor();
    await page.getByText('Chikondi Banda · Point focal de l’État').waitFor();
    const cookies = await context.cookies(base);
    const session = cookies.find((c) => c.name === 'keystone_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookies.find((c) => c.name === 'keystone_oidc')).toBeUndefined();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'oidc-signed-in.png'), fullPage: true });
    // The session acts as the provider's claims say: this focal point requests for Malawi only.
    const asked = await page.evaluate(async () => {
      const reply = await fetch('/cases', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-keystone-client': 'web' },
        body: JSON.stringify({
          state: 'ZMB',
          themes: ['torture-prevention'],
          description: 'x',
          supportSought: 'x',
          recommendations: [{ source: 'upr', reference: 'A/HRC/1, 1', text: 'x' }],
        }),
      });
      return { status: reply.status, body: await reply.json() };
    });
    expect(asked).toMatchObject({ status: 403, body: { code: 'ACCESS.DENIED' } });
    await context.close();
  }, 60_000);

  it('refuses someone the provider gives no Keystone role, saying why', async () => {
    const { context, page } = await signInAt('no-role');
    // Back on Keystone's sign-in page, which says why in the person's language.
    await page
      .getByRole('alert')
      .getByText('Your organisation signed you in, but gives you no role in Keystone.', {
        exact: false,
      })
      .waitFor();
    expect(new URL(page.url()).searchParams.get('signInError')).toBe('AUTH.OIDC_NO_ROLE');
    expect(await seriousViolations(page)).toEqual([]);
    const cookies = await context.cookies(base);
    expect(cookies.find((c) => c.name === 'keystone_session')).toBeUndefined();
    await context.close();
  }, 60_000);
});
