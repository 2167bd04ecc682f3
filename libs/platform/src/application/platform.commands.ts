import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { enforce, type Principal } from '@keystone/access';
import {
  caseDecider,
  caseStreamId,
  type CasePlatform,
  type CaseState,
  type Provider,
} from '@keystone/cases';
import {
  deciderStep,
  EVENT_STORE,
  runCommand,
  type CommandOutcome,
  type EventStore,
  foldStream,
} from '@keystone/event-store';
import { platformError } from '../domain/platform.errors';
import {
  offeringAs,
  PROVIDER_REGISTRY_STREAM,
  providerRegistryDecider,
  type ProviderRegistryCommand,
} from '../domain/provider-registry';
import {
  sessionDecider,
  sessionStreamId,
  sessionTakes,
  type LinkedCaseFacts,
  type SessionCommand,
} from '../domain/session';
import {
  acceptedThemes,
  resolveThemeIn,
  THEME_VOCABULARY_STREAM,
  themeVocabularyDecider,
  type ThemeVocabularyCommand,
} from '../domain/theme-vocabulary';
import { presentationScope } from './platform.policy';

/** A command on one session's stream. A presentation's linked cases are looked up first. */
export class ExecuteSessionCommand {
  constructor(
    readonly sessionId: string,
    readonly command:
      Exclude<SessionCommand, { type: 'RegisterPresentation' }> | PresentationRequest,
    readonly principal: Principal,
  ) {}
}

/** RegisterPresentation as the caller sends it: case ids, not yet the facts about them. */
export type PresentationRequest = Omit<
  Extract<SessionCommand, { type: 'RegisterPresentation' }>,
  'data'
> & {
  data: Omit<Extract<SessionCommand, { type: 'RegisterPresentation' }>['data'], 'cases'> & {
    caseIds: string[];
  };
};

export class ExecuteRegistryCommand {
  constructor(readonly command: ProviderRegistryCommand) {}
}

export class ExecuteThemeCommand {
  constructor(readonly command: ThemeVocabularyCommand) {}
}

@CommandHandler(ExecuteSessionCommand)
export class ExecuteSessionCommandHandler implements ICommandHandler<
  ExecuteSessionCommand,
  CommandOutcome
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ sessionId, command, principal }: ExecuteSessionCommand): Promise<CommandOutcome> {
    let decided: SessionCommand;
    if (command.type === 'RegisterPresentation') {
      enforce(presentationScope(principal, command.data.state));
      const { caseIds, ...data } = command.data;
      const cases = await Promise.all([...new Set(caseIds)].map((id) => this.caseFacts(id)));
      decided = { ...command, data: { ...data, cases } };
    } else decided = command;
    return runCommand(this.store, decided.context, [
      deciderStep(sessionStreamId(sessionId), sessionDecider, decided, {
        guard: (state) => {
          if (!state.exists && decided.type !== 'ConveneSession')
            throw platformError.sessionNotFound(sessionId);
        },
      }),
    ]);
  }

  private async caseFacts(caseId: string): Promise<LinkedCaseFacts> {
    const state: CaseState = (await foldStream(this.store, caseStreamId(caseId), caseDecider))
      .state;
    if (!state.exists) return { caseId, state: null, firstDeploymentStart: null };
    const starts = Object.values(state.deployments)
      .map((d) => d.deployedAt)
      .sort();
    return { caseId, state: state.state, firstDeploymentStart: starts[0] ?? null };
  }
}

@CommandHandler(ExecuteRegistryCommand)
export class ExecuteRegistryCommandHandler implements ICommandHandler<
  ExecuteRegistryCommand,
  CommandOutcome
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ command }: ExecuteRegistryCommand): Promise<CommandOutcome> {
    return runCommand(this.store, command.context, [
      deciderStep(PROVIDER_REGISTRY_STREAM, providerRegistryDecider, command),
    ]);
  }
}

@CommandHandler(ExecuteThemeCommand)
export class ExecuteThemeCommandHandler implements ICommandHandler<
  ExecuteThemeCommand,
  CommandOutcome
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ command }: ExecuteThemeCommand): Promise<CommandOutcome> {
    return runCommand(this.store, command.context, [
      deciderStep(THEME_VOCABULARY_STREAM, themeVocabularyDecider, command),
    ]);
  }
}

/** The platform as the cases context asks it (CASE_PLATFORM): read from the log, never a read model. */
@Injectable()
export class PlatformDirectory implements CasePlatform {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async registeredProvider(providerId: string): Promise<Provider> {
    return offeringAs(await this.registry(), providerId);
  }

  async registry() {
    return (await foldStream(this.store, PROVIDER_REGISTRY_STREAM, providerRegistryDecider)).state;
  }

  async checkSessionTakes(sessionId: string, what: 'Requests' | 'Pledges'): Promise<void> {
    const state = (await foldStream(this.store, sessionStreamId(sessionId), sessionDecider)).state;
    if (!state.exists) throw platformError.sessionNotFound(sessionId);
    if (!sessionTakes(state)) throw platformError.notTaking(sessionId, what, state.status);
  }

  async themes() {
    return (await foldStream(this.store, THEME_VOCABULARY_STREAM, themeVocabularyDecider)).state;
  }

  async resolveThemes(texts: readonly string[]): Promise<string[]> {
    const accepted = acceptedThemes(await this.themes());
    return texts.map((text) => {
      const slug = resolveThemeIn(text, accepted);
      if (slug === null) throw platformError.themeUnknown(text);
      return slug;
    });
  }
}
