import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  assertCaseScope,
  assertRole,
  accessError,
  type CaseAction,
  type Principal,
} from '@keystone/access';
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
import { scopeOf } from './case-scope';

/** Any command on one case's stream, by a caller whose scope is checked against the case. */
export class ExecuteCaseCommand {
  constructor(
    readonly caseId: string,
    readonly command: CaseCommand,
    readonly action: CaseAction,
    readonly principal: Principal,
    /** From If-Match: the version the caller saw. */
    readonly expectedVersion?: number,
  ) {}
}

@CommandHandler(ExecuteCaseCommand)
export class ExecuteCaseCommandHandler implements ICommandHandler<
  ExecuteCaseCommand,
  CommandOutcome
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({
    caseId,
    command,
    action,
    principal,
    expectedVersion,
  }: ExecuteCaseCommand): Promise<CommandOutcome> {
    const step = deciderStep(caseStreamId(caseId), caseDecider, command, {
      expectedVersion,
      guard: (state) => {
        if (!state.exists) {
          if (command.type !== 'RequestAssistance') throw caseError.notFound(caseId);
          assertRequestScope(principal, command.data.state);
        } else {
          assertCaseScope(principal, action, scopeOf(state));
        }
      },
    });
    return runCommand(this.store, command.context, [step]);
  }
}

function assertRequestScope(principal: Principal, state: string): void {
  assertRole(principal, 'request');
  if (principal.role === 'state-focal-point' && principal.state !== state.toUpperCase()) {
    throw accessError.forbidden(
      `A focal point of ${principal.state} requests support for that State only, not ${state}.`,
      { state: principal.state },
    );
  }
}
