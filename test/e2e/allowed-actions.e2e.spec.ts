import { recommendation } from './support/api-harness';
import { availableExpert, caseAt, type CaseAt, type Stage, apiForSuite } from './support/scenario';

/**
 * GET /cases/{id}/allowed-actions tells each person what they may do on a case now, and why not.
 * This drives every answer: for each role and stage, each action listed is sent for real on a fresh
 * case at that stage; an allowed one must succeed, a refused one must fail with the code announced.
 */
describe('allowed actions match what the commands then allow', () => {
  const { h, t } = apiForSuite();

  const roles = () =>
    ({
      officer: t.officer,
      auditor: t.auditor,
      'member of the region': t.memberAfrica,
      'member of another region': t.memberAsia,
      'focal point of the State': t.focalMalawi,
      'focal point of another State': t.focalZambia,
      'provider of the offer': t.providerNorway,
      'another provider': t.providerNgo,
    }) as const;

  /** A valid command of each kind, as the role would send it. */
  async function send(role: string, token: string, at: CaseAt, action: string, offerId?: string) {
    const base = `/cases/${at.caseId}`;
    const post = (path: string, body: unknown) => h.call('POST', `${base}${path}`, { token, body });
    switch (action) {
      case 'AmendRequest':
        return post('/amendments', { description: 'Set up an NPM, with a budget line' });
      case 'ConfirmConsent':
        return post('/consent', {});
      case 'WithdrawConsent':
        return post('/consent/withdrawal', { reason: 'New government reviewing requests' });
      case 'ScreenRequest':
        return post('/screening', { decision: 'accepted' });
      case 'MakeOffer':
        return post('/offers', {
          offered: 'A peer exchange with another NPM',
          funding: 'provider',
          ...(role.includes('provider')
            ? {}
            : { provider: { kind: 'ngo', id: 'prov:apt', name: 'An NGO' } }),
        });
      case 'WithdrawOffer':
        return post(`/offers/${offerId}/withdrawal`, { reason: 'Budget cut' });
      case 'MatchOffer':
        return post(`/offers/${offerId}/match`, {});
      case 'DeployExpert':
        return post('/deployments', {
          offerId,
          expertId: await availableExpert(h, t),
          startDate: '2026-06-20',
          endDate: '2026-07-20',
          funding: 'provider',
        });
      case 'ReportProgress':
        return post('/progress-reports', {
          progress: [
            { reference: recommendation.reference, status: 'in-progress', narrative: 'x' },
          ],
        });
      case 'ProfileSuccess':
        return post('/success-profiles', { panelYear: 2026, summary: 'An NPM now visits' });
      case 'CloseCase':
        return post('/closure', { reason: 'Support completed' });
      default:
        throw new Error(`no command for ${action}`);
    }
  }

  const STAGES: Stage[] = ['requested', 'offered', 'deployed'];

  it.each(STAGES)('at stage %s, for every role', async (stage) => {
    let driven = 0;
    for (const [role, token] of Object.entries(roles())) {
      const shown = await caseAt(h, t, stage);
      const reply = await h.call('GET', `/cases/${shown.caseId}/allowed-actions`, { token });
      if (reply.status === 403) {
        // Who may not read the case is told so, and may do nothing on it.
        expect([role, stage, reply.body.code]).toEqual([role, stage, 'ACCESS.DENIED']);
        // Providers do not see a request before the State's consent.
        const outsiders = ['member of another region', 'focal point of another State'];
        if (stage === 'requested') outsiders.push('provider of the offer', 'another provider');
        expect(outsiders).toContain(role);
        continue;
      }
      expect([role, reply.status]).toEqual([role, 200]);
      for (const entry of reply.body as {
        action: string;
        offerId?: string;
        allowed: boolean;
        code?: string;
      }[]) {
        const fresh = await caseAt(h, t, stage);
        const offerId = entry.offerId === undefined ? undefined : fresh.offerId;
        const result = await send(role, token, fresh, entry.action, offerId);
        const outcome = result.status < 300 ? 'allowed' : result.body.code;
        expect([stage, role, entry.action, outcome]).toEqual([
          stage,
          role,
          entry.action,
          entry.allowed ? 'allowed' : entry.code,
        ]);
        driven++;
      }
    }
    // Fewer readers before consent: providers see the request only once it stands.
    expect(driven).toBeGreaterThan(stage === 'requested' ? 25 : 40);
  });

  it('gives each refusal a reason, and lists one entry per offer the caller may know of', async () => {
    const at = await caseAt(h, t, 'offered');
    const { body } = await h.call('GET', `/cases/${at.caseId}/allowed-actions`, {
      token: t.providerNgo,
    });
    expect(body.find((e: any) => e.action === 'MakeOffer')).toEqual({
      action: 'MakeOffer',
      allowed: true,
    });
    // Norway's offer is not this provider's to know of: no entry names it (its own would).
    expect(body.filter((e: any) => e.offerId)).toEqual([]);
    const officer = await h.call('GET', `/cases/${at.caseId}/allowed-actions`, {
      token: t.officer,
    });
    expect(officer.body.filter((e: any) => e.action === 'WithdrawOffer')).toEqual([
      { action: 'WithdrawOffer', offerId: at.offerId, allowed: true },
    ]);
    expect(officer.body.find((e: any) => e.action === 'DeployExpert')).toEqual({
      action: 'DeployExpert',
      offerId: at.offerId,
      allowed: false,
      code: 'CASE.OFFER_NOT_MATCHED',
      reason: expect.stringContaining('matched'),
    });
    expect(body.find((e: any) => e.action === 'ConfirmConsent')).toMatchObject({
      allowed: false,
      code: 'ACCESS.DENIED',
      reason: expect.stringContaining('A provider may not confirm consent'),
    });
    for (const entry of body) if (!entry.allowed) expect(entry.reason.length).toBeGreaterThan(10);
  });
});
