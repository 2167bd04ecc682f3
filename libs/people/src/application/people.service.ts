import { Inject, Injectable } from '@nestjs/common';
import {
  accessError,
  principalFromClaims,
  type Principal,
  type SessionResolver,
} from '@keystone/access';
import {
  CLOCK,
  deciderStep,
  DomainError,
  EVENT_STORE,
  newId,
  runCommand,
  type Clock,
  type CommandContext,
  type EventStore,
  foldStream,
} from '@keystone/event-store';
import {
  personDecider,
  personError,
  personStream,
  type GrantableRole,
  type PersonCommand,
  type PersonState,
  type RoleScope,
} from '../domain/person.decider';
import { AccountBook, EmailTaken, newSecret, type Account } from '../infrastructure/account-book';
import { hashPassword, passwordMatches } from '../infrastructure/passwords';

export const LANGUAGES = ['en', 'fr', 'es'] as const;
/** How long a sign-in lasts, and an invitation stands. */
export const SESSION_HOURS = 8;
export const INVITATION_DAYS = 7;
/** Consecutive failed sign-ins before an account waits LOCK_MINUTES. */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCK_MINUTES = 15;
export const MIN_PASSWORD_LENGTH = 12;

export const peopleError = {
  emailTaken: (email: string) =>
    new DomainError('PEOPLE.EMAIL_TAKEN', 'conflict', `${email} already has an account.`, {
      email,
    }),
  signInFailed: () =>
    new DomainError(
      'AUTH.SIGN_IN_FAILED',
      'unauthenticated',
      'The e-mail address or the password is not right.',
    ),
  locked: (until: string) =>
    new DomainError(
      'AUTH.SIGN_IN_LOCKED',
      'unauthenticated',
      `Too many failed sign-ins: this account can try again after ${until}.`,
      { until },
    ),
  invitationInvalid: () =>
    new DomainError(
      'AUTH.INVITATION_INVALID',
      'not-found',
      'This invitation link is not valid: it was used already or has expired. Ask an administrator for a new one.',
    ),
  weakPassword: () =>
    new DomainError(
      'AUTH.PASSWORD_TOO_SHORT',
      'validation',
      `A password has at least ${MIN_PASSWORD_LENGTH} characters (a few words make a good one).`,
      { minimum: MIN_PASSWORD_LENGTH },
    ),
};

export interface Person extends Account {
  readonly role: GrantableRole | null;
  readonly scope: RoleScope;
  readonly status: 'invited' | 'active' | 'revoked';
}

export interface NewPerson {
  readonly email: string;
  readonly name: string;
  readonly language: string;
  readonly role: GrantableRole;
  readonly scope: RoleScope;
}

const normalEmail = (email: string): string => email.trim().toLowerCase();

/** The claims a role and scope stand for: the same reading as a bearer token's (principalFromClaims). */
function principalOfGrant(personId: string, role: GrantableRole, scope: RoleScope): Principal {
  return principalFromClaims({
    sub: personId,
    role,
    region: scope.region,
    state: scope.state,
    provider: scope.provider?.id,
    provider_kind: scope.provider?.kind,
    provider_name: scope.provider?.name,
    provider_state: scope.provider?.state,
  });
}

/** A role's scope checked as a token's would be, refused with PEOPLE.INVALID_SCOPE when wrong. */
export function checkedScope(role: GrantableRole, scope: RoleScope): RoleScope {
  try {
    const principal = principalOfGrant('check', role, scope);
    switch (principal.role) {
      case 'committee-member':
        return { region: principal.region };
      case 'state-focal-point':
        return { state: principal.state };
      case 'provider':
        return { provider: { ...principal.provider } };
      default:
        return {};
    }
  } catch (error) {
    const why = error instanceof DomainError ? error.message : String(error);
    throw new DomainError(
      'PEOPLE.INVALID_SCOPE',
      'validation',
      `The ${role} role needs its scope: ${why.replace(/^The bearer token was refused: /, '')}`,
      { role },
    );
  }
}

