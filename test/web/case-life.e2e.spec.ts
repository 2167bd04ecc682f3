import type { Locator, Page } from 'playwright-core';
import { ApiHarness } from '../e2e/support/api-harness';
import { availableExpert, tokens } from '../e2e/support/scenario';
import { PASSWORD, PeopleInChromium, peopleOf } from './support/people';

/**
 * One case's whole life through the web app, each person in their own browser context, signing in
 * as a person would: the administrator invites the focal point from the people screen; the focal
 * point (in French) requests support and consents; the committee member (in Spanish) is refused a
 * decline without reasons, then accepts; a provider offers; the focal point accepts the offer; the
 * case officer deploys an expert, reports progress, profiles the success and closes the case; the
 * public page shows the story. axe-core checks every screen; screenshots go to test-artifacts/web.
 */
jest.setTimeout(60_000);

describe('a case’s whole life in the browser', () => {
  const h = new ApiHarness();
  let expertId: string;
  const web = new PeopleInChromium(h);

  beforeAll(async () => {
    await h.start();
    const { account } = await peopleOf(h, { email: 'admin@ohchr.example', name: 'Ada Admin' });
    await account({
      email: 'member@africa.example',
      name: 'Lucía Mendes',
      language: 'es',
      role: 'committee-member',
      scope: { region: 'african' },
    });
    await account({
      email: 'offers@apt.example',
      name: 'Jonas Keller',
      language: 'en',
      role: 'provider',
      scope: {
        provider: {
          id: 'prov:apt',
          kind: 'ngo',
          name: 'Association for the Prevention of Torture',
        },
      },
    });
    await account({
      email: 'auditor@oios.example',
      name: 'Ines Auditor',
      language: 'en',
      role: 'auditor',
      scope: {},
    });
    await account({
      email: 'officer@ohchr.example',
      name: 'Omar Haddad',
      language: 'en',
      role: 'case-officer',
      scope: {},
    });
    expertId = await availableExpert(h, await tokens(h));
    await web.start();
  }, 90_000);

  afterAll(async () => {
    await web.close();
    await h.stop();
  });

  const stage = (page: Page) => page.getByTestId('stage');

  let caseUrl = '';

  it('the administrator invites the focal point, who chooses a password', async () => {
    const admin = await web.personPage();
    await page_goto_signin_check(admin);
    await web.signIn(admin, 'admin@ohchr.example');
    await admin.getByRole('heading', { name: 'People' }).waitFor();
    const invite = admin.getByRole('form', { name: 'Invite someone' });
    await invite.getByLabel('Name').fill('Chikondi Banda');
    await invite.getByLabel('E-mail address').fill('focal@mwi.example');
    await invite.getByLabel('Language').selectOption('fr');
    await invite.getByLabel('Role').selectOption('state-focal-point');
    await invite.getByLabel('State (ISO code)').fill('MWI');
    await invite.getByRole('button', { name: 'Invite' }).click();
    const link = await admin.getByTestId('invitation-link').inputValue();
    expect(link).toMatch(/#\/invitation\/[\w-]{43}$/);
    await admin.getByRole('cell', { name: 'Chikondi Banda' }).waitFor();
    // The form is ready for the next person; the administrator is offered no change of their own access.
    await expect(invite.getByLabel('E-mail address').inputValue()).resolves.toBe('');
    await expect(admin.getByText('Change the role of Ada Admin, or revoke').count()).resolves.toBe(
      0,
    );
    await expect(
      admin.getByText('Change the role of Chikondi Banda, or revoke').count(),
    ).resolves.toBe(1);
    await web.check(admin, 'admin-people');

    const focal = await web.personPage();
    await focal.goto(link);
    await focal.getByLabel('New password').fill('short');
    await focal.getByRole('button', { name: 'Save my password' }).click();
    await focal.getByText('A password has at least 12 characters').waitFor();
    await focal.getByLabel('New password').fill(PASSWORD);
    await focal.getByRole('button', { name: 'Save my password' }).click();
    await focal.getByRole('status').getByText('Your password is saved').waitFor();
    await focal.close();

    async function page_goto_signin_check(page: Page) {
      await page.goto(`${h.base}/`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await web.check(page, 'sign-in');
    }
  });

  it('the focal point requests support in French, and consents', async () => {
    const focal = await web.personPage();
    await web.signIn(focal, 'focal@mwi.example');
    // Her language is French: the app speaks it once she is signed in.
    await focal.getByRole('heading', { name: 'Demandes de MWI' }).waitFor();
    await web.check(focal, 'focal-point-requests');
    await focal.getByRole('link', { name: 'Demander un appui' }).first().click();
    await focal.getByRole('checkbox', { name: 'Prévention de la torture' }).check();
    await focal
      .getByLabel('Ce que l’État veut accomplir')
      .fill('Mettre en place un mécanisme national de prévention');
    await focal.getByLabel('Appui recherché').fill('Conseils sur la loi et les premières visites');
    await focal.getByLabel('Référence').fill('A/HRC/53/10, 121.4');
    await focal
      .getByLabel('Texte de la recommandation')
      .fill('Établir un mécanisme national de prévention');
    await web.check(focal, 'focal-point-request-form');
    await focal.getByRole('button', { name: 'Envoyer la demande' }).click();
    await expect(stage(focal).textContent()).resolves.toBeDefined();
    await focal
      .getByRole('heading', { name: 'Mettre en place un mécanisme national de prévention' })
      .waitFor();
    await expect(stage(focal).textContent()).resolves.toBe('En attente du consentement');
    caseUrl = focal.url().replace(/\?.*#/, '#');
    await focal.getByRole('button', { name: 'Donner le consentement' }).click();
    await focal.getByText('En attente d’examen', { exact: true }).waitFor();
    await web.check(focal, 'focal-point-case');
  });

  it('the committee member (in Spanish) is refused a decline without reasons, then accepts', async () => {
    const member = await web.personPage();
    await web.signIn(member, 'member@africa.example');
    await member.getByRole('heading', { name: /Solicitudes pendientes de examen/ }).waitFor();
    await web.check(member, 'committee-queue');
    await member.getByRole('link', { name: 'Malawi' }).click();
    const form = member.getByRole('form', { name: 'Examinar la solicitud' });
    await form.getByRole('radio', { name: 'Rechazar' }).check();
    await form.getByRole('button', { name: 'Examinar la solicitud' }).click();
    const refusal = form.getByRole('alert');
    await expect(refusal.textContent()).resolves.toBe(
      'Indique al menos un motivo para rechazar una solicitud o pedir más información.',
    );
    // The refusal sits with the reasons field, which says it is invalid.
    await expect(form.getByLabel('Motivos').getAttribute('aria-invalid')).resolves.toBe('true');
    await web.check(member, 'committee-refusal');
    // Keyboard alone: choose "accept" and send.
    await form.getByRole('radio', { name: 'Aceptar' }).focus();
    await member.keyboard.press('Space');
    await form.getByRole('button', { name: 'Examinar la solicitud' }).focus();
    await member.keyboard.press('Enter');
    await member.getByText('Abierta a ofertas', { exact: true }).waitFor();
  });

  it('a provider offers on the open request', async () => {
    const provider = await web.personPage();
    await web.signIn(provider, 'offers@apt.example');
    await provider.getByRole('heading', { name: 'Requests open for offers' }).waitFor();
    await provider.getByRole('heading', { name: 'Torture prevention' }).waitFor();
    await web.check(provider, 'provider-board');
    await provider.getByRole('link', { name: 'Malawi' }).click();
    const form = provider.getByRole('form', { name: 'Make an offer' });
    await form.getByLabel('What you offer').fill('Two NPM experts for six months');
    await form.getByRole('button', { name: 'Make an offer' }).click();
    await provider
      .getByText(/Association for the Prevention of Torture: Two NPM experts/)
      .waitFor();
    await web.check(provider, 'provider-case');
  });

  it('the focal point accepts the offer', async () => {
    const focal = await web.personPage();
    await web.signIn(focal, 'focal@mwi.example');
    await focal.goto(`${h.base}/${caseUrl.slice(caseUrl.indexOf('#'))}`);
    await focal.getByRole('button', { name: 'Accepter cette offre' }).click();
    await focal.getByText('Appariée', { exact: true }).waitFor();
    // The offer reached her inbox too (the follow-up processor runs through Redis: look again
    // until it is there).
    const notice = focal.getByText('Un prestataire a fait une offre sur la demande de votre État.');
    for (let look = 0; look < 20 && !(await notice.count()); look++) {
      await focal.goto(`${h.base}/#/inbox`);
      await focal.getByRole('heading', { name: 'Avis', level: 1 }).waitFor();
      if (!(await notice.count())) await focal.waitForTimeout(250);
    }
    await notice.first().waitFor();
    await web.check(focal, 'focal-point-inbox');
  });

  it('the case officer deploys, reports, profiles and closes, and reads the timeline', async () => {
    const officer = await web.personPage();
    await web.signIn(officer, 'officer@ohchr.example');
    // The dashboard first: one matched case waits on the officers (to deploy).
    await officer.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const waiting = officer.locator('[data-waiting="officers"] .figure');
    await expect(waiting.textContent()).resolves.toBe('1');
    await web.check(officer, 'officer-dashboard');
    await officer.locator('[data-waiting="officers"] a').click();
    await officer.getByRole('heading', { name: 'Cases' }).waitFor();
    await expect(officer.getByLabel('Stage').inputValue()).resolves.toBe('matched');
    await officer.getByText('1 case', { exact: true }).waitFor();
    await officer.getByLabel('Theme').selectOption('torture-prevention');
    await officer.getByText('1 case', { exact: true }).waitFor();
    await officer.getByLabel('Theme').selectOption('death-penalty');
    await officer.getByText('No case', { exact: true }).waitFor();
    await officer.getByLabel('Theme').selectOption('');
    await officer.getByText('1 case', { exact: true }).waitFor();
    await web.check(officer, 'officer-cases');
    await officer
      .getByRole('link', { name: 'Mettre en place un mécanisme national de prévention' })
      .click();

    const deploy = officer.getByRole('form', { name: 'Deploy an expert' });
    await deploy.getByLabel('Expert (roster identifier)').fill(expertId);
    await deploy.getByLabel('Start date').fill('2026-06-15');
    await deploy.getByLabel('End date').fill('2026-09-15');
    await deploy.getByRole('button', { name: 'Deploy an expert' }).click();
    await officer.getByText('Expert deployed', { exact: true }).first().waitFor();

    const report = officer.getByRole('form', { name: 'Report progress' });
    await report.getByLabel('Status').selectOption('implemented');
    await report
      .getByLabel('What changed')
      .fill('The NPM law was adopted and the mechanism made its first visits');
    await report.getByRole('button', { name: 'Report progress' }).click();
    await officer.getByTestId('stage').getByText('Progress reported').waitFor();

    const profile = officer.getByRole('form', { name: 'Profile as a success story' });
    await profile.getByLabel('Panel year').fill('2026');
    await profile
      .getByLabel('The story, for publication')
      .fill('Malawi adopted its NPM law; the mechanism now visits places of detention.');
    await profile.getByRole('button', { name: 'Profile as a success story' }).click();
    await officer.getByTestId('stage').getByText('Success profiled').waitFor();

    const close = officer.getByRole('form', { name: 'Close the case' });
    await close.getByLabel('Reason').fill('Support completed');
    await close.getByRole('button', { name: 'Close the case' }).click();
    await officer.getByTestId('stage').getByText('Closed').waitFor();

    const timeline = officer.locator('.timeline li');
    await expect(
      timeline.evaluateAll((items) => items.map((i) => i.getAttribute('data-type'))),
    ).resolves.toEqual([
      'AssistanceRequested',
      'ConsentConfirmed',
      'RequestScreened',
      'OfferMade',
      'OfferMatched',
      'ExpertDeployed',
      'ProgressReported',
      'SuccessProfiled',
      'CaseClosed',
    ]);
    await expect(timeline.nth(2).textContent()).resolves.toContain(
      'by Lucía Mendes (Committee member)',
    );
    await web.check(officer, 'officer-case');

    // The roster: the expert now booked on this case; and the trust fund takes a contribution.
    await officer.getByRole('link', { name: 'Roster' }).click();
    await officer.getByRole('heading', { name: 'The roster of experts' }).waitFor();
    await officer.getByRole('cell', { name: 'Dr. Amina Diallo' }).waitFor();
    await expect(officer.getByRole('link', { name: /Jun 15, 2026/ }).count()).resolves.toBe(1);
    await web.check(officer, 'officer-roster');
    await officer.getByRole('link', { name: 'Trust fund' }).click();
    const contribution = officer.getByRole('form', { name: 'Record a contribution' });
    await contribution.getByLabel('Donor').fill('Norway');
    await contribution.getByLabel('Amount (whole US dollars)').fill('-5');
    await contribution.getByRole('button', { name: 'Record' }).click();
    // Refused beside the amount, which says it is invalid; the donor typed stays.
    await contribution
      .getByText('This value is not accepted (amount must not be less than 1).')
      .waitFor();
    await expect(
      contribution.getByLabel('Amount (whole US dollars)').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expect(contribution.getByLabel('Donor').inputValue()).resolves.toBe('Norway');
    await contribution.getByLabel('Amount (whole US dollars)').fill('25000');
    await contribution.getByRole('button', { name: 'Record' }).click();
    await officer.locator('[data-figure="received"] dd').getByText('$25,000').waitFor();
    await web.check(officer, 'officer-fund');
  });

  it('the auditor reads the panel as of a past day, verifies the log and takes the evidence', async () => {
    const auditor = await web.personPage();
    await web.signIn(auditor, 'auditor@oios.example');
    await auditor.getByRole('heading', { name: 'Audit' }).waitFor();
    const received = auditor.locator('tr[data-stage="received"] .value');
    await expect(received.textContent()).resolves.toBe('1');
    // Impact: the one case went from request to match (the same day, here).
    await expect(auditor.locator('[data-step="match"] td').last().textContent()).resolves.toBe('1');
    // The day before the request took effect: nothing had been received yet.
    await auditor.getByLabel('As of (end of day, UTC)').fill('2026-05-31');
    await auditor.getByRole('heading', { name: /as of May 31, 2026/ }).waitFor();
    await expect(received.textContent()).resolves.toBe('0');
    await auditor.getByRole('button', { name: 'Verify the log now' }).click();
    await auditor.getByText('Intact: no event was altered, removed or reordered.').waitFor();
    await auditor.getByLabel('Case identifier').fill(caseUrl.split('/').pop()!);
    const [download] = await Promise.all([
      auditor.waitForEvent('download'),
      auditor.getByRole('link', { name: 'Download the signed evidence bundle' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^keystone-evidence-[\w-]+\.json$/);
    await web.check(auditor, 'auditor-audit');
  });

  it('the public page shows the story without signing in', async () => {
    const visitor = await web.personPage();
    await visitor.goto(`${h.base}/#/public`);
    await visitor
      .getByText('Malawi adopted its NPM law; the mechanism now visits places of detention.')
      .waitFor();
    await web.check(visitor, 'public-after-case');
  });

  it('a focal point files a request by keyboard alone', async () => {
    const focal = await web.personPage();
    await web.signIn(focal, 'focal@mwi.example');
    await focal.getByRole('heading', { name: 'Demandes de MWI' }).waitFor();
    /** Tab (never a click) until `target` has the focus. */
    const tabTo = async (target: Locator) => {
      for (let presses = 0; presses < 80; presses++) {
        if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
        await focal.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${target}`);
    };
    await tabTo(focal.getByRole('link', { name: 'Demander un appui' }).first());
    await focal.keyboard.press('Enter');
    await focal.getByRole('heading', { name: 'Demander un appui', level: 1 }).waitFor();
    await tabTo(
      focal.getByRole('checkbox', { name: "Institutions nationales des droits de l'homme (INDH)" }),
    );
    await focal.keyboard.press('Space');
    await tabTo(focal.getByLabel('Ce que l’État veut accomplir'));
    await focal.keyboard.type('Renforcer l’institution nationale des droits de l’homme');
    await tabTo(focal.getByLabel('Appui recherché'));
    await focal.keyboard.type('Un appui à l’accréditation');
    await tabTo(focal.getByLabel('Référence'));
    await focal.keyboard.type('A/HRC/53/10, 121.9');
    await tabTo(focal.getByLabel('Texte de la recommandation'));
    await focal.keyboard.type('Mettre l’INDH en conformité avec les Principes de Paris');
    await tabTo(focal.getByRole('button', { name: 'Envoyer la demande' }));
    await focal.keyboard.press('Enter');
    await focal
      .getByRole('heading', { name: 'Renforcer l’institution nationale des droits de l’homme' })
      .waitFor();
    await expect(stage(focal).textContent()).resolves.toBe('En attente du consentement');
  });

  it('every screen passes axe-core’s WCAG 2.1 AA rules (no serious or critical violation)', () => {
    expect(Object.keys(web.accessibility).length).toBeGreaterThanOrEqual(17);
    console.log(
      `axe-core (WCAG 2.1 A and AA rules) on ${Object.keys(web.accessibility).length} screens: ${
        Object.values(web.accessibility).flat().length
      } serious or critical violations (${Object.keys(web.accessibility).join(', ')})`,
    );
    const failing = Object.fromEntries(
      Object.entries(web.accessibility).filter(([, v]) => v.length > 0),
    );
    expect(failing).toEqual({});
  });
});
