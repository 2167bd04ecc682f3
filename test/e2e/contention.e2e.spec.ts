import { ApiHarness } from './support/api-harness';
import { fundTwentyThenFive, offersAtOnce } from './support/contention';
import { tokens, type Tokens } from './support/scenario';

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
    const { caseId, replies } = await offersAtOnce(h, t, 50);
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(201));
    const view = await h.call('GET', `/cases/${caseId}`, { token: t.officer });
    expect(view.body.offers).toHaveLength(50);
    expect(view.body.version).toBe(3 + 50);
  }, 60_000);

  it('commits the trust fund to every deployment it can pay for, and refuses exactly the rest', async () => {
    await fundTwentyThenFive(h, t);
    const balance = await h.call('GET', '/trust-fund', { token: t.officer });
    expect(balance.body).toMatchObject({ received: 25_000, committed: 25_000, available: 0 });
  }, 120_000);
});
