import { ApiHarness } from './support/api-harness';

describe('OpenAPI at /docs', () => {
  const h = new ApiHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('describes every route with its roles, its DTOs and the error codes', async () => {
    const { status, body } = await h.call('GET', '/docs-json');
    expect(status).toBe(200);
    const routes = Object.entries(
      body.paths as Record<
        string,
        Record<string, { 'x-keystone-roles'?: string[]; requestBody?: unknown }>
      >,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${path}`,
        operation,
      })),
    );
    const expected = [
      'POST /cases',
      'GET /cases/{id}',
      'GET /cases/{id}/events',
      'POST /cases/{id}/amendments',
      'POST /cases/{id}/consent',
      'POST /cases/{id}/consent/withdrawal',
      'POST /cases/{id}/screening',
      'POST /cases/{id}/offers',
      'POST /cases/{id}/offers/{offerId}/withdrawal',
      'POST /cases/{id}/offers/{offerId}/match',
      'POST /cases/{id}/deployments',
      'POST /cases/{id}/progress-reports',
      'POST /cases/{id}/success-profiles',
      'POST /cases/{id}/closure',
      'POST /experts',
      'PATCH /experts/{id}/availability',
      'DELETE /experts/{id}',
      'GET /experts/{id}',
      'POST /trust-fund/contributions',
      'POST /trust-fund/disbursements',
      'POST /trust-fund/releases',
      'GET /trust-fund',
      'GET /cases/{id}/allowed-actions',
    ];
    expect(routes.map((r) => r.route)).toEqual(expect.arrayContaining(expected));
    for (const { route, operation } of routes.filter((r) => r.route !== 'GET /health')) {
      expect({ route, roles: operation['x-keystone-roles'] }).toEqual({
        route,
        roles: expect.arrayContaining([expect.any(String)]),
      });
    }
    expect(body.components.schemas.RequestAssistanceDto.required).toEqual(
      expect.arrayContaining(['state', 'themes', 'recommendations']),
    );
    expect(body.info.description).toContain('CASE.CONSENT_REQUIRED');
    const page = await fetch(`${h.base}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });

  it('serves the queue dashboard to admins only', async () => {
    const admin = await h.token({ role: 'admin', sub: 'admin:root' });
    const officer = await h.token({ role: 'case-officer', sub: 'officer:ana' });
    expect((await h.call('GET', '/admin/queues')).status).toBe(401);
    const refused = await h.call('GET', '/admin/queues', { token: officer });
    expect(refused).toMatchObject({ status: 403, body: { code: 'ACCESS.DENIED' } });
    const page = await fetch(`${h.base}/admin/queues`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="root"|bull/i);
    const api = await fetch(`${h.base}/admin/queues/api/queues`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(api.status).toBe(200);
    expect(JSON.stringify(await api.json())).toContain('keystone-follow-up');
  });
});
