import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PeopleService, type NewPerson } from '@keystone/people';
import type { ApiHarness } from '../../e2e/support/api-harness';
import { ARTIFACTS, launchChromium, seriousViolations } from './browser';

export const PASSWORD = 'a long and memorable passphrase';

/**
 * The people of a browser test, made as the administrator's invitations would make them: the
 * first administrator, then each account with its password chosen. Call once the API is up.
 */
export async function peopleOf(h: ApiHarness, admin: { email: string; name: string }) {
  const people = new PeopleService(h.eventStore(), h.clock);
  const context = () => {
    const now = h.clock.now().toISOString();
    return { actor: 'test-setup', role: 'admin', correlationId: 'setup', occurredAt: now, now };
  };
  await people.createAdmin({ ...admin, language: 'en' }, PASSWORD, context());
  return {
    people,
    /** An account made as the administrator's invitation would make it, its password chosen. */
    async account(person: NewPerson): Promise<void> {
      const { invitationToken } = await people.invite(person, context());
      await people.acceptInvitation(invitationToken, PASSWORD);
    },
  };
}

/**
 * The browser side of a test of people using Keystone: each person in a browser context of their
 * own, signing in as a person would, and every screen checked with axe-core and photographed.
 */
export class PeopleInChromium {
  /** Each screen checked: its serious or critical axe-core violations (none, when all is well). */
  readonly accessibility: Record<string, string[]> = {};
  private browser: Browser | null = null;
  private readonly contexts: BrowserContext[] = [];

  constructor(private readonly h: ApiHarness) {}

  async start(): Promise<void> {
    this.browser = await launchChromium();
  }

  /** A fresh browser context's page, for one person. */
  async personPage(): Promise<Page> {
    const c = await this.browser!.newContext({ viewport: { width: 1200, height: 900 } });
    this.contexts.push(c);
    // A step that cannot happen fails in seconds with what it waited for, inside jest's own limit.
    c.setDefaultTimeout(8_000);
    return c.newPage();
  }

  async signIn(page: Page, email: string, signInLabel = 'Sign in'): Promise<void> {
    await page.goto(`${this.h.base}/`);
    await page.getByLabel(/e-mail|correo|adresse/i).fill(email);
    await page.getByLabel(/^(password|contraseña|mot de passe)$/i).fill(PASSWORD);
    await page.getByRole('button', { name: signInLabel }).click();
    await page.getByRole('navigation').waitFor();
  }

  async signedIn(email: string): Promise<Page> {
    const page = await this.personPage();
    await this.signIn(page, email);
    return page;
  }

  /** axe-core on the screen as it stands, and its screenshot in test-artifacts/web. */
  async check(page: Page, name: string): Promise<void> {
    this.accessibility[name] = await seriousViolations(page);
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  async close(): Promise<void> {
    for (const c of this.contexts) await c.close();
    await this.browser?.close();
  }
}
