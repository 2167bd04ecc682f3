import { apiForSuite } from './support/scenario';

/** One client's burst spends its own allowance, not everyone's; the answer says when to come back. */
describe.each(['memory', 'redis'])('rate limits per credential and per address [%s]', (store) => {
  const { h, t } = apiForSuite('sqlite', {
    KEYSTONE_RATE_LIMIT_PER_CALLER: '20',
    KEYSTONE_RATE_LIMIT_PER_ADDRESS: '45',
    KEYSTONE_RATE_LIMIT_STORE: store,
  });

  it('answers 429 with Retry-After past a credential’s limit, and other credentials go on', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++)
      statuses.push((await h.call('GET', '/trust-fund', { token: t.officer })).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
    const refused = await h.call('GET', '/trust-fund', { token: t.officer });
    expect(refused.body).toMatchObject({
      code: 'REQUEST.RATE_LIMITED',
      details: { per: 'caller' },
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await h.call('GET', '/trust-fund', { token: t.auditor })).status).toBe(200);
  });

  it('limits the address too, whatever the credentials, but never the public health check', async () => {
    let limited = null;
    for (let i = 0; i < 30 && !limited; i++) {
      const token = await h.token({ role: 'auditor', sub: `auditor:${i}` });
      const reply = await h.call('GET', '/trust-fund', { token });
      if (reply.status === 429) limited = reply.body;
    }
    expect(limited).toMatchObject({ code: 'REQUEST.RATE_LIMITED', details: { per: 'address' } });
    expect((await h.call('GET', '/health')).status).toBe(200);
  });
});
