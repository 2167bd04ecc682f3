import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { enforce, type Principal } from '@keystone/access';
import {
  deciderStep,
  EVENT_STORE,
  runCommand,
  type CommandOutcome,
  type EventStore,
} from '@keystone/event-store';
import type { CaseCommand } from '../domain/case.commands';
import { caseDecider } from '../domain/case.decider';
import { caseError } from '../domain/case.errors';
import { caseStreamId } from '../domain/case.events';
import type { CaseState } from '../domain/case.state';
import { shapeOf } from '../domain/case.preconditions';
import { authorizeCase } from './case.policy';

/** Any command on one case's stream, by a caller the case policy checks against the case. */
export class ExecuteCaseCommand {
  constructor(
    readonly caseId: string,
    readonly command: CaseCommand,
    readonly principal: Principal,
    /** From If-Match: the version the caller saw; a different current version fails without retry. */
    readonly pinnedVersion?: number,
  ) {}
}

/** The runner's guard for a case stream: the case exists (unless requested now), and the policy allows. */
export function caseGuard(caseId: string, command: CaseCommand, principal: Principal) {
  return (state: CaseState): void => {
    if (!state.exists && command.type !== 'RequestAssistance') throw caseError.notFound(caseId);
    const requestedState = command.type === 'RequestAssistance' ? command.data.state : undefined;
    enforce(authorizeCase(principal, command.type, state, { ...shapeOf(command), requestedState }));
  };
}

@CommandHandler(ExecuteCaseCommand)
export class ExecuteCaseCommandHandler implements ICommandHandler<
  ExecuteCaseCommand,
  CommandOutcome
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ caseId, command, principal, pinnedVersion }: ExecuteCaseCommand) {
    return runCommand(this.store, command.context, [
      deciderStep(caseStreamId(caseId), caseDecider, command, {
        pinnedVersion,
        guard: caseGuard(caseId, command, principal),
      }),
    ]);
  }
}
