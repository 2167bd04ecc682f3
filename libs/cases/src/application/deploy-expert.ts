import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '@keystone/access';
import {
  deciderStep,
  EVENT_STORE,
  runCommand,
  type CommandOutcome,
  type EventStore,
  type StreamStep,
} from '@keystone/event-store';
import { expertDecider, expertStreamId } from '@keystone/roster';
import { TRUST_FUND_STREAM, trustFundDecider } from '@keystone/trust-fund';
import type { DeployExpert } from '../domain/case.commands';
import { caseDecider } from '../domain/case.decider';
import { caseStreamId } from '../domain/case.events';
import { caseGuard } from './execute-case-command';

export class DeployExpertCommand {
  constructor(
    readonly caseId: string,
    readonly command: DeployExpert,
    readonly principal: Principal,
    readonly pinnedVersion?: number,
  ) {}
}

/**
 * A deployment is one atomic step over three streams: the case records it, the expert is booked
 * for those dates, and (when the trust fund pays) the fund commits the money. All or nothing;
 * two deployments racing for the same expert or the last money: one wins, the other is told why.
 */
@CommandHandler(DeployExpertCommand)
export class DeployExpertHandler implements ICommandHandler<DeployExpertCommand, CommandOutcome> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({
    caseId,
    command,
    principal,
    pinnedVersion,
  }: DeployExpertCommand): Promise<CommandOutcome> {
    const { context, data } = command;
    const steps: StreamStep[] = [
      deciderStep(caseStreamId(caseId), caseDecider, command, {
        pinnedVersion,
        guard: caseGuard(caseId, command, principal),
      }),
      deciderStep(expertStreamId(data.expertId), expertDecider, {
        type: 'BookExpert',
        data: { deploymentId: data.deploymentId, caseId, from: data.startDate, to: data.endDate },
        context,
      }),
    ];
    if (data.funding === 'trust-fund') {
      steps.push(
        deciderStep(TRUST_FUND_STREAM, trustFundDecider, {
          type: 'CommitFunds',
          data: { commitmentId: data.deploymentId, caseId, amount: data.amount },
          context,
        }),
      );
    }
    return runCommand(this.store, context, steps);
  }
}
