import { apiForSuite, caseAt } from './support/scenario';
import { requestBody } from './support/api-harness';

/** The officer's dashboard: cases at each stage, reports overdue, what waits on whom; scoped. */
describe('the dashboard', () => {
  const { h, t } = apiForSuite();

  it('counts each stage and says whose move each open case waits for', async () => {
    await caseAt(h, t, 'requested'); // the State's consent
    await caseAt(h, t, 'consented'); // the committee
    await caseAt(h, t, 'screened'); // providers
    await caseAt(h, t, 'matched'); // the officer, to deploy
    const zambia = await h.call('POST', '/cases', {
      token: t.focalZambia,
      body: requestBody('ZMB'),
    });
    expect(zambia.status).toBe(201);
    const read = (token: string) =>
      h.call('GET', `/dashboard?waitForPosition=${zambia.body.position}`, { token });

    const officer = (await read(t.officer)).body;
    expect(officer).toEqual({
      total: 5,
      byStage: {
        'awaiting-consent': 2,
        'awaiting-screening': 1,
        'open-for-offers': 1,
        matched: 1,
      },
      overdue: 0,
      waitingOn: { state: 2, committee: 1, providers: 1, officers: 1 },
    });
    // A focal point sees its own State's cases only; a member its region's.
    expect((await read(t.focalZambia)).body).toMatchObject({ total: 1, waitingOn: { state: 1 } });
    expect((await read(t.memberAsia)).body.total).toBe(0);
    expect((await read(t.memberAfrica)).body.total).toBe(5); // Malawi and Zambia are African
  });
});
