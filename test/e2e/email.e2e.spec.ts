import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { PeopleService } from '@keystone/people';
import { ApiHarness, requestBody } from './support/api-harness';
import { tokens, type Tokens } from './support/scenario';

/**
 * Notices by e-mail, through a real SMTP server the test starts (smtp-server): a new request goes to
 * the committee member of its region, an offer to the State's focal points, each in the person's
 * language, with a link into the web app; nobody outside the address gets it; the inbox stays.
 */
describe('notices by e-mail', () => {
  const received: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  let h: ApiHarness;
  let t: Tokens;

  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    h = new ApiHarness('sqlite', {
      KEYSTONE_SMTP_URL: `smtp://127.0.0.1:${port}`,
      KEYSTONE_MAIL_FROM: 'Keystone <keystone@ohchr.example>',
      KEYSTONE_PUBLIC_URL: 'https://keystone.example.org',
    });
    await h.start();
    t = await tokens(h);
    const people = new PeopleService(h.eventStore(), h.clock);
    const now = h.clock.now().toISOString();
    const context = { actor: 'setup', role: 'admin', correlationId: 'setup', occurredAt: now, now };
    for (const person of [
      {
        email: 'lucia@africa.example',
        name: 'Lucía Mendes',
        language: 'es',
        role: 'committee-member',
        scope: { region: 'african' },
      },
      {
        email: 'aiko@asia.example',
        name: 'Aiko Sato',
        language: 'en',
        role: 'committee-member',
        scope: { region: 'asia-pacific' },
      },
      {
        email: 'chikondi@mwi.example',
        name: 'Chikondi Banda',
        language: 'fr',
        role: 'state-focal-point',
        scope: { state: 'MWI' },
      },
    ] as const) {
      const { invitationToken } = await people.invite(person, context);
      await people.acceptInvitation(invitationToken, 'a long enough password');
    }
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  async function mailTo(address: string, subject: RegExp): Promise<ParsedMail> {
    for (let waited = 0; waited < 15_000; waited += 100) {
      const found = received.find(
        (m) =>
          m.to &&
          !Array.isArray(m.to) &&
          m.to.value[0].address === address &&
          subject.test(m.subject ?? ''),
      );
      if (found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `no mail to ${address} matching ${subject}; got ${received.map((m) => `${JSON.stringify(m.to && !Array.isArray(m.to) ? m.to.text : '')} ${m.subject}`).join('; ')}`,
    );
  }

  it('sends each notice to the people behind it, in their language, with a link', async () => {
    const request = await h.call('POST', '/cases', { token: t.focalMalawi, body: requestBody() });
    expect(request.status).toBe(201);
    const caseId = request.body.caseId as string;

    const toCommittee = await mailTo('lucia@africa.example', /solicitud/);
    expect(toCommittee.subject).toBe('Keystone: Una nueva solicitud para examinar');
    expect(toCommittee.from?.value[0]).toMatchObject({
      name: 'Keystone',
      address: 'keystone@ohchr.example',
    });
    expect(toCommittee.text).toContain('Una nueva solicitud de apoyo espera su examen.');
    expect(toCommittee.text).toContain(`https://keystone.example.org/#/cases/${caseId}`);

    await h.call('POST', `/cases/${caseId}/consent`, { token: t.focalMalawi, body: {} });
    await h.call('POST', `/cases/${caseId}/screening`, {
      token: t.memberAfrica,
      body: { decision: 'accepted' },
    });
    const offer = await h.call('POST', `/cases/${caseId}/offers`, {
      token: t.providerNgo,
      body: { offered: 'Two NPM experts', funding: 'provider' },
    });
    expect(offer.status).toBe(201);
    const toFocal = await mailTo('chikondi@mwi.example', /offre/);
    expect(toFocal.subject).toBe('Keystone: Une offre d’appui a été faite');
    expect(toFocal.text).toContain('Ouvrir le dossier dans Keystone');

    // The Asia-Pacific member is not behind the African committee's address.
    expect(received.filter((m) => JSON.stringify(m.to).includes('aiko@asia.example'))).toEqual([]);
    // The in-app inbox still has the notice.
    const inbox = await h.call('GET', '/notifications', { token: t.memberAfrica });
    expect(inbox.body.notifications.map((n: { kind: string }) => n.kind)).toContain(
      'committee-new-request',
    );
  }, 60_000);
});
