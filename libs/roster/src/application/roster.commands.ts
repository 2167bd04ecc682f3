import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '@keystone/event-store';
import type { Period } from '../domain/expert.events';
import type { PersonalData } from './personal-data';
import { RosterService } from './roster.service';

export class RegisterExpertCommand {
  constructor(
    readonly context: CommandContext,
    readonly personal: PersonalData,
    readonly languages: string[],
    readonly themes: string[],
  ) {}
}

export class SetAvailabilityCommand {
  constructor(
    readonly expertId: string,
    readonly context: CommandContext,
    readonly periods: Period[],
  ) {}
}

export class EraseExpertCommand {
  constructor(
    readonly expertId: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(RegisterExpertCommand)
export class RegisterExpertHandler implements ICommandHandler<RegisterExpertCommand> {
  constructor(private readonly roster: RosterService) {}
  execute({ context, personal, languages, themes }: RegisterExpertCommand) {
    return this.roster.register(context, personal, languages, themes);
  }
}

@CommandHandler(SetAvailabilityCommand)
export class SetAvailabilityHandler implements ICommandHandler<SetAvailabilityCommand> {
  constructor(private readonly roster: RosterService) {}
  execute({ expertId, context, periods }: SetAvailabilityCommand) {
    return this.roster.setAvailability(expertId, context, periods);
  }
}

@CommandHandler(EraseExpertCommand)
export class EraseExpertHandler implements ICommandHandler<EraseExpertCommand> {
  constructor(private readonly roster: RosterService) {}
  execute({ expertId, context }: EraseExpertCommand) {
    return this.roster.erase(expertId, context);
  }
}

export const ROSTER_COMMAND_HANDLERS = [
  RegisterExpertHandler,
  SetAvailabilityHandler,
  EraseExpertHandler,
];
