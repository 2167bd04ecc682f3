import {
  accessError,
  ALLOWED,
  refuse,
  routeRules,
  type Decision,
  type Principal,
  type Role,
} from '@keystone/access';

const OFFICER: Role = 'case-officer';
const FOCAL: Role = 'state-focal-point';
const MEMBER: Role = 'committee-member';
const EVERYONE: readonly Role[] = [OFFICER, 'auditor', MEMBER, FOCAL, 'provider', 'admin'];

/** The platform's one policy: who convenes, presents, registers providers and decides on themes. */
export const PLATFORM_ROUTES = routeRules({
  ConveneSession: [OFFICER],
  OpenRegistration: [OFFICER],
  RegisterPresentation: [OFFICER, FOCAL],
  RecordSessionHeld: [OFFICER],
  PublishOutcome: [OFFICER],
  ReadSessions: EVERYONE,
  RegisterProvider: [OFFICER],
  RetireProvider: [OFFICER],
  ReadProviders: EVERYONE,
  ProposeTheme: [OFFICER, FOCAL, MEMBER],
  AcceptTheme: [OFFICER],
  RejectTheme: [OFFICER],
  ReadThemeProposals: [OFFICER, 'auditor', MEMBER, FOCAL],
});

/** A focal point presents for its own State only; an officer records any State's presentation. */
export function presentationScope(principal: Principal, state: string): Decision {
  if (principal.role === 'state-focal-point' && principal.state !== state.toUpperCase())
    return refuse(
      accessError.forbidden(
        `A focal point of ${principal.state} presents for that State only, not ${state}.`,
        { state: principal.state },
      ),
    );
  return ALLOWED;
}
