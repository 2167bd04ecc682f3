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
  fold,
  runCommand,
  type CommandOutcome,
  type EventStore,
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
    const state: CaseState = fold(caseDecider, await this.store.readStream(caseStreamId(caseId)));
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
    return fold(providerRegistryDecider, await this.store.readStream(PROVIDER_REGISTRY_STREAM));
  }

  async checkSessionTakes(sessionId: string, what: 'Requests' | 'Pledges'): Promise<void> {
    const state = fold(sessionDecider, await this.store.readStream(sessionStreamId(sessionId)));
    if (!state.exists) throw platformError.sessionNotFound(sessionId);
    if (!sessionTakes(state)) throw platformError.notTaking(sessionId, what, state.status);
  }

  async themes() {
    return fold(themeVocabularyDecider, await this.store.readStream(THEME_VOCABULARY_STREAM));
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
