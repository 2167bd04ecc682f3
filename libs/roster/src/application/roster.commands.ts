import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  deciderStep,
  EVENT_STORE,
  newId,
  runCommand,
  type CommandContext,
  type CommandOutcome,
  type EventStore,
  foldStream,
} from '@keystone/event-store';
import { expertDecider, rosterError } from '../domain/expert.decider';
import { expertStreamId, type ExpertCommand, type Period } from '../domain/expert.events';
import { EXPERT_KEY_STORE, seal, type ExpertKeyStore, type PersonalData } from './personal-data';

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

/** The roster's one write path: each handler hands its command to the runner, on the expert's stream. */
function runOnExpert(store: EventStore, expertId: string, command: ExpertCommand) {
  return runCommand(store, command.context, [
    deciderStep(expertStreamId(expertId), expertDecider, command),
  ]);
}

/** Seals the personal data under a key of the expert's own (kept outside the log), then registers. */
@CommandHandler(RegisterExpertCommand)
export class RegisterExpertHandler implements ICommandHandler<RegisterExpertCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EXPERT_KEY_STORE) private readonly keys: ExpertKeyStore,
  ) {}

  async execute({ context, personal, languages, themes }: RegisterExpertCommand) {
    const expertId = newId();
    const keyId = newId();
    const sealed = seal(personal, keyId, await this.keys.create(keyId), expertId);
    const outcome = await runOnExpert(this.store, expertId, {
      type: 'RegisterExpert',
      data: { expertId, personal: sealed, languages, themes },
      context,
    });
    return { expertId, position: outcome.position };
  }
}

@CommandHandler(SetAvailabilityCommand)
export class SetAvailabilityHandler implements ICommandHandler<
  SetAvailabilityCommand,
  CommandOutcome
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ expertId, context, periods }: SetAvailabilityCommand) {
    return runOnExpert(this.store, expertId, {
      type: 'SetAvailability',
      data: { periods },
      context,
    });
  }
}

/** Records the erasure, then destroys the key; a repeated erasure makes sure the key is gone. */
@CommandHandler(EraseExpertCommand)
export class EraseExpertHandler implements ICommandHandler<EraseExpertCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EXPERT_KEY_STORE) private readonly keys: ExpertKeyStore,
  ) {}

  async execute({ expertId, context }: EraseExpertCommand): Promise<void> {
    const state = (await foldStream(this.store, expertStreamId(expertId), expertDecider)).state;
    if (!state.registered) throw rosterError.notFound();
    if (!state.erased)
      await runOnExpert(this.store, expertId, { type: 'EraseExpert', data: {}, context });
    await this.keys.destroy(state.keyId);
  }
}

export const ROSTER_COMMAND_HANDLERS = [
  RegisterExpertHandler,
  SetAvailabilityHandler,
  EraseExpertHandler,
];
