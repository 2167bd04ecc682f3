import { ApiHarness, requestBody, recommendation } from './api-harness';

export type Stage =
  | 'requested'
  | 'consented'
  | 'screened'
  | 'offered'
  | 'matched'
  | 'deployed'
  | 'reported'
  | 'closed';
const ORDER: Stage[] = [
  'requested',
  'consented',
  'screened',
  'offered',
  'matched',
  'deployed',
  'reported',
  'closed',
];

export interface Tokens {
  officer: string;
  auditor: string;
  admin: string;
  memberAfrica: string;
  memberAsia: string;
  focalMalawi: string;
  focalZambia: string;
  providerNorway: string;
  providerNgo: string;
}

export async function tokens(h: ApiHarness): Promise<Tokens> {
  return {
    officer: await h.token({ role: 'case-officer', sub: 'officer:ana' }),
    auditor: await h.token({ role: 'auditor', sub: 'auditor:ines' }),
    admin: await h.token({ role: 'admin', sub: 'admin:root' }),
    memberAfrica: await h.token({ role: 'committee-member', region: 'african' }),
    memberAsia: await h.token({ role: 'committee-member', region: 'asia-pacific' }),
    focalMalawi: await h.token({ role: 'state-focal-point', state: 'MWI' }),
    focalZambia: await h.token({ role: 'state-focal-point', state: 'ZMB' }),
    providerNorway: await h.token({
      role: 'provider',
      provider: 'prov:nor',
      provider_kind: 'state',
      provider_state: 'NOR',
      provider_name: 'Norway',
    }),
    providerNgo: await h.token({
      role: 'provider',
      provider: 'prov:apt',
      provider_kind: 'ngo',
      provider_name: 'Association for the Prevention of Torture',
    }),
  };
}

export interface CaseAt {
  caseId: string;
  offerId?: string;
  deploymentId?: string;
  expertId?: string;
}

/** Drives a Malawi case to a stage through the API, as the people who do each step would. */
export async function caseAt(h: ApiHarness, t: Tokens, stage: Stage): Promise<CaseAt> {
  const reached = (s: Stage) => ORDER.indexOf(stage) >= ORDER.indexOf(s);
  const ok = async (reply: Promise<{ status: number; body: any }>) => {
    const { status, body } = await reply;
    if (status >= 300) throw new Error(`setup step failed: ${status} ${JSON.stringify(body)}`);
    return body;
  };
  const { caseId } = await ok(
    h.call('POST', '/cases', { token: t.focalMalawi, body: requestBody() }),
  );
  const at: CaseAt = { caseId };
  if (reached('consented'))
    await ok(h.call('POST', `/cases/${caseId}/consent`, { token: t.focalMalawi, body: {} }));
  if (reached('screened'))
    await ok(
      h.call('POST', `/cases/${caseId}/screening`, {
        token: t.memberAfrica,
        body: { decision: 'accepted' },
      }),
    );
  if (reached('offered')) {
    at.offerId = (
      await ok(
        h.call('POST', `/cases/${caseId}/offers`, {
          token: t.providerNorway,
          body: { offered: 'Two NPM experts for six months', funding: 'provider' },
        }),
      )
    ).offerId;
  }
  if (reached('matched'))
    await ok(
      h.call('POST', `/cases/${caseId}/offers/${at.offerId}/match`, {
        token: t.focalMalawi,
        body: {},
      }),
    );
  if (reached('deployed')) {
    at.expertId = await availableExpert(h, t);
    at.deploymentId = (
      await ok(
        h.call('POST', `/cases/${caseId}/deployments`, {
          token: t.officer,
          body: {
            offerId: at.offerId,
            expertId: at.expertId,
            startDate: '2026-06-15',
            endDate: '2026-09-15',
            funding: 'provider',
          },
        }),
      )
    ).deploymentId;
  }
  if (reached('reported')) {
    await ok(
      h.call('POST', `/cases/${caseId}/progress-reports`, {
        token: t.focalMalawi,
        body: {
          progress: [
            {
              reference: recommendation.reference,
              status: 'in-progress',
              narrative: 'Draft NPM law tabled in parliament',
            },
          ],
        },
      }),
    );
  }
  if (reached('closed'))
    await ok(
      h.call('POST', `/cases/${caseId}/closure`, {
        token: t.officer,
        body: { reason: 'Support completed' },
      }),
    );
  return at;
}

export async function availableExpert(
  h: ApiHarness,
  t: Tokens,
  name = 'Dr. Amina Diallo',
): Promise<string> {
  const { body } = await h.call('POST', '/experts', {
    token: t.officer,
    body: {
      name,
      contact: 'amina.diallo@example.org',
      nationality: 'Senegal',
      languages: ['fr', 'en'],
      themes: ['torture-prevention'],
    },
  });
  await h.call('PATCH', `/experts/${body.expertId}/availability`, {
    token: t.officer,
    body: { periods: [{ from: '2026-01-01', to: '2027-12-31' }] },
  });
  return body.expertId;
}

/**
 * A suite's API: started before its tests with a token of every role, stopped after. The tokens
 * object is filled in place once the API is up, so `const { h, t } = apiForSuite()` reads naturally.
 */
export function apiForSuite(...args: ConstructorParameters<typeof ApiHarness>): {
  h: ApiHarness;
  t: Tokens;
} {
  const h = new ApiHarness(...args);
  const t = {} as Tokens;
  beforeAll(async () => {
    await h.start();
    Object.assign(t, await tokens(h));
  });
  afterAll(() => h.stop());
  return { h, t };
}
