import { deciderSpec, type Given } from '@keystone/event-store/testing/decider-spec';
import type { CommandContext } from '@keystone/event-store';
import { expertDecider } from './expert.decider';
import type { ExpertCommand, ExpertEvent } from './expert.events';

const spec = deciderSpec(expertDecider);
const context: CommandContext = {
  actor: 'officer:ana',
  role: 'case-officer',
  correlationId: 'c',
  occurredAt: '2026-01-01T00:00:00.000Z',
  now: '2026-01-01T00:00:00.000Z',
};
const cmd = <T extends ExpertCommand['type']>(
  type: T,
  data: Extract<ExpertCommand, { type: T }>['data'],
) => ({ type, data, context }) as Extract<ExpertCommand, { type: T }>;
const personal = { keyId: 'k1', iv: 'aa', ciphertext: 'bb', tag: 'cc' };
const registered: Given<ExpertEvent> = {
  type: 'ExpertRegistered',
  data: { expertId: 'e1', personal, languages: ['fr'], themes: ['torture-prevention'] },
};
const available: Given<ExpertEvent> = {
  type: 'ExpertAvailabilitySet',
  data: { periods: [{ from: '2026-01-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z' }] },
};
const booked: Given<ExpertEvent> = {
  type: 'ExpertBooked',
  data: {
    deploymentId: 'd1',
    caseId: 'c1',
    from: '2026-03-01T00:00:00.000Z',
    to: '2026-05-01T00:00:00.000Z',
  },
};
const book = (from: string, to: string) =>
  cmd('BookExpert', { deploymentId: 'd2', caseId: 'c2', from, to });

describe('the roster', () => {
  it('registers an expert once', () => {
    spec
      .given([])
      .when(cmd('RegisterExpert', registered.data as never))
      .then([{ type: 'ExpertRegistered', data: registered.data } as ExpertEvent]);
    spec
      .given([registered])
      .when(cmd('RegisterExpert', registered.data as never))
      .thenRefuses('ROSTER.EXPERT_EXISTS');
  });
  it('books an expert who is free within a period of availability', () =>
    spec
      .given([registered, available, booked])
      .when(book('2026-06-01', '2026-07-01'))
      .then([
        {
          type: 'ExpertBooked',
          data: {
            deploymentId: 'd2',
            caseId: 'c2',
            from: '2026-06-01T00:00:00.000Z',
            to: '2026-07-01T00:00:00.000Z',
          },
        },
      ]));
  it('refuses dates outside availability, overlapping a deployment, or backwards', () => {
    spec
      .given([registered, available])
      .when(book('2027-01-01', '2027-02-01'))
      .thenRefuses('ROSTER.EXPERT_UNAVAILABLE', /outside/);
    spec
      .given([registered, available, booked])
      .when(book('2026-04-01', '2026-06-01'))
      .thenRefuses('ROSTER.EXPERT_UNAVAILABLE', /d1/);
    spec
      .given([registered, available])
      .when(book('2026-06-01', '2026-05-01'))
      .thenRefuses('ROSTER.INVALID_PERIOD');
  });
  it('refuses an unregistered expert and an erased one', () => {
    spec.given([]).when(book('2026-06-01', '2026-07-01')).thenRefuses('ROSTER.EXPERT_NOT_FOUND');
    spec
      .given([registered])
      .when(cmd('EraseExpert', {}))
      .then([{ type: 'ExpertErased', data: { keyId: 'k1' } }]);
    spec
      .given([registered, available, { type: 'ExpertErased', data: { keyId: 'k1' } }])
      .when(book('2026-06-01', '2026-07-01'))
      .thenRefuses('ROSTER.EXPERT_ERASED');
  });
});
