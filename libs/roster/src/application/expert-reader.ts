import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, fold, versionOf, type EventStore } from '@keystone/event-store';
import { expertDecider, rosterError } from '../domain/expert.decider';
import { expertStreamId, type ExpertEvent, type Period } from '../domain/expert.events';
import { EXPERT_KEY_STORE, unseal, type ExpertKeyStore, type PersonalData } from './personal-data';

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

/** Reads one expert: the only place experts' personal data is unsealed. */
@Injectable()
export class ExpertReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EXPERT_KEY_STORE) private readonly keys: ExpertKeyStore,
  ) {}

  async view(expertId: string): Promise<ExpertView> {
    const events = await this.store.readStream(expertStreamId(expertId));
    const state = fold(expertDecider, events);
    const registered = events.find((e) => e.type === 'ExpertRegistered')?.data as
      Extract<ExpertEvent, { type: 'ExpertRegistered' }>['data'] | undefined;
    if (!state.registered || !registered) throw rosterError.notFound();
    const key = state.erased ? null : await this.keys.find(state.keyId);
    return {
      expertId,
      erased: state.erased || key === null,
      personal: key ? unseal(registered.personal, key, expertId) : null,
      languages: registered.languages,
      themes: registered.themes,
      availability: state.availability,
      bookings: state.bookings,
      version: versionOf(events),
    };
  }
}
