import { ApiHarness, requestBody } from './support/api-harness';
import { availableExpert, caseAt, tokens, type Stage, type Tokens } from './support/scenario';

/**
 * Every route × every caller: exactly the allowed calls succeed; the rest get 401 (no token) or 403
 * with a reason, and write nothing. The expectations are written out here, from domain.md's table,
 * independently of the code's own table.
 */
type Caller = 'none' | keyof Tokens;
const CALLERS: Caller[] = [
  'none',
  'officer',
  'auditor',
  'admin',
  'memberAfrica',
  'memberAsia',
  'focalMalawi',
  'focalZambia',
  'providerNorway',
  'providerNgo',
];

interface Route {
  readonly name: string;
  readonly stage?: Stage;
  readonly allowed: readonly Caller[];
  /** Makes the request for a prepared case (or none) and a caller. */
  request(
    h: ApiHarness,
    t: Tokens,
    at: { caseId: string; offerId?: string; expertId?: string },
    caller: Caller,
  ): { method: string; path: string; body?: unknown };
}

const ROUTES: Route[] = [
  {
    name: 'POST /cases',
    allowed: ['officer', 'focalMalawi'],
    request: () => ({ method: 'POST', path: '/cases', body: requestBody('MWI') }),
  },
  // Providers see a request once the State's consent stands, not before.
  {
    name: 'GET /cases/{id} (no consent yet)',
    stage: 'requested',
    allowed: ['officer', 'auditor', 'memberAfrica', 'focalMalawi'],
    request: (_h, _t, at) => ({ method: 'GET', path: `/cases/${at.caseId}` }),
  },
  {
    name: 'GET /cases/{id}',
    stage: 'consented',
    allowed: ['officer', 'auditor', 'memberAfrica', 'focalMalawi', 'providerNorway', 'providerNgo'],
    request: (_h, _t, at) => ({ method: 'GET', path: `/cases/${at.caseId}` }),
  },
  // Every query parameter that changes what is read passes the same check as the plain read,
  // decided on the case as it stands: a closed case is no longer open to providers, at any asOf.
  // (asOf by recorded time: the harness's clock records every step at 2026-06-01T12:00Z, written
  // here with an offset; asOfEffective by business time: a day the case was open, before closure.)
  ...(
    [
      ['asOf', '2026-06-01T17:00:00%2B05:00'],
      ['asOfEffective', '2026-01-10T12:00:00%2B05:00'],
    ] as const
  ).map(([param, at]): Route => ({
    name: `GET /cases/{id}?${param} (closed case)`,
    stage: 'closed',
    allowed: ['officer', 'auditor', 'memberAfrica', 'focalMalawi'],
    request: (_h, _t, c) => ({ method: 'GET', path: `/cases/${c.caseId}?${param}=${at}` }),
  })),
  {
    name: 'GET /cases/{id}/allowed-actions',
    stage: 'consented',
    allowed: ['officer', 'auditor', 'memberAfrica', 'focalMalawi', 'providerNorway', 'providerNgo'],
    request: (_h, _t, at) => ({ method: 'GET', path: `/cases/${at.caseId}/allowed-actions` }),
  },
  {
    name: 'GET /cases/{id}/events',
    stage: 'requested',
    allowed: ['officer', 'auditor', 'memberAfrica', 'focalMalawi'],
    request: (_h, _t, at) => ({ method: 'GET', path: `/cases/${at.caseId}/events` }),
  },
  {
    name: 'POST amendments',
    stage: 'requested',
    allowed: ['officer', 'focalMalawi'],
    request: (_h, _t, at) => ({
      method: 'POST',
      path: `/cases/${at.caseId}/amendments`,
      body: { description: 'Narrowed to the NPM law' },
    }),
  },
  {
    name: 'POST consent',
    stage: 'requested',
    allowed: ['officer', 'focalMalawi'],
    request: (_h, _t, at) => ({ method: 'POST', path: `/cases/${at.caseId}/consent`, body: {} }),
  },
  {
    name: 'POST consent/withdrawal',
    stage: 'consented',
    allowed: ['officer', 'focalMalawi'],
    request: (_h, _t, at) => ({
      method: 'POST',
      path: `/cases/${at.caseId}/consent/withdrawal`,
      body: { reason: 'Government review' },
    }),
  },
  {
    name: 'POST screening',
    stage: 'consented',
    allowed: ['memberAfrica'],
    request: (_h, _t, at) => ({
      method: 'POST',
      path: `/cases/${at.caseId}/screening`,
      body: { decision: 'accepted' },
    }),
  },
  {
    name: 'POST offers',
    stage: 'screened',
    allowed: ['officer', 'providerNorway', 'providerNgo'],
    request: (_h, _t, at, caller) => ({
      method: 'POST',
      path: `/cases/${at.caseId}/offers`,
      body: {
        offered: 'Peer exchange',
        funding: 'provider',
        ...(caller === 'officer' ? { provider: { kind: 'ngo', id: 'prov:apt', name: 'APT' } } : {}),
      },
    }),
  },
  {
    name: 'POST offer withdrawal',
    stage: 'offered',
    allowed: ['officer', 'providerNorway'],
    request: (_h, _t, at) => ({
      method: 'POST',
      path: `/cases/${at.caseId}/offers/${at.offerId}/withdrawal`,
      body: { reason: 'Budget cut' },
    }),
  },
  {
    name: 'POST offer match',
    stage: 'offered',
    allowed: ['officer', 'focalMalawi'],
    request: (_h, _t, at) => ({
      method: 'POST',
      path: `/cases/${at.caseId}/offers/${at.offerId}/match`,
      body: {},
    }),
  },
  {
    name: 'POST deployments',
    stage: 'matched',
    allowed: ['officer'],
    request: (_h, _t, at) => ({
      method: 'POST',
      path: `/cases/${at.caseId}/deployments`,
      body: {
        offerId: at.offerId,
        expertId: at.expertId,
        startDate: '2026-06-15',
        endDate: '2026-07-15',
        funding: 'provider',
      },
    }),
  },
  {
    name: 'POST progress-reports',
    stage: 'deployed',
    allowed: ['officer', 'focalMalawi'],
    request: (_h, _t, at) => ({
      method: 'POST',
      path: `/cases/${at.caseId}/progress-reports`,
      body: {
        progress: [{ reference: 'A/HRC/53/10, 121.4', status: 'in-progress', narrative: 'n' }],
      },
    }),
  },
  {
    name: 'POST success-profiles',
    stage: 'reported',
    allowed: ['officer'],
    request: (_h, _t, at) => ({
      method: 'POST',
      path: `/cases/${at.caseId}/success-profiles`,
      body: { panelYear: 2026, summary: 'NPM in place' },
    }),
  },
  {
    name: 'POST closure',
    stage: 'requested',
    allowed: ['officer'],
    request: (_h, _t, at) => ({
      method: 'POST',
      path: `/cases/${at.caseId}/closure`,
      body: { reason: 'Withdrawn' },
    }),
  },
  {
    name: 'POST /experts',
    allowed: ['officer'],
    request: () => ({
      method: 'POST',
      path: '/experts',
      body: { name: 'N', contact: 'c', nationality: 'Ghana' },
    }),
  },
  {
    name: 'PATCH /experts/{id}/availability',
    allowed: ['officer'],
    request: (_h, _t, at) => ({
      method: 'PATCH',
      path: `/experts/${at.expertId}/availability`,
      body: { periods: [{ from: '2026-01-01', to: '2026-02-01' }] },
    }),
  },
  {
    name: 'DELETE /experts/{id}',
    allowed: ['officer'],
    request: (_h, _t, at) => ({ method: 'DELETE', path: `/experts/${at.expertId}` }),
  },
  {
    name: 'GET /experts/{id}',
    allowed: ['officer', 'auditor'],
    request: (_h, _t, at) => ({ method: 'GET', path: `/experts/${at.expertId}` }),
  },
  {
    name: 'POST /trust-fund/contributions',
    allowed: ['officer'],
    request: () => ({
      method: 'POST',
      path: '/trust-fund/contributions',
      body: { donor: 'Chile', amount: 1000 },
    }),
  },
  {
    name: 'GET /trust-fund',
    allowed: ['officer', 'auditor'],
    request: () => ({ method: 'GET', path: '/trust-fund' }),
  },
  {
    name: 'GET /cases',
    allowed: [
      'officer',
      'auditor',
      'memberAfrica',
      'memberAsia',
      'focalMalawi',
      'focalZambia',
      'providerNorway',
      'providerNgo',
    ],
    request: () => ({ method: 'GET', path: '/cases' }),
  },
  {
    name: 'GET /screening-queue',
    allowed: ['officer', 'auditor', 'memberAfrica'],
    request: () => ({ method: 'GET', path: '/screening-queue?region=african' }),
  },
  {
    name: 'GET /matchmaking',
    // Focal points see their own State's requests on it (they may match).
    allowed: ['officer', 'auditor', 'providerNorway', 'providerNgo', 'focalMalawi', 'focalZambia'],
    request: () => ({ method: 'GET', path: '/matchmaking' }),
  },
  {
    name: 'GET /panel/{year}',
    allowed: [
      'officer',
      'auditor',
      'admin',
      'memberAfrica',
      'memberAsia',
      'focalMalawi',
      'focalZambia',
      'providerNorway',
      'providerNgo',
    ],
    request: () => ({ method: 'GET', path: '/panel/2026' }),
  },
  {
    name: 'GET /panel/{year}/report',
    allowed: [
      'officer',
      'auditor',
      'admin',
      'memberAfrica',
      'memberAsia',
      'focalMalawi',
      'focalZambia',
      'providerNorway',
      'providerNgo',
    ],
    request: () => ({ method: 'GET', path: '/panel/2026/report' }),
  },
  {
    name: 'GET /notifications',
    allowed: ['officer', 'memberAfrica', 'memberAsia', 'focalMalawi', 'focalZambia'],
    request: () => ({ method: 'GET', path: '/notifications' }),
  },
  {
    name: 'GET /impact',
    allowed: ['officer', 'auditor'],
    request: () => ({ method: 'GET', path: '/impact' }),
  },
];

