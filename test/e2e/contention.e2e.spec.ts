import { ApiHarness } from './support/api-harness';
import { availableExpert, caseAt, tokens, type Tokens } from './support/scenario';

/**
 * No valid command refused because others were busy at the same moment: concurrent writers on one
 * hot stream (a case's offers; the trust fund's commitments) are decided again on the new history
 * after a short random wait, within a time budget, on SQLite and on PostgreSQL.
 */
describe.each(['sqlite', 'postgres'] as const)('commands under contention [%s]', (store) => {
  const h = new ApiHarness(store);
  let t: Tokens;
  beforeAll(async () => {
    await h.start();
    t = await tokens(h);
  }, 60_000);
  afterAll(() => h.stop());

  it('takes 50 different offers sent at once to one case, every one', async () => {
    const { caseId } = await caseAt(h, t, 'screened');
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.call('POST', `/cases/${caseId}/offers`, {
          token: t.officer,
          body: {
            offered: `Offer number ${i + 1}`,
            funding: 'provider',
            provider: { kind: 'ngo', id: `prov:ngo-${i + 1}`, name: `NGO ${i + 1}` },
          },
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(201));
    const view = await h.call('GET', `/cases/${caseId}`, { token: t.officer });
    expect(view.body.offers).toHaveLength(50);
    expect(view.body.version).toBe(3 + 50);
  }, 60_000);

  it('commits the trust fund to every deployment it can pay for, and refuses exactly the rest', async () => {
    const deployAll = async (count: number) => {
      const cases: Awaited<ReturnType<typeof caseAt>>[] = [];
      for (let i = 0; i < count; i++) cases.push(await caseAt(h, t, 'matched'));
      const experts: string[] = [];
      for (let i = 0; i < count; i++) experts.push(await availableExpert(h, t, `Expert ${i}`));
      return Promise.all(
        cases.map((c, i) =>
          h.call('POST', `/cases/${c.caseId}/deployments`, {
            token: t.officer,
            body: {
              offerId: c.offerId,
              expertId: experts[i],
              startDate: '2026-06-15',
              endDate: '2026-09-15',
              funding: 'trust-fund',
              amount: 1_000,
            },
          }),
        ),
      );
    };
    const fund = (amount: number) =>
      h.call('POST', '/trust-fund/contributions', {
        token: t.officer,
        body: { donor: 'Norway', amount },
      });

    expect((await fund(20_000)).status).toBe(201);
    const all = await deployAll(20);
    expect(all.map((r) => r.status)).toEqual(Array(20).fill(201));

    expect((await fund(5_000)).status).toBe(201);
    const some = await deployAll(20);
    expect(some.filter((r) => r.status === 201)).toHaveLength(5);
    expect(some.filter((r) => r.status !== 201).map((r) => [r.status, r.body.code])).toEqual(
      Array(15).fill([422, 'FUND.INSUFFICIENT']),
    );
    const balance = await h.call('GET', '/trust-fund', { token: t.officer });
    expect(balance.body).toMatchObject({ received: 25_000, committed: 25_000, available: 0 });
  }, 120_000);
});
