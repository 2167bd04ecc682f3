import { availableExpert, caseAt, apiForSuite } from './support/scenario';

/** The fund's balance follows the money: contributions in, commitments held, disbursements out, releases back. */
describe('the trust fund: disbursements and releases', () => {
  const { h, t } = apiForSuite();

  /** A deployment paid by the fund: its id is the commitment's. */
  async function commitment(amount: number): Promise<string> {
    const at = await caseAt(h, t, 'matched');
    const reply = await h.call('POST', `/cases/${at.caseId}/deployments`, {
      token: t.officer,
      body: {
        offerId: at.offerId,
        expertId: await availableExpert(h, t),
        startDate: '2026-06-15',
        endDate: '2026-09-15',
        funding: 'trust-fund',
        amount,
      },
    });
    expect(reply.status).toBe(201);
    return reply.body.deploymentId;
  }
  const fund = async () => (await h.call('GET', '/trust-fund', { token: t.auditor })).body;
  const post = (path: string, body: unknown, token = t.officer) =>
    h.call('POST', `/trust-fund/${path}`, { token, body });

  it('pays out of a commitment, releases the rest, and refuses what breaks a rule', async () => {
    expect((await post('contributions', { donor: 'Norway', amount: 100_000 })).status).toBe(201);
    const first = await commitment(30_000);
    const second = await commitment(20_000);
    expect(await fund()).toMatchObject({ received: 100_000, held: 100_000, committed: 50_000 });

    const paid = await post('disbursements', { commitmentId: first, amount: 25_000 });
    expect(paid).toMatchObject({ status: 201, body: { version: expect.any(Number) } });
    expect(await fund()).toMatchObject({
      held: 75_000,
      disbursed: 25_000,
      committed: 25_000,
      available: 50_000,
    });

    expect(await post('disbursements', { commitmentId: first, amount: 5_001 })).toMatchObject({
      status: 422,
      body: { code: 'FUND.OVER_DISBURSEMENT' },
    });
    expect((await post('releases', { commitmentId: first })).status).toBe(201);
    expect(await fund()).toMatchObject({ held: 75_000, committed: 20_000, available: 55_000 });
    expect(await post('releases', { commitmentId: first })).toMatchObject({
      status: 404,
      body: { code: 'FUND.COMMITMENT_NOT_FOUND' },
    });
    expect(await post('disbursements', { commitmentId: second, amount: 0 })).toMatchObject({
      status: 400,
      body: { code: 'REQUEST.INVALID' },
    });
  });

  it('lets only case officers move money', async () => {
    for (const token of [t.auditor, t.focalMalawi, t.providerNorway, t.admin]) {
      expect((await post('disbursements', { commitmentId: 'x', amount: 1 }, token)).status).toBe(
        403,
      );
      expect((await post('releases', { commitmentId: 'x' }, token)).status).toBe(403);
    }
  });
});