/**
 * People and their sessions: invitations, first administrator, sign-in and sign-out. Grants and
 * revocations go through the person's decider (the log says who granted what to whom, and when);
 * names, addresses and passwords stay in the account book beside the log.
 */
@Injectable()
export class PeopleService implements SessionResolver {
  readonly accounts: AccountBook;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.accounts = new AccountBook(store);
  }

  /** An administrator invites a person: their account, their role (an event), a one-time link. */
  async invite(person: NewPerson, context: CommandContext) {
    const scope = checkedScope(person.role, person.scope);
    const invitation = newSecret();
    const expiresAt = this.hoursFromNow(INVITATION_DAYS * 24);
    const personId = await this.open(person, context, scope, {
      passwordHash: null,
      invitationHash: invitation.hash,
      invitationExpiresAt: expiresAt,
    });
    return { personId, invitationToken: invitation.token, expiresAt };
  }

  /** The first administrator (`keystone users create-admin`), with a password at once. */
  async createAdmin(
    person: Omit<NewPerson, 'role' | 'scope'>,
    password: string,
    context: CommandContext,
  ) {
    checkPassword(password);
    const personId = await this.open(
      { ...person, role: 'admin', scope: {} },
      context,
      {},
      {
        passwordHash: await hashPassword(password),
        invitationHash: null,
        invitationExpiresAt: null,
      },
    );
    return { personId };
  }

  async grant(personId: string, role: GrantableRole, scope: RoleScope, context: CommandContext) {
    if (!(await this.accounts.byId(personId))) throw personError.notFound(personId);
    const outcome = await this.run({
      type: 'GrantRole',
      data: { personId, role, scope: checkedScope(role, scope) },
      context,
    });
    await this.accounts.endSessionsOf(personId, this.nowIso());
    return outcome;
  }

  async revoke(personId: string, reason: string, context: CommandContext) {
    const outcome = await this.run({ type: 'RevokeAccess', data: { personId, reason }, context });
    await this.accounts.endSessionsOf(personId, this.nowIso());
    return outcome;
  }

  async acceptInvitation(token: string, password: string): Promise<void> {
    checkPassword(password);
    const personId = await this.accounts.acceptInvitation(
      token,
      await hashPassword(password),
      this.nowIso(),
    );
    if (!personId) throw peopleError.invitationInvalid();
  }

  /** Checks the password and opens a session; the answer never says which of the two was wrong. */
  async signIn(email: string, password: string) {
    const now = this.nowIso();
    const account = await this.accounts.byEmail(normalEmail(email));
    if (account?.locked_until && account.locked_until > now)
      throw peopleError.locked(account.locked_until);
    const matches = await passwordMatches(password, account?.password_hash ?? null);
    if (!account) throw peopleError.signInFailed();
    if (!matches) {
      const locking = account.failed_sign_ins + 1 >= MAX_FAILED_SIGN_INS;
      await this.accounts.recordSignIn(
        account.person_id,
        false,
        locking ? this.hoursFromNow(LOCK_MINUTES / 60) : null,
      );
      throw peopleError.signInFailed();
    }
    const state = await this.stateOf(account.person_id);
    if (!state.exists || state.revoked) throw peopleError.signInFailed();
    await this.accounts.recordSignIn(account.person_id, true, null);
    const expiresAt = this.hoursFromNow(SESSION_HOURS);
    const token = await this.accounts.startSession(account.person_id, now, expiresAt);
    return { token, expiresAt, personId: account.person_id };
  }

  signOut(token: string): Promise<void> {
    return this.accounts.endSession(token, this.nowIso());
  }

  /** A session through the identity provider: its claims, read as a bearer token's. */
  async startClaimsSession(claims: Record<string, unknown>) {
    const principal = principalFromClaims(claims);
    const expiresAt = this.hoursFromNow(SESSION_HOURS);
    const token = await this.accounts.startSession(
      `oidc:${principal.subject}`,
      this.nowIso(),
      expiresAt,
      claims,
    );
    return { token, expiresAt };
  }

  async principalOf(sessionToken: string): Promise<Principal> {
    const session = await this.accounts.session(sessionToken, this.nowIso());
    if (!session) throw accessError.sessionEnded();
    if (session.claims !== null) return principalFromClaims(JSON.parse(session.claims));
    const state = await this.stateOf(session.person_id);
    if (!state.exists || state.revoked) throw accessError.sessionEnded();
    return principalOfGrant(state.personId, state.role, state.scope);
  }

  /** Who a session is: an account's person, or what the identity provider said. */
  async sessionPerson(sessionToken: string): Promise<Person | null> {
    const session = await this.accounts.session(sessionToken, this.nowIso());
    if (!session) return null;
    if (session.claims === null) {
      await this.principalOf(sessionToken); // still standing (not revoked)
      return this.person(session.person_id);
    }
    const claims = JSON.parse(session.claims) as Record<string, unknown>;
    const principal = principalFromClaims(claims);
    const { subject, role, ...scope } = principal;
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    const locale = text(claims.locale).split('-')[0];
    return {
      personId: subject,
      email: text(claims.email),
      name: text(claims.name) || subject,
      language: (LANGUAGES as readonly string[]).includes(locale) ? locale : 'en',
      hasPassword: false,
      invitationExpiresAt: null,
      createdAt: '',
      role,
      scope: scope as RoleScope,
      status: 'active',
    };
  }

  async person(personId: string): Promise<Person | null> {
    const account = await this.accounts.byId(personId);
    return account ? this.withRole(account) : null;
  }

  async people(): Promise<Person[]> {
    return Promise.all((await this.accounts.all()).map((account) => this.withRole(account)));
  }

  /**
   * The active people behind a notice's address: 'case-officer', 'committee-member:<region>',
   * 'state-focal-point:<ISO3>' (the inboxes of libs/reactions), for their e-mail.
   */
  async peopleAt(address: string) {
    const [role, scope] = address.split(':');
    return (await this.people())
      .filter(
        (p) =>
          p.status === 'active' &&
          p.role === role &&
          (role === 'committee-member'
            ? p.scope.region === scope
            : role === 'state-focal-point'
              ? p.scope.state === scope
              : scope === undefined),
      )
      .map(({ personId, email, name, language }) => ({ personId, email, name, language }));
  }

  /** Whether anyone may sign in yet (the start-up log says how to make the first administrator). */
  async anyAdministrator(): Promise<boolean> {
    for (const person of await this.people())
      if (person.role === 'admin' && person.status === 'active') return true;
    return false;
  }

  private async withRole(account: Account): Promise<Person> {
    const state = await this.stateOf(account.personId);
    return {
      ...account,
      role: state.exists ? state.role : null,
      scope: state.exists ? state.scope : {},
      status:
        !state.exists || state.revoked ? 'revoked' : account.hasPassword ? 'active' : 'invited',
    };
  }

  private async open(
    person: NewPerson,
    context: CommandContext,
    scope: RoleScope,
    secret: {
      passwordHash: string | null;
      invitationHash: string | null;
      invitationExpiresAt: string | null;
    },
  ): Promise<string> {
    const personId = newId();
    const email = normalEmail(person.email);
    try {
      await this.accounts.open({
        personId,
        email,
        name: person.name.trim(),
        language: person.language,
        ...secret,
        createdAt: this.nowIso(),
      });
    } catch (error) {
      if (error instanceof EmailTaken) throw peopleError.emailTaken(email);
      throw error;
    }
    try {
      await this.run({ type: 'GrantRole', data: { personId, role: person.role, scope }, context });
    } catch (error) {
      await this.accounts.discard(personId);
      throw error;
    }
    return personId;
  }

  private run(command: PersonCommand) {
    return runCommand(this.store, command.context, [
      deciderStep(personStream(command.data.personId), personDecider, command),
    ]);
  }

  private async stateOf(personId: string): Promise<PersonState> {
    return (await foldStream(this.store, personStream(personId), personDecider)).state;
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  private hoursFromNow(hours: number): string {
    return new Date(this.clock.now().getTime() + hours * 3600_000).toISOString();
  }
}

function checkPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw peopleError.weakPassword();
}
