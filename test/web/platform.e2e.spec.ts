import { ApiHarness } from '../e2e/support/api-harness';
import { tokens } from '../e2e/support/scenario';
import { PeopleInChromium, peopleOf } from './support/people';

jest.setTimeout(60_000);

/**
 * The voluntary platform in the browser, as its people use it: the case officer registers a
 * provider and convenes a session, then opens its registration; Fiji's focal point (in Spanish)
 * registers its presentation, then lodges a request at the session, not tied to a recommendation and
 * naming SDG targets (a target that does not exist is refused beside its field); a provider (in
 * French) pledges at the session; the officer records the session held and reads what it produced.
 * axe-core checks every screen; screenshots go to test-artifacts/web.
 */
describe('the voluntary platform in the browser', () => {
  const h = new ApiHarness();
  const web = new PeopleInChromium(h);
  let sessionUrl = '';
  let caseUrl = '';

  beforeAll(async () => {
    await h.start();
    const { account } = await peopleOf(h, { email: 'admin@ohchr.example', name: 'Ada Admin' });
    await account({
      email: 'officer@ohchr.example',
      name: 'Omar Haddad',
      language: 'en',
      role: 'case-officer',
      scope: {},
    });
    await account({
      email: 'focal@fji.example',
      name: 'Mere Tuilagi',
      language: 'es',
      role: 'state-focal-point',
      scope: { state: 'FJI' },
    });
    await account({
      email: 'offers@apt.example',
      name: 'Jonas Keller',
      language: 'fr',
      role: 'provider',
      scope: {
        provider: {
          id: 'prov:apt',
          kind: 'ngo',
          name: 'Association for the Prevention of Torture',
        },
      },
    });
    await tokens(h); // registers the APT in the provider registry
    await web.start();
  }, 90_000);

  afterAll(async () => {
    await web.close();
    await h.stop();
  });

  it('the officer registers a provider and convenes a session, then opens its registration', async () => {
    const officer = await web.signedIn('officer@ohchr.example');
    await officer.getByRole('link', { name: 'Provider registry' }).click();
    const register = officer.getByRole('form', { name: 'Register a provider' });
    await register.getByLabel('Name').fill('African Union');
    await register.getByLabel('Kind').selectOption('regional-organisation');
    await register.getByLabel('Registry id').fill('prov:au');
    await register.getByRole('button', { name: 'Register' }).click();
    await officer.getByRole('cell', { name: 'African Union' }).waitFor();
    await officer
      .getByRole('cell', { name: 'Regional or intergovernmental organisation' })
      .waitFor();
    await web.check(officer, 'officer-providers');

    await officer.getByRole('link', { name: 'Platform sessions' }).click();
    await officer.getByText('No session has been convened yet.').waitFor();
    const convene = officer.getByRole('form', { name: 'Convene a session' });
    await convene.getByLabel('Title').fill('First session: national mechanisms for follow-up');
    await convene.getByLabel('Theme').selectOption('nmirf');
    await convene.getByLabel('First day').fill('2026-06-15');
    await convene.getByLabel('Last day').fill('2026-06-10');
    await convene.getByLabel('Place').fill('Palais des Nations, Geneva');
    await convene.getByRole('button', { name: 'Convene' }).click();
    // A session ending before it begins is refused beside its last day.
    const lastDay = convene.getByLabel('Last day');
    await convene.getByRole('alert').waitFor();
    await expect(lastDay.getAttribute('aria-invalid')).resolves.toBe('true');
    await lastDay.fill('2026-06-16');
    await convene.getByRole('button', { name: 'Convene' }).click();
    await officer
      .getByRole('link', { name: 'First session: national mechanisms for follow-up' })
      .click();
    await officer.getByTestId('session-status').getByText('Planned').waitFor();
    await web.check(officer, 'officer-session-planned');
    await officer.getByRole('button', { name: 'Open registration' }).click();
    await officer.getByTestId('session-status').getByText('Registration open').waitFor();
    sessionUrl = officer.url().replace(/\?.*#/, '#');
    await web.check(officer, 'officer-sessions');
  });

  it('the administrator invites someone of a registered provider, chosen from the registry', async () => {
    const admin = await web.signedIn('admin@ohchr.example');
    const invite = admin.getByRole('form', { name: 'Invite someone' });
    await invite.getByLabel('Name').fill('Amina Wako');
    await invite.getByLabel('E-mail address').fill('offers@au.example');
    await invite.getByLabel('Role').selectOption('provider');
    await invite
      .getByLabel('Provider', { exact: true })
      .selectOption({ label: 'African Union (Regional or intergovernmental organisation)' });
    await web.check(admin, 'admin-invite-provider');
    await invite.getByRole('button', { name: 'Invite' }).click();
    await admin.getByRole('cell', { name: 'Amina Wako' }).waitFor();
    await admin.getByRole('cell', { name: 'African Union' }).waitFor();
  });

  it('Fiji’s focal point (in Spanish) presents, then lodges a request at the session', async () => {
    const focal = await web.signedIn('focal@fji.example');
    await focal.getByRole('link', { name: 'Sesiones de la plataforma' }).click();
    await focal
      .getByRole('link', { name: 'First session: national mechanisms for follow-up' })
      .click();
    const present = focal.getByRole('form', { name: 'Inscribir una presentación' });
    await present.getByLabel('Logros').fill('Un mecanismo nacional creado por decreto');
    await present.getByLabel('Dificultades').fill('Sin presupuesto para el seguimiento');
    await web.check(focal, 'focal-point-presentation-form');
    await present.getByRole('button', { name: 'Inscribir' }).click();
    await focal.getByRole('heading', { name: 'Fiji — Presentación' }).waitFor();

    await focal.getByRole('link', { name: 'Solicitar apoyo' }).first().click();
    await focal.getByRole('checkbox', { name: 'Prevención de la tortura' }).check();
    await focal
      .getByLabel('Lo que el Estado quiere lograr')
      .fill('Un mecanismo nacional de prevención');
    await focal.getByLabel('Apoyo solicitado').fill('Asesoramiento sobre su mandato');
    await focal
      .getByLabel('Sesión de la plataforma')
      .selectOption({ label: 'First session: national mechanisms for follow-up' });
    await focal
      .getByRole('checkbox', {
        name: 'Esta solicitud no está vinculada a una recomendación concreta de la ONU',
      })
      .check();
    const targets = focal.getByLabel('Metas de los ODS a las que sirve (opcional)');
    await targets.fill('16.3, 99.1');
    await focal.getByRole('button', { name: 'Enviar la solicitud' }).click();
    await focal.getByText('«99.1» no es una meta de los ODS').waitFor();
    await expect(targets.getAttribute('aria-invalid')).resolves.toBe('true');
    await web.check(focal, 'focal-point-request-at-session');
    await targets.fill('16.3, 5.c');
    await focal.getByRole('button', { name: 'Enviar la solicitud' }).click();
    await focal.getByRole('heading', { name: 'Un mecanismo nacional de prevención' }).waitFor();
    caseUrl = focal.url().replace(/\?.*#/, '#');
    await focal.getByRole('button', { name: /Dar el consentimiento/ }).click();
    await focal.getByText('Pendiente de examen', { exact: true }).waitFor();
  });

  it('a provider (in French) pledges at the session, once the committee accepted the request', async () => {
    const member = await h.token({ role: 'committee-member', region: 'asia-pacific' });
    const caseId = caseUrl.split('/').pop()!;
    const screened = await h.call('POST', `/cases/${caseId}/screening`, {
      token: member,
      body: { decision: 'accepted' },
    });
    expect(screened.status).toBe(200);
    const provider = await web.signedIn('offers@apt.example');
    await provider.goto(caseUrl);
    await provider.getByLabel('Ce que vous offrez').fill('Deux experts des MNP pendant six mois');
    await provider
      .getByLabel('Session de la plateforme')
      .selectOption({ label: 'First session: national mechanisms for follow-up' });
    await web.check(provider, 'provider-pledge');
    await provider.getByRole('button', { name: 'Faire une offre' }).click();
    await provider
      .locator('li[data-offer]')
      .getByText('Deux experts des MNP pendant six mois')
      .waitFor();
  });

  it('a theme Fiji proposes (in Spanish), once an officer accepts it, is offered in the request form', async () => {
    const focal = await web.signedIn('focal@fji.example');
    await focal.getByRole('link', { name: 'Temas' }).click();
    const propose = focal.getByRole('form', { name: 'Proponer un tema' });
    await propose.getByLabel('Tema').fill('Justicia climática');
    await propose.getByLabel('Otros nombres').fill('clima y derechos humanos');
    await propose.getByRole('button', { name: 'Proponer' }).click();
    await focal.getByRole('cell', { name: 'Propuesto' }).waitFor();
    // A name the vocabulary has already, in any of its languages, is refused beside the field.
    await propose.getByLabel('Tema').fill('INDH');
    await propose.getByRole('button', { name: 'Proponer' }).click();
    await propose.getByText('«INDH» ya nombra un tema del vocabulario.').waitFor();
    await expect(propose.getByLabel('Tema').getAttribute('aria-invalid')).resolves.toBe('true');
    await web.check(focal, 'focal-point-themes');

    const officer = await web.signedIn('officer@ohchr.example');
    await officer.getByRole('link', { name: 'Themes' }).click();
    await officer.getByRole('button', { name: 'Accept Justicia climática' }).click();
    await officer.getByRole('cell', { name: 'Accepted' }).waitFor();
    await web.check(officer, 'officer-themes');

    await focal.getByRole('link', { name: 'Solicitar apoyo' }).first().click();
    await focal.getByRole('checkbox', { name: 'Justicia climática' }).waitFor();
  });

  it('the officer records the session held and reads what it produced', async () => {
    h.clock.set('2026-06-16T17:00:00.000Z');
    const officer = await web.signedIn('officer@ohchr.example');
    await officer.goto(sessionUrl);
    await officer.getByRole('button', { name: 'Record the session as held' }).click();
    await officer.getByTestId('session-status').getByText('Held').waitFor();
    const figure = (name: string) => officer.locator(`[data-figure="${name}"] dd`).textContent();
    await expect(figure('requests')).resolves.toBe('1');
    await expect(figure('requestsSids')).resolves.toBe('1'); // Fiji
    await expect(figure('requestsLdc')).resolves.toBe('0');
    await expect(figure('pledges')).resolves.toBe('1');
    await expect(figure('statesPresenting')).resolves.toBe('1');
    await officer.getByRole('heading', { name: 'Requests lodged' }).waitFor();
    await officer.getByText('Association for the Prevention of Torture →').waitFor();
    await web.check(officer, 'officer-session-held');
  });

  it('every screen passes axe-core’s WCAG 2.1 AA rules (no serious or critical violation)', () => {
    expect(Object.keys(web.accessibility).length).toBeGreaterThanOrEqual(10);
    const failing = Object.fromEntries(
      Object.entries(web.accessibility).filter(([, v]) => v.length > 0),
    );
    expect(failing).toEqual({});
  });
});
