import { PeopleService } from '@keystone/people';
import { ApiHarness, EVERY_STORE } from './support/api-harness';

const CLIENT = { 'x-keystone-client': 'web' };
const ADMIN_PASSWORD = 'correct horse battery staple';

/**
 * Signing in to the web app: the first administrator (as `keystone users create-admin` makes
 * them), invitations with a role and scope, a session cookie that is HttpOnly and SameSite=Strict,
 * CSRF refused, sign-out, revocation ending sessions at once, a lock after five failures; and the
 * grants in the log, never a password.
 */
describe.each(EVERY_STORE)('people and sign-in [%s]', (store) => {
  const h = new ApiHarness(store);
  beforeAll(() => h.start(), 60_000);
  afterAll(() => h.stop());

  const cookieOf = (headers: Headers): string => {
    const set = headers.get('set-cookie') ?? '';
    return set.split(';')[0];
  };
  const signIn = (email: string, password: string) =>
    h.call('POST', '/auth/session', { headers: CLIENT, body: { email, password } });

  it('walks from the first administrator to a focal point acting in the browser’s way', async () => {
    const people = new PeopleService(h.eventStore(), h.clock);
    const now = h.clock.now().toISOString();
    await people.createAdmin(
      { email: 'Admin@OHCHR.example', name: 'Ada Admin', language: 'en' },
      ADMIN_PASSWORD,
      {
        actor: 'keystone users create-admin',
        role: 'admin',
        correlationId: 'setup',
        occurredAt: now,
        now,
      },
    );

    // Without the web app's header, a sign-in is refused (login CSRF).
    const noHeader = await h.call('POST', '/auth/session', {
      body: { email: 'admin@ohchr.example', password: ADMIN_PASSWORD },
    });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.code).toBe('AUTH.CSRF');

    const wrong = await signIn('admin@ohchr.example', 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('AUTH.SIGN_IN_FAILED');
    const nobody = await signIn('nobody@ohchr.example', ADMIN_PASSWORD);
    expect(nobody.body).toEqual(wrong.body); // the answer never says which part was wrong

    const admin = await signIn('ADMIN@ohchr.example', ADMIN_PASSWORD);
    expect(admin.status).toBe(200);
    expect(admin.body.person).toMatchObject({ name: 'Ada Admin', role: 'admin', status: 'active' });
    const setCookie = admin.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^keystone_session=[\w-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toMatch(/Secure/); // 127.0.0.1: no TLS here; Secure everywhere else
    const adminCookie = { cookie: cookieOf(admin.headers) };

    // The queue dashboard opens to a signed-in administrator (a link on the people screen).
    const board = await fetch(`${h.base}/admin/queues`, { headers: adminCookie });
    expect(board.status).toBe(200);
    expect(await board.text()).toContain('<html');

    // The cookie signs reads; a write needs the web app's header too.
    expect((await h.call('GET', '/auth/me', { headers: adminCookie })).body.email).toBe(
      'admin@ohchr.example',
    );
    const invite = {
      email: 'focal@mwi.example',
      name: 'Chikondi Banda',
      language: 'fr',
      role: 'state-focal-point',
      state: 'MWI',
    };
    const forged = await h.call('POST', '/people', { headers: adminCookie, body: invite });
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('AUTH.CSRF');
    const noScope = await h.call('POST', '/people', {
      headers: { ...adminCookie, ...CLIENT },
      body: { ...invite, state: undefined },
    });
    expect(noScope.status).toBe(400);
    expect(noScope.body.code).toBe('PEOPLE.INVALID_SCOPE');
    const invited = await h.call('POST', '/people', {
      headers: { ...adminCookie, ...CLIENT },
      body: invite,
    });
    expect(invited.status).toBe(201);
    expect(invited.body.invitationPath).toMatch(/^\/#\/invitation\/[\w-]{43}$/);
    const again = await h.call('POST', '/people', {
      headers: { ...adminCookie, ...CLIENT },
      body: invite,
    });
    expect(again.body.code).toBe('PEOPLE.EMAIL_TAKEN');
    const personId = invited.body.personId as string;

    // The invited person chooses a password with the link; the link works once.
    const token = (invited.body.invitationPath as string).split('/').pop()!;
    const short = await h.call('POST', '/auth/invitation', {
      headers: CLIENT,
      body: { token, password: 'short' },
    });
    expect(short.body.code).toBe('AUTH.PASSWORD_TOO_SHORT');
    const accepted = await h.call('POST', '/auth/invitation', {
      headers: CLIENT,
      body: { token, password: 'mangoes in the rainy season' },
    });
    expect(accepted.status).toBe(204);
    const reused = await h.call('POST', '/auth/invitation', {
      headers: CLIENT,
      body: { token, password: 'mangoes in the rainy season' },
    });
    expect(reused.body.code).toBe('AUTH.INVITATION_INVALID');

    const focal = await signIn('focal@mwi.example', 'mangoes in the rainy season');
    expect(focal.body.person).toMatchObject({
      role: 'state-focal-point',
      state: 'MWI',
      language: 'fr',
    });
    const focalCookie = { cookie: cookieOf(focal.headers) };
    const requestBody = {
      state: 'MWI',
      themes: ['Torture prevention'],
      description: 'Set up a national preventive mechanism',
      supportSought: 'Advice on the law',
      recommendations: [
        { source: 'upr', reference: 'A/HRC/53/10, 121.4', text: 'Establish an NPM' },
      ],
    };
    const request = await h.call('POST', '/cases', {
      headers: { ...focalCookie, ...CLIENT },
      body: requestBody,
    });
    expect(request.status).toBe(201);
    const forZambia = await h.call('POST', '/cases', {
      headers: { ...focalCookie, ...CLIENT },
      body: { ...requestBody, state: 'ZMB' },
    });
    expect(forZambia.status).toBe(403);
    // Managing people is the administrator's alone.
    expect((await h.call('GET', '/people', { headers: focalCookie })).status).toBe(403);
    expect((await fetch(`${h.base}/admin/queues`, { headers: focalCookie })).status).toBe(403);

    // Nobody changes their own access; another's, with a reason, ends their sessions at once.
    const self = await h.call('POST', `/people/${admin.body.person.personId}/revocation`, {
      headers: { ...adminCookie, ...CLIENT },
      body: { reason: 'testing' },
    });
    expect(self.body.code).toBe('PEOPLE.OWN_ACCESS');
    const revoked = await h.call('POST', `/people/${personId}/revocation`, {
      headers: { ...adminCookie, ...CLIENT },
      body: { reason: 'Changed post' },
    });
    expect(revoked.body.status).toBe('revoked');
    const after = await h.call('GET', '/auth/me', { headers: focalCookie });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('AUTH.SESSION_ENDED');
    expect((await signIn('focal@mwi.example', 'mangoes in the rainy season')).status).toBe(401);

    // Signing out ends the session server-side, not only the cookie.
    const out = await h.call('DELETE', '/auth/session', { headers: { ...adminCookie, ...CLIENT } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await h.call('GET', '/auth/me', { headers: adminCookie })).body.code).toBe(
      'AUTH.SESSION_ENDED',
    );

    // Who granted what to whom is history; no password or address is.
    const log = await h.openLog();
    try {
      const events = await log.readStream(`person-${personId}`);
      expect(events.map((e) => e.type)).toEqual(['RoleGranted', 'AccessRevoked']);
      expect(events[0].data).toEqual({
        personId,
        role: 'state-focal-point',
        scope: { state: 'MWI' },
      });
      expect(events[0].metadata.actor).toBe(admin.body.person.personId);
      const all = JSON.stringify(await log.readAll());
      expect(all).not.toMatch(/mangoes|battery staple|scrypt|focal@mwi/);
    } finally {
      await log.close();
    }
  }, 60_000);

  it('makes an account wait after five failed sign-ins', async () => {
    const people = new PeopleService(h.eventStore(), h.clock);
    const now = h.clock.now().toISOString();
    await people.createAdmin(
      { email: 'second@ohchr.example', name: 'Second', language: 'es' },
      ADMIN_PASSWORD,
      {
        actor: 'keystone users create-admin',
        role: 'admin',
        correlationId: 'setup-2',
        occurredAt: now,
        now,
      },
    );
    for (let attempt = 0; attempt < 5; attempt++)
      expect((await signIn('second@ohchr.example', 'guess number ' + attempt)).body.code).toBe(
        'AUTH.SIGN_IN_FAILED',
      );
    const locked = await signIn('second@ohchr.example', ADMIN_PASSWORD);
    expect(locked.body.code).toBe('AUTH.SIGN_IN_LOCKED');
    h.clock.set(new Date(h.clock.now().getTime() + 16 * 60_000).toISOString());
    expect((await signIn('second@ohchr.example', ADMIN_PASSWORD)).status).toBe(200);
  }, 60_000);
});
