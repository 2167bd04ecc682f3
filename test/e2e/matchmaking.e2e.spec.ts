import { apiForSuite, caseAt } from './support/scenario';

/**
 * The matchmaking board as each of its readers needs it: a case stays on it while any of its offers
 * is open (a first match does not take it off); the State's focal point, who may match, sees its own
 * State's requests; a provider sees its own offers and the others only as a count.
 */
describe('the matchmaking board', () => {
  const { h, t } = apiForSuite();

  it('keeps a case with an open offer after a first match, scoped to each reader', async () => {
    const matched = await caseAt(h, t, 'matched'); // Norway's offer matched
    const second = await h.call('POST', `/cases/${matched.caseId}/offers`, {
      token: t.providerNgo,
      body: { offered: 'A follow-up visit by the APT', funding: 'provider' },
    });
    expect(second.status).toBe(201);
    // Read your writes: each read waits for the read model to reach the last write.
    let position = second.body.position as number;
    const board = (token: string) =>
      h.call('GET', `/matchmaking?waitForPosition=${position}`, { token });
    const onBoard = (board: Record<string, any[]>) =>
      Object.values(board)
        .flat()
        .filter((entry) => entry.caseId === matched.caseId);

    const officer = (await board(t.officer)).body;
    expect(onBoard(officer)).toEqual([
      expect.objectContaining({
        stage: 'matched',
        offers: [
          expect.objectContaining({
            offerId: second.body.offerId,
            provider: 'Association for the Prevention of Torture',
          }),
        ],
      }),
    ]);

    const focal = await board(t.focalMalawi);
    expect(focal.status).toBe(200);
    expect(onBoard(focal.body)).toHaveLength(1);
    const otherState = await board(t.focalZambia);
    expect(otherState.status).toBe(200);
    expect(onBoard(otherState.body)).toEqual([]);

    const norway = (await board(t.providerNorway)).body;
    expect(onBoard(norway)).toEqual([expect.objectContaining({ offers: [], otherOpenOffers: 1 })]);
    const ngo = (await board(t.providerNgo)).body;
    expect(onBoard(ngo)).toEqual([
      expect.objectContaining({
        offers: [expect.objectContaining({ offerId: second.body.offerId })],
        otherOpenOffers: 0,
      }),
    ]);

    // Once that offer is matched too, nothing is open: off the board.
    const match = await h.call(
      'POST',
      `/cases/${matched.caseId}/offers/${second.body.offerId}/match`,
      {
        token: t.focalMalawi,
        body: {},
      },
    );
    expect(match.status).toBe(200);
    position = match.body.position;
    expect(onBoard((await board(t.officer)).body)).toEqual([]);
  });

  it('shows providers a request only once the State consented, and not after a withdrawal', async () => {
    const requested = await caseAt(h, t, 'requested');
    const read = () => h.call('GET', `/cases/${requested.caseId}`, { token: t.providerNgo });
    const listed = async (position: number) =>
      (
        await h.call('GET', `/cases?limit=200&waitForPosition=${position}`, {
          token: t.providerNgo,
        })
      ).body.items.some((c: { caseId: string }) => c.caseId === requested.caseId);
    expect((await read()).status).toBe(403);
    const consent = await h.call('POST', `/cases/${requested.caseId}/consent`, {
      token: t.focalMalawi,
      body: {},
    });
    expect(consent.status).toBe(200);
    expect(await listed(consent.body.position)).toBe(true);
    expect((await read()).status).toBe(200);
    const withdrawn = await h.call('POST', `/cases/${requested.caseId}/consent/withdrawal`, {
      token: t.focalMalawi,
      body: { reason: 'Elections' },
    });
    expect(withdrawn.status).toBe(200);
    expect((await read()).status).toBe(403);
    expect(await listed(withdrawn.body.position)).toBe(false);
  });

  it('shows a provider reading a case its own offers, what they offer, and the others as a count', async () => {
    const offered = await caseAt(h, t, 'offered'); // Norway's offer
    const second = await h.call('POST', `/cases/${offered.caseId}/offers`, {
      token: t.providerNgo,
      body: { offered: 'A training of the NPM members', funding: 'provider' },
    });
    expect(second.status).toBe(201);
    const asNgo = (await h.call('GET', `/cases/${offered.caseId}`, { token: t.providerNgo })).body;
    expect(asNgo.offers).toEqual([
      expect.objectContaining({
        offerId: second.body.offerId,
        offered: 'A training of the NPM members',
        status: 'open',
        provider: expect.objectContaining({ name: 'Association for the Prevention of Torture' }),
      }),
    ]);
    expect(asNgo.otherOpenOffers).toBe(1);
    expect(Object.keys(asNgo.case.offers)).toEqual([second.body.offerId]);
    const actions = (
      await h.call('GET', `/cases/${offered.caseId}/allowed-actions`, { token: t.providerNgo })
    ).body as { offerId?: string }[];
    // Withdraw, match and deploy: each about its own offer only.
    expect(new Set(actions.filter((a) => a.offerId).map((a) => a.offerId))).toEqual(
      new Set([second.body.offerId]),
    );
    // The State's focal point, who chooses, sees every offer and what it offers.
    const asFocal = (await h.call('GET', `/cases/${offered.caseId}`, { token: t.focalMalawi }))
      .body;
    expect(asFocal.offers.map((o: { offered: string }) => o.offered)).toEqual([
      'Two NPM experts for six months',
      'A training of the NPM members',
    ]);
    expect(asFocal.otherOpenOffers).toBeUndefined();
  });
});
