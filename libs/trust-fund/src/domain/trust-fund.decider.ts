import { DomainError, type Command, type Decider, type DomainEvent } from '@keystone/event-store';

/** The small-projects trust fund: one stream. Amounts are whole US dollars. */
export const TRUST_FUND_STREAM = 'trust-fund';

export type ContributionReceived = DomainEvent<
  'ContributionReceived',
  { contributionId: string; donor: string; amount: number }
>;
export type FundsCommitted = DomainEvent<
  'FundsCommitted',
  { commitmentId: string; caseId: string; amount: number }
>;
export type FundsDisbursed = DomainEvent<
  'FundsDisbursed',
  { commitmentId: string; amount: number }
>;
export type CommitmentReleased = DomainEvent<
  'CommitmentReleased',
  { commitmentId: string; amount: number }
>;
export type TrustFundEvent =
  ContributionReceived | FundsCommitted | FundsDisbursed | CommitmentReleased;

export type ReceiveContribution = Command<
  'ReceiveContribution',
  { contributionId: string; donor: string; amount: number }
>;
export type CommitFunds = Command<
  'CommitFunds',
  { commitmentId: string; caseId: string; amount: number }
>;
export type DisburseFunds = Command<'DisburseFunds', { commitmentId: string; amount: number }>;
export type ReleaseCommitment = Command<'ReleaseCommitment', { commitmentId: string }>;
export type TrustFundCommand =
  ReceiveContribution | CommitFunds | DisburseFunds | ReleaseCommitment;

export interface TrustFundState {
  /** Received and not yet paid out. */
  readonly held: number;
  /** Promised to deployments and not yet paid out or released. */
  readonly committed: number;
  readonly received: number;
  readonly disbursed: number;
  readonly commitments: Readonly<Record<string, { caseId: string; outstanding: number }>>;
  readonly contributionIds: readonly string[];
}

export const available = (state: TrustFundState): number => state.held - state.committed;

export const fundError = {
  invalidAmount: (amount: number) =>
    new DomainError(
      'FUND.INVALID_AMOUNT',
      'validation',
      `An amount is a whole number of US dollars above 0, got ${amount}.`,
      { amount },
    ),
  insufficient: (amount: number, availableAmount: number) =>
    new DomainError(
      'FUND.INSUFFICIENT',
      'rule',
      `The trust fund cannot commit ${amount} USD: only ${availableAmount} USD is uncommitted. Fund the deployment otherwise or wait for contributions.`,
      {
        requested: amount,
        available: availableAmount,
      },
    ),
  duplicate: (id: string) =>
    new DomainError('FUND.DUPLICATE', 'conflict', `${id} is already recorded in the trust fund.`, {
      id,
    }),
  unknownCommitment: (id: string) =>
    new DomainError(
      'FUND.COMMITMENT_NOT_FOUND',
      'not-found',
      `No open commitment ${id} in the trust fund.`,
      { commitmentId: id },
    ),
  overDisbursement: (id: string, amount: number, outstanding: number) =>
    new DomainError(
      'FUND.OVER_DISBURSEMENT',
      'rule',
      `Commitment ${id} has ${outstanding} USD outstanding; ${amount} USD cannot be paid out of it.`,
      { commitmentId: id, amount, outstanding },
    ),
};

function amountOf(amount: number): number {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw fundError.invalidAmount(amount);
  return amount;
}

export const trustFundDecider: Decider<TrustFundCommand, TrustFundEvent, TrustFundState> = {
  initialState: () => ({
    held: 0,
    committed: 0,
    received: 0,
    disbursed: 0,
    commitments: {},
    contributionIds: [],
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'ContributionReceived':
        return {
          ...state,
          held: state.held + event.data.amount,
          received: state.received + event.data.amount,
          contributionIds: [...state.contributionIds, event.data.contributionId],
        };
      case 'FundsCommitted':
        return {
          ...state,
          committed: state.committed + event.data.amount,
          commitments: {
            ...state.commitments,
            [event.data.commitmentId]: {
              caseId: event.data.caseId,
              outstanding: event.data.amount,
            },
          },
        };
      case 'FundsDisbursed':
      case 'CommitmentReleased': {
        const commitment = state.commitments[event.data.commitmentId];
        if (!commitment) return state;
        const paid = event.type === 'FundsDisbursed' ? event.data.amount : 0;
        return {
          ...state,
          held: state.held - paid,
          disbursed: state.disbursed + paid,
          committed: state.committed - event.data.amount,
          commitments: {
            ...state.commitments,
            [event.data.commitmentId]: {
              ...commitment,
              outstanding: commitment.outstanding - event.data.amount,
            },
          },
        };
      }
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'ReceiveContribution': {
        if (state.contributionIds.includes(command.data.contributionId))
          throw fundError.duplicate(command.data.contributionId);
        return [
          {
            type: 'ContributionReceived',
            data: { ...command.data, amount: amountOf(command.data.amount) },
          },
        ];
      }
      case 'CommitFunds': {
        const amount = amountOf(command.data.amount);
        if (state.commitments[command.data.commitmentId])
          throw fundError.duplicate(command.data.commitmentId);
        if (amount > available(state)) throw fundError.insufficient(amount, available(state));
        return [{ type: 'FundsCommitted', data: { ...command.data, amount } }];
      }
      case 'DisburseFunds': {
        const commitment = state.commitments[command.data.commitmentId];
        if (!commitment || commitment.outstanding === 0)
          throw fundError.unknownCommitment(command.data.commitmentId);
        const amount = amountOf(command.data.amount);
        if (amount > commitment.outstanding)
          throw fundError.overDisbursement(
            command.data.commitmentId,
            amount,
            commitment.outstanding,
          );
        return [
          { type: 'FundsDisbursed', data: { commitmentId: command.data.commitmentId, amount } },
        ];
      }
      case 'ReleaseCommitment': {
        const commitment = state.commitments[command.data.commitmentId];
        if (!commitment || commitment.outstanding === 0)
          throw fundError.unknownCommitment(command.data.commitmentId);
        return [
          {
            type: 'CommitmentReleased',
            data: { commitmentId: command.data.commitmentId, amount: commitment.outstanding },
          },
        ];
      }
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  },
};
