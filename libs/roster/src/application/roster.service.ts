import { Inject, Injectable } from '@nestjs/common';
import {
  deciderStep,
  EVENT_STORE,
  newEventId,
  runCommand,
  type CommandContext,
  type EventStore,
} from '@keystone/event-store';
import { expertDecider, rosterError, type ExpertState } from '../domain/expert.decider';
import {
  expertStreamId,
  type ExpertCommand,
  type ExpertEvent,
  type Period,
} from '../domain/expert.events';
import {
  EXPERT_KEY_STORE,
  seal,
  unseal,
  type ExpertKeyStore,
  type PersonalData,
} from './personal-data';

export interface ExpertView {
  readonly expertId: string;
  readonly erased: boolean;
  /** Null once erased: the key is gone and the sealed data cannot be read. */
  readonly personal: PersonalData | null;
  readonly languages: readonly string[];
  readonly themes: readonly string[];
  readonly availability: readonly Period[];
  readonly bookings: readonly (Period & { deploymentId: string })[];
  readonly version: number;
}

/** Roster use cases: the only place experts' personal data is sealed and unsealed. */
@Injectable()
export class RosterService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EXPERT_KEY_STORE) private readonly keys: ExpertKeyStore,
  ) {}

  async register(
    context: CommandContext,
    personal: PersonalData,
    languages: string[],
    themes: string[],
  ): Promise<{ expertId: string; position: number }> {
    const expertId = newEventId();
    const keyId = newEventId();
    const key = await this.keys.create(keyId);
    const sealed = seal(personal, keyId, key, expertId);
    const outcome = await this.run(expertId, {
      type: 'RegisterExpert',
      data: { expertId, personal: sealed, languages, themes },
      context,
    });
    return { expertId, position: outcome.position };
  }

  setAvailability(expertId: string, context: CommandContext, periods: Period[]) {
    return this.run(expertId, { type: 'SetAvailability', data: { periods }, context });
  }

  /** Records the erasure, then destroys the key; a repeated erasure makes sure the key is gone. */
  async erase(expertId: string, context: CommandContext): Promise<void> {
    const { state } = await this.load(expertId);
    if (!state.registered) throw rosterError.notFound();
    if (!state.erased) await this.run(expertId, { type: 'EraseExpert', data: {}, context });
    await this.keys.destroy(state.keyId);
  }

  async view(expertId: string): Promise<ExpertView> {
    const { state, registered, version } = await this.load(expertId);
    if (!state.registered || !registered) throw rosterError.notFound();
    const key = state.erased ? null : await this.keys.find(state.keyId);
    return {
      expertId,
      erased: state.erased || key === null,
      personal: key ? unseal(registered.data.personal, key, expertId) : null,
      languages: registered.data.languages,
      themes: registered.data.themes,
      availability: state.availability,
      bookings: state.bookings,
      version,
    };
  }

  private run(expertId: string, command: ExpertCommand) {
    return runCommand(this.store, command.context, [
      deciderStep(expertStreamId(expertId), expertDecider, command),
    ]);
  }

  private async load(expertId: string) {
    const events = await this.store.readStream(expertStreamId(expertId));
    const domainEvents = events.map((e) => ({ type: e.type, data: e.data }) as ExpertEvent);
    const state: ExpertState = domainEvents.reduce(
      (s, e) => expertDecider.evolve(s, e, ''),
      expertDecider.initialState(),
    );
    const registered = domainEvents.find(
      (e): e is Extract<ExpertEvent, { type: 'ExpertRegistered' }> => e.type === 'ExpertRegistered',
    );
    return { state, registered, version: events.length };
  }
}
