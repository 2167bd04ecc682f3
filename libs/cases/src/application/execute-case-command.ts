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
import { CASE_PLATFORM, type CasePlatform } from './platform.port';

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
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CASE_PLATFORM) private readonly platform: CasePlatform,
  ) {}

  async execute({ caseId, command: given, principal, pinnedVersion }: ExecuteCaseCommand) {
    const command = await withPlatformFacts(given, this.platform);
    return runCommand(this.store, command.context, [
      deciderStep(caseStreamId(caseId), caseDecider, command, {
        pinnedVersion,
        guard: caseGuard(caseId, command, principal),
      }),
    ]);
  }
}

/**
 * A command with what the platform knows put in: the providers of an offer as registered (whatever
 * a token or a body claims about them), its session checked, the themes named resolved against the
 * vocabulary and the themes officers accepted. The decider then checks the rest without I/O.
 */
export async function withPlatformFacts(
  command: CaseCommand,
  platform: CasePlatform,
): Promise<CaseCommand> {
  switch (command.type) {
    case 'RequestAssistance':
    case 'AmendRequest': {
      const { data } = command;
      if ('sessionId' in data && data.sessionId)
        await platform.checkSessionTakes(data.sessionId, 'Requests');
      if (data.themes === undefined) return command;
      return {
        ...command,
        data: { ...data, themes: await platform.resolveThemes(data.themes) },
      } as CaseCommand;
    }
    case 'MakeOffer': {
      const { data } = command;
      if (data.sessionId) await platform.checkSessionTakes(data.sessionId, 'Pledges');
      const provider = await platform.registeredProvider(data.provider.id);
      const coProviders = await Promise.all(
        (data.coProviders ?? []).map((co) => platform.registeredProvider(co.id)),
      );
      return {
        ...command,
        data: { ...data, provider, ...(coProviders.length ? { coProviders } : {}) },
      };
    }
    default:
      return command;
  }
}
