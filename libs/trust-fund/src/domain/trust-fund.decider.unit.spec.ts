import { deciderSpec, type Given } from '@keystone/event-store/testing/decider-spec';
import type { CommandContext } from '@keystone/event-store';
import { trustFundDecider, type TrustFundCommand, type TrustFundEvent } from './trust-fund.decider';

const spec = deciderSpec(trustFundDecider);
const context: CommandContext = {
  actor: 'officer:ana',
  role: 'case-officer',
  correlationId: 'c',
  occurredAt: '2026-01-01T00:00:00.000Z',
  now: '2026-01-01T00:00:00.000Z',
};
const cmd = <T extends TrustFundCommand['type']>(
  type: T,
  data: Extract<TrustFundCommand, { type: T }>['data'],
) => ({ type, data, context }) as Extract<TrustFundCommand, { type: T }>;
const contribution: Given<TrustFundEvent> = {
  type: 'ContributionReceived',
  data: { contributionId: 'k1', donor: 'Norway', amount: 50_000 },
};
const committed: Given<TrustFundEvent> = {
  type: 'FundsCommitted',
  data: { commitmentId: 'd1', caseId: 'c1', amount: 30_000 },
};

describe('the trust fund', () => {
  it('takes contributions once each, in whole dollars above 0', () => {
    spec
      .given([])
      .when(cmd('ReceiveContribution', contribution.data as never))
      .then([{ type: 'ContributionReceived', data: contribution.data } as TrustFundEvent]);
    spec
      .given([contribution])
      .when(cmd('ReceiveContribution', contribution.data as never))
      .thenRefuses('FUND.DUPLICATE');
    spec
      .given([])
      .when(cmd('ReceiveContribution', { contributionId: 'k2', donor: 'x', amount: 10.5 }))
      .thenRefuses('FUND.INVALID_AMOUNT');
  });
  it('commits no more than it holds uncommitted', () => {
    spec
      .given([contribution, committed])
      .when(cmd('CommitFunds', { commitmentId: 'd2', caseId: 'c2', amount: 20_000 }))
      .then([
        { type: 'FundsCommitted', data: { commitmentId: 'd2', caseId: 'c2', amount: 20_000 } },
      ]);
    spec
      .given([contribution, committed])
      .when(cmd('CommitFunds', { commitmentId: 'd2', caseId: 'c2', amount: 20_001 }))
      .thenRefuses('FUND.INSUFFICIENT', /only 20000 USD/);
  });
  it('pays out of a commitment and releases what is left of it', () => {
    const paid: Given<TrustFundEvent> = {
      type: 'FundsDisbursed',
      data: { commitmentId: 'd1', amount: 10_000 },
    };
    spec
      .given([contribution, committed])
      .when(cmd('DisburseFunds', { commitmentId: 'd1', amount: 10_000 }))
      .then([paid as TrustFundEvent]);
    spec
      .given([contribution, committed, paid])
      .when(cmd('DisburseFunds', { commitmentId: 'd1', amount: 20_001 }))
      .thenRefuses('FUND.OVER_DISBURSEMENT');
    spec
      .given([contribution, committed, paid])
      .when(cmd('ReleaseCommitment', { commitmentId: 'd1' }))
      .then([{ type: 'CommitmentReleased', data: { commitmentId: 'd1', amount: 20_000 } }]);
    spec
      .given([contribution])
      .when(cmd('ReleaseCommitment', { commitmentId: 'nope' }))
      .thenRefuses('FUND.COMMITMENT_NOT_FOUND');
  });
  it('keeps its balances straight', () => {
    const state = [
      contribution,
      committed,
      { type: 'FundsDisbursed', data: { commitmentId: 'd1', amount: 10_000 } } as TrustFundEvent,
    ].reduce((s, e) => trustFundDecider.evolve(s, e, ''), trustFundDecider.initialState());
    expect(state).toMatchObject({
      held: 40_000,
      committed: 20_000,
      received: 50_000,
      disbursed: 10_000,
    });
  });
});