const MATRIX = ROUTES.flatMap((route) =>
  CALLERS.map(
    (caller) =>
      [route.name, caller, route.allowed.includes(caller) ? 'allowed' : 'refused'] as const,
  ),
);

describe('access matrix: every route × every caller', () => {
  const h = new ApiHarness();
  let t: Tokens;
  beforeAll(async () => {
    await h.start();
    t = await tokens(h);
  });
  afterAll(() => h.stop());

  it.each(MATRIX)('%s by %s is %s', async (routeName, caller, expected) => {
    const route = ROUTES.find((r) => r.name === routeName)!;
    const at = route.stage ? await caseAt(h, t, route.stage) : { caseId: '' };
    const expertId =
      routeName.includes('experts') || route.stage === 'matched'
        ? await availableExpert(h, t)
        : undefined;
    const { method, path, body } = route.request(
      h,
      t,
      { ...at, expertId: expertId ?? at.expertId },
      caller,
    );
    const log = await h.openLog();
    const before = await log.lastPosition();
    const reply = await h.call(method, path, {
      token: caller === 'none' ? undefined : t[caller],
      body,
    });
    const after = await log.lastPosition();
    await log.close();

    if (expected === 'allowed') {
      expect({ status: reply.status, body: reply.body }).toMatchObject({
        status: expect.any(Number),
      });
      expect(reply.status).toBeLessThan(300);
    } else {
      const want =
        caller === 'none' ? { status: 401, code: 'AUTH.TOKEN_REQUIRED' } : { status: 403 };
      expect({ status: reply.status, code: reply.body?.code }).toMatchObject(want);
      expect(reply.body.message).toMatch(/\w{4,}.*\w{4,}/);
      expect(after).toBe(before); // nothing written
    }
  });

  it('scopes list filters to the caller, whatever region or State it names', async () => {
    await caseAt(h, t, 'requested'); // a Malawi case, African group
    const asked = async (token: string, query: string) =>
      (await h.call('GET', `/cases?${query}`, { token })).body.items as { state: string }[];
    expect(await asked(t.memberAsia, 'region=african')).toEqual([]);
    expect(await asked(t.focalZambia, 'state=MWI')).toEqual([]);
    expect((await asked(t.memberAfrica, 'region=african')).length).toBeGreaterThan(0);
    const queue = await h.call('GET', '/screening-queue?region=african', { token: t.memberAsia });
    expect([queue.status, queue.body.code]).toEqual([403, 'ACCESS.DENIED']);
  });

  it('shows providers no case that is closed', async () => {
    const { caseId } = await caseAt(h, t, 'closed');
    const reply = await h.call('GET', `/cases/${caseId}`, { token: t.providerNorway });
    expect(reply).toMatchObject({
      status: 403,
      body: { code: 'ACCESS.DENIED', message: expect.stringContaining('open for offers') },
    });
  });

  it('shows providers no closed case as of a time before its closure either', async () => {
    const { caseId } = await caseAt(h, t, 'closed');
    for (const param of ['asOf', 'asOfEffective']) {
      const reply = await h.call('GET', `/cases/${caseId}?${param}=2026-01-11T00:00:00Z`, {
        token: t.providerNorway,
      });
      expect([param, reply.status, reply.body.code]).toEqual([param, 403, 'ACCESS.DENIED']);
    }
    const allowed = await h.call('GET', `/cases/${caseId}/allowed-actions`, {
      token: t.providerNorway,
    });
    expect(allowed.status).toBe(403);
  });

  it('refuses a forged token and a token of an unknown role', async () => {
    // Flip a character inside the signature (the last one partly encodes padding bits).
    const token = await h.token({ role: 'case-officer' });
    const at = token.length - 10;
    const forged = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    expect((await h.call('GET', '/trust-fund', { token: forged })).body.code).toBe(
      'AUTH.TOKEN_INVALID',
    );
    expect((await h.call('GET', '/trust-fund', { token: 'not-a-jwt' })).status).toBe(401);
  });
});
