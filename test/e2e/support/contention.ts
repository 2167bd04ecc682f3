import type { ApiHarness, Reply } from './api-harness';
import { availableExpert, caseAt, type Tokens } from './scenario';

/** `count` different offers sent at once to one screened case, by as many NGOs. */
export async function offersAtOnce(
  h: ApiHarness,
  t: Tokens,
  count: number,
): Promise<{ caseId: string; replies: Reply[] }> {
  const { caseId } = await caseAt(h, t, 'screened');
  for (let i = 0; i < count; i++)
    await h.registerProvider(t.officer, {
      providerId: `prov:ngo-${i + 1}`,
      kind: 'ngo',
      name: `NGO ${i + 1}`,
    });
  const replies = await Promise.all(
    Array.from({ length: count }, (_, i) =>
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
  return { caseId, replies };
}

/** 20 matched cases deployed at once on the trust fund (1,000 each), after a contribution. */
export async function deployOnTheFund(
  h: ApiHarness,
  t: Tokens,
  contribution: number,
  count = 20,
): Promise<{ contributed: Reply; deployed: Reply[] }> {
  const contributed = await h.call('POST', '/trust-fund/contributions', {
    token: t.officer,
    body: { donor: 'Norway', amount: contribution },
  });
  const cases: Awaited<ReturnType<typeof caseAt>>[] = [];
  for (let i = 0; i < count; i++) cases.push(await caseAt(h, t, 'matched'));
  const experts: string[] = [];
  for (let i = 0; i < count; i++) experts.push(await availableExpert(h, t, `Expert ${i}`));
  const deployed = await Promise.all(
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
  return { contributed, deployed };
}

/**
 * With money for 20 deployments of 1,000, all 20 sent at once go through; with money for 5 more,
 * exactly 5 of the next 20 do and the 15 others are refused as the fund being short.
 */
export async function fundTwentyThenFive(h: ApiHarness, t: Tokens): Promise<void> {
  const first = await deployOnTheFund(h, t, 20_000);
  expect(first.contributed.status).toBe(201);
  expect(first.deployed.map((r) => r.status)).toEqual(Array(20).fill(201));

  const second = await deployOnTheFund(h, t, 5_000);
  expect(second.contributed.status).toBe(201);
  expect(second.deployed.filter((r) => r.status === 201)).toHaveLength(5);
  expect(
    second.deployed.filter((r) => r.status !== 201).map((r) => [r.status, r.body.code]),
  ).toEqual(Array(15).fill([422, 'FUND.INSUFFICIENT']));
}
