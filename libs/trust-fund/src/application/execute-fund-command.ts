import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  deciderStep,
  EVENT_STORE,
  runCommand,
  type CommandOutcome,
  type EventStore,
} from '@keystone/event-store';
import {
  TRUST_FUND_STREAM,
  trustFundDecider,
  type TrustFundCommand,
} from '../domain/trust-fund.decider';

export class ExecuteFundCommand {
  constructor(readonly command: TrustFundCommand) {}
}

@CommandHandler(ExecuteFundCommand)
export class ExecuteFundCommandHandler implements ICommandHandler<
  ExecuteFundCommand,
  CommandOutcome
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ command }: ExecuteFundCommand): Promise<CommandOutcome> {
    return runCommand(this.store, command.context, [
      deciderStep(TRUST_FUND_STREAM, trustFundDecider, command),
    ]);
  }
}
