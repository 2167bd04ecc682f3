import {
  canonicalJson,
  DomainError,
  type Command,
  type Decider,
  type DomainEvent,
} from '@keystone/event-store';

/**
 * Who may use Keystone, as a history: each person's stream records the roles granted to them, by
 * whom (the event's actor) and when, and a revocation. Names, e-mail addresses and passwords are
 * not history: they live in the accounts table beside the log (libs/people/src/infrastructure), so
 * a person's personal data can be erased without rewriting the log.
 */
export const personStream = (personId: string): string => `person-${personId}`;

export const GRANTABLE_ROLES = [
  'case-officer',
  'committee-member',
  'state-focal-point',
  'provider',
  'auditor',
  'admin',
] as const;
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

/** What a role is scoped to: a regional group, a State, or a provider; nothing for the others. */
export interface RoleScope {
  readonly region?: string;
  readonly state?: string;
  readonly provider?: {
    readonly id: string;
    readonly kind: string;
    readonly name: string;
    readonly state?: string;
  };
}

export type RoleGranted = DomainEvent<
  'RoleGranted',
  { personId: string; role: GrantableRole; scope: RoleScope }
>;
export type AccessRevoked = DomainEvent<'AccessRevoked', { personId: string; reason: string }>;
export type PersonEvent = RoleGranted | AccessRevoked;

export type GrantRole = Command<
  'GrantRole',
  { personId: string; role: GrantableRole; scope: RoleScope }
>;
export type RevokeAccess = Command<'RevokeAccess', { personId: string; reason: string }>;
export type PersonCommand = GrantRole | RevokeAccess;

export type PersonState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly personId: string;
      readonly role: GrantableRole;
      readonly scope: RoleScope;
      readonly revoked: boolean;
    };

export const personError = {
  notFound: (personId: string) =>
    new DomainError('PEOPLE.NOT_FOUND', 'not-found', `No person ${personId} has been invited.`, {
      personId,
    }),
  alreadyRevoked: (personId: string) =>
    new DomainError(
      'PEOPLE.ALREADY_REVOKED',
      'conflict',
      `Person ${personId}'s access is already revoked; grant a role to give it back.`,
      { personId },
    ),
  sameRole: (personId: string, role: string) =>
    new DomainError(
      'PEOPLE.ROLE_UNCHANGED',
      'conflict',
      `Person ${personId} already holds ${role} with that scope.`,
      { personId, role },
    ),
  ownAccess: () =>
    new DomainError(
      'PEOPLE.OWN_ACCESS',
      'rule',
      'An administrator cannot change or revoke their own access; another administrator must.',
    ),
  reasonRequired: () =>
    new DomainError('PEOPLE.REASON_REQUIRED', 'validation', 'Say why access is revoked.'),
};

const sameScope = (a: RoleScope, b: RoleScope): boolean => canonicalJson(a) === canonicalJson(b);

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  initialState: () => ({ exists: false }),

  evolve(state, event) {
    switch (event.type) {
      case 'RoleGranted':
        return {
          exists: true,
          personId: event.data.personId,
          role: event.data.role,
          scope: event.data.scope,
          revoked: false,
        };
      case 'AccessRevoked':
        return state.exists ? { ...state, revoked: true } : state;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },

  decide(command, state) {
    // Nobody changes their own access: an administrator cannot lock the door behind everyone else
    // by accident, nor raise themselves.
    if (command.context.actor === command.data.personId) throw personError.ownAccess();
    switch (command.type) {
      case 'GrantRole': {
        if (
          state.exists &&
          !state.revoked &&
          state.role === command.data.role &&
          sameScope(state.scope, command.data.scope)
        )
          throw personError.sameRole(command.data.personId, command.data.role);
        return [{ type: 'RoleGranted', data: command.data }];
      }
      case 'RevokeAccess': {
        if (!state.exists) throw personError.notFound(command.data.personId);
        if (state.revoked) throw personError.alreadyRevoked(command.data.personId);
        if (!command.data.reason.trim()) throw personError.reasonRequired();
        return [{ type: 'AccessRevoked', data: command.data }];
      }
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  },
};
