import { DomainError, type Decider } from '@keystone/event-store';
import type { ExpertCommand, ExpertEvent, Period } from './expert.events';

export type ExpertState =
  | { readonly registered: false }
  | {
      readonly registered: true;
      readonly expertId: string;
      readonly keyId: string;
      readonly availability: readonly Period[];
      readonly bookings: readonly (Period & { deploymentId: string })[];
      readonly erased: boolean;
    };

export const rosterError = {
  notFound: () =>
    new DomainError(
      'ROSTER.EXPERT_NOT_FOUND',
      'not-found',
      'No such expert on the roster; register the expert first (POST /experts).',
    ),
  alreadyRegistered: (id: string) =>
    new DomainError('ROSTER.EXPERT_EXISTS', 'conflict', `Expert ${id} is already on the roster.`, {
      expertId: id,
    }),
  erased: (id: string) =>
    new DomainError(
      'ROSTER.EXPERT_ERASED',
      'rule',
      `Expert ${id} was erased from the roster and cannot be deployed.`,
      { expertId: id },
    ),
  invalidPeriod: (period: Period) =>
    new DomainError(
      'ROSTER.INVALID_PERIOD',
      'validation',
      `A period runs from a date to a date on or after it, got ${period.from} to ${period.to}.`,
      { period },
    ),
  unavailable: (id: string, period: Period, why: string) =>
    new DomainError(
      'ROSTER.EXPERT_UNAVAILABLE',
      'rule',
      `Expert ${id} is not available from ${period.from} to ${period.to}: ${why}.`,
      { expertId: id, ...period },
    ),
};

const time = (iso: string) => Date.parse(iso);
const overlaps = (a: Period, b: Period) => time(a.from) <= time(b.to) && time(b.from) <= time(a.to);
const within = (inner: Period, outer: Period) =>
  time(outer.from) <= time(inner.from) && time(inner.to) <= time(outer.to);

function validPeriod(period: Period): Period {
  const from = time(period.from);
  const to = time(period.to);
  if (Number.isNaN(from) || Number.isNaN(to) || to < from) throw rosterError.invalidPeriod(period);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

export const expertDecider: Decider<ExpertCommand, ExpertEvent, ExpertState> = {
  initialState: () => ({ registered: false }),

  evolve(state, event) {
    if (event.type === 'ExpertRegistered') {
      return {
        registered: true,
        expertId: event.data.expertId,
        keyId: event.data.personal.keyId,
        availability: [],
        bookings: [],
        erased: false,
      };
    }
    if (!state.registered) return state;
    switch (event.type) {
      case 'ExpertAvailabilitySet':
        return { ...state, availability: event.data.periods };
      case 'ExpertBooked':
        return {
          ...state,
          bookings: [
            ...state.bookings,
            { deploymentId: event.data.deploymentId, from: event.data.from, to: event.data.to },
          ],
        };
      case 'ExpertErased':
        return { ...state, erased: true };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },

  decide(command, state) {
    if (command.type === 'RegisterExpert') {
      if (state.registered) throw rosterError.alreadyRegistered(state.expertId);
      return [{ type: 'ExpertRegistered', data: command.data }];
    }
    if (!state.registered) throw rosterError.notFound();
    if (state.erased) throw rosterError.erased(state.expertId);
    switch (command.type) {
      case 'SetAvailability':
        return [
          {
            type: 'ExpertAvailabilitySet',
            data: { periods: command.data.periods.map(validPeriod) },
          },
        ];
      case 'BookExpert': {
        const period = validPeriod(command.data);
        if (!state.availability.some((available) => within(period, available))) {
          throw rosterError.unavailable(
            state.expertId,
            period,
            'outside every period the expert said they are available',
          );
        }
        const clash = state.bookings.find((booking) => overlaps(period, booking));
        if (clash)
          throw rosterError.unavailable(
            state.expertId,
            period,
            `already deployed (${clash.deploymentId}) from ${clash.from} to ${clash.to}`,
          );
        return [
          {
            type: 'ExpertBooked',
            data: {
              deploymentId: command.data.deploymentId,
              caseId: command.data.caseId,
              ...period,
            },
          },
        ];
      }
      case 'EraseExpert':
        return [{ type: 'ExpertErased', data: { keyId: state.keyId } }];
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  },
};
