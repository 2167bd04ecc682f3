import { deciderSpec } from '@keystone/event-store/testing/decider-spec';
import type { CommandContext } from '@keystone/event-store';
import { personDecider, type PersonCommand, type PersonEvent } from './person.decider';

const spec = deciderSpec(personDecider);
const by = (actor: string): CommandContext => ({
  actor,
  role: 'admin',
  correlationId: 'c-1',
  occurredAt: '2026-03-01T09:00:00.000Z',
  now: '2026-03-01T09:00:00.000Z',
});
const granted = (role: 'case-officer' | 'committee-member', scope = {}): PersonEvent => ({
  type: 'RoleGranted',
  data: { personId: 'p-1', role, scope },
});
const grant = (
  role: 'case-officer' | 'committee-member',
  scope = {},
  actor = 'admin-1',
): PersonCommand => ({
  type: 'GrantRole',
  data: { personId: 'p-1', role, scope },
  context: by(actor),
});
const revoke = (reason = 'Left the office', actor = 'admin-1'): PersonCommand => ({
  type: 'RevokeAccess',
  data: { personId: 'p-1', reason },
  context: by(actor),
});

describe('a person’s access, as events', () => {
  it('records the first role granted (the invitation) and each change after it', () => {
    spec
      .given([])
      .when(grant('case-officer'))
      .then([granted('case-officer')]);
    spec
      .given([granted('case-officer')])
      .when(grant('committee-member', { region: 'african' }))
      .then([granted('committee-member', { region: 'african' })]);
  });

  it('refuses a grant that changes nothing', () => {
    spec
      .given([granted('committee-member', { region: 'african' })])
      .when(grant('committee-member', { region: 'african' }))
      .thenRefuses('PEOPLE.ROLE_UNCHANGED');
  });

  it('gives access back by a new grant after a revocation', () => {
    spec
      .given([
        granted('case-officer'),
        { type: 'AccessRevoked', data: { personId: 'p-1', reason: 'x' } },
      ])
      .when(grant('case-officer'))
      .then([granted('case-officer')]);
  });

  it('revokes with a reason, once', () => {
    spec
      .given([granted('case-officer')])
      .when(revoke())
      .then([{ type: 'AccessRevoked', data: { personId: 'p-1', reason: 'Left the office' } }]);
    spec
      .given([granted('case-officer')])
      .when(revoke('  '))
      .thenRefuses('PEOPLE.REASON_REQUIRED');
    spec
      .given([
        granted('case-officer'),
        { type: 'AccessRevoked', data: { personId: 'p-1', reason: 'x' } },
      ])
      .when(revoke())
      .thenRefuses('PEOPLE.ALREADY_REVOKED');
    spec.given([]).when(revoke()).thenRefuses('PEOPLE.NOT_FOUND');
  });

  it('never lets anyone change their own access', () => {
    spec
      .given([granted('case-officer')])
      .when(grant('committee-member', { region: 'african' }, 'p-1'))
      .thenRefuses('PEOPLE.OWN_ACCESS');
    spec
      .given([granted('case-officer')])
      .when(revoke('bye', 'p-1'))
      .thenRefuses('PEOPLE.OWN_ACCESS');
  });
});
