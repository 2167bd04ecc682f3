import {
  accessError,
  ALLOWED,
  refuse,
  roleDecision,
  routeRules,
  type Decision,
  type Principal,
  type Role,
} from '@keystone/access';
import type { RegionalGroupId } from '@keystone/reference-data';
import type { CaseCommand } from '../domain/case.commands';
import { caseError } from '../domain/case.errors';
import type { Provider } from '../domain/case.events';
import type { CaseState, OpenCase } from '../domain/case.state';

/** Reads of one case, and the queries over many: named like commands, checked by the same policy. */
export type CaseQuery =
  | 'ReadCase'
  | 'ReadCaseEvents'
  | 'ListCases'
  | 'ScreeningQueue'
  | 'Matchmaking'
  | 'Panel'
  | 'Impact';
export type CaseAction = CaseCommand['type'] | CaseQuery;

const OFFICER: Role = 'case-officer';
const FOCAL: Role = 'state-focal-point';
const MEMBER: Role = 'committee-member';

/** domain.md's "who uses Keystone", as code: the roles each case command and query is for. */
const ROLES: Readonly<Record<CaseAction, readonly Role[]>> = {
  RequestAssistance: [OFFICER, FOCAL],
  AmendRequest: [OFFICER, FOCAL],
  ConfirmConsent: [OFFICER, FOCAL],
  WithdrawConsent: [OFFICER, FOCAL],
  ScreenRequest: [MEMBER],
  MakeOffer: [OFFICER, 'provider'],
  WithdrawOffer: [OFFICER, 'provider'],
  MatchOffer: [OFFICER, FOCAL],
  DeployExpert: [OFFICER],
  ReportProgress: [OFFICER, FOCAL],
  // Recorded by Keystone itself (the follow-up processor), never by a person.
  RecordReportOverdue: [],
  ProfileSuccess: [OFFICER],
  CloseCase: [OFFICER],
  ReadCase: [OFFICER, 'auditor', MEMBER, FOCAL, 'provider'],
  ReadCaseEvents: [OFFICER, 'auditor', MEMBER, FOCAL],
  // Lists are scoped row by row like ReadCase: a region, a State, or requests open for offers.
  ListCases: [OFFICER, 'auditor', MEMBER, FOCAL, 'provider'],
  ScreeningQueue: [MEMBER, OFFICER, 'auditor'],
  // Focal points see their own State's requests on it: they may match.
  Matchmaking: [OFFICER, 'auditor', 'provider', FOCAL],
  // The panel's figures are what the Council is shown: every signed-in role may read them.
  Panel: [OFFICER, 'auditor', MEMBER, FOCAL, 'provider', 'admin'],
  Impact: [OFFICER, 'auditor'],
};

/** For @Access on each route: the roles that may call it before the case is looked at. */
export const CASE_ROUTES = routeRules(ROLES);

/**
 * What providers may see and offer on: a request whose State's consent stands (given, not
 * withdrawn), not declined at screening, not closed. A request the State has not consented to is
 * the State's and the committee's business, not yet the providers'.
 */
export function openForOffers(state: OpenCase): boolean {
  return !state.closed && state.screening !== 'declined' && state.consent === 'given';
}

/**
 * The cases context's one policy: may this caller take this action on this case now? Role first,
 * then scope: a committee member acts on its region, a focal point for its State, a provider on
 * requests open for offers and on its own offers only. `offerId` names the offer an action is about.
 */
export function authorizeCase(
  principal: Principal,
  action: CaseAction,
  state: CaseState,
  target: { offerId?: string; requestedState?: string } = {},
): Decision {
  const role = roleDecision(principal, CASE_ROUTES[action]);
  if (!role.allowed) return role;
  if (action === 'RequestAssistance') return requestScope(principal, target.requestedState ?? '');
  if (!state.exists) return ALLOWED; // nothing to scope: the decider answers CASE.NOT_FOUND
  return caseScope(principal, state, action, target.offerId);
}

function requestScope(principal: Principal, requested: string): Decision {
  if (principal.role === 'state-focal-point' && principal.state !== requested.toUpperCase())
    return refuse(
      accessError.forbidden(
        `A focal point of ${principal.state} requests support for that State only, not ${requested}.`,
        { state: principal.state },
      ),
    );
  return ALLOWED;
}

function caseScope(
  principal: Principal,
  openCase: OpenCase,
  action: CaseAction,
  offerId: string | undefined,
): Decision {
  switch (principal.role) {
    case 'committee-member':
      return principal.region === openCase.region
        ? ALLOWED
        : wrongRegion(principal.region, openCase);
    case 'state-focal-point':
      return principal.state === openCase.state
        ? ALLOWED
        : refuse(
            accessError.forbidden(
              `A focal point of ${principal.state} acts only for that State; this case is ${openCase.state}'s.`,
              { state: principal.state, caseState: openCase.state },
            ),
          );
    case 'provider':
      if (!openForOffers(openCase))
        return refuse(
          accessError.forbidden(
            'Providers see and act on requests open for offers only (the State consented, not declined, not closed); this one is not.',
          ),
        );
      if (action === 'WithdrawOffer' && offerId !== undefined) {
        const offer = openCase.offers[offerId];
        if (offer && offer.provider.id !== principal.provider.id)
          return refuse(caseError.notYourOffer(offerId));
      }
      return ALLOWED;
    default:
      return ALLOWED;
  }
}

function wrongRegion(region: RegionalGroupId, state: OpenCase): Decision {
  return refuse(
    accessError.forbidden(
      `A committee member of ${region} acts only on cases of that region; this case is of ${state.region}.`,
      { region, caseRegion: state.region },
    ),
  );
}

/**
 * Whose offer a MakeOffer records: a provider offers as its token says; a case officer recording an
 * offer names the provider in the body.
 */
export function offeringProvider(principal: Principal, named: Provider | undefined): Provider {
  if (principal.role === 'provider') {
    if (named)
      throw accessError.forbidden(
        'A provider offers as its token says; leave provider out of the body.',
      );
    return principal.provider;
  }
  if (!named)
    throw accessError.forbidden(
      'A case officer recording an offer names its provider (provider: { kind, id, name, state? }).',
    );
  return named;
}

/** The rows of the case lists a caller may see, as a filter the read models apply. */
export function caseRowScope(principal: Principal): {
  region?: RegionalGroupId;
  state?: string;
  openForOffersOnly?: true;
} {
  switch (principal.role) {
    case 'committee-member':
      return { region: principal.region };
    case 'state-focal-point':
      return { state: principal.state };
    case 'provider':
      return { openForOffersOnly: true };
    default:
      return {};
  }
}

/**
 * What a caller sees of the matchmaking board: a focal point its own State's requests; a provider
 * its own offers in full and the others only as a count; officers and auditors everything.
 */
export function matchmakingScope(principal: Principal): {
  state?: string;
  ownOffersOf?: string;
} {
  if (principal.role === 'state-focal-point') return { state: principal.state };
  if (principal.role === 'provider') return { ownOffersOf: principal.provider.id };
  return {};
}

/** Whose screening queue a caller reads: a member its own region only; others the region they name. */
export function screeningQueueRegion(
  principal: Principal,
  asked: string | undefined,
): string | undefined {
  if (principal.role !== 'committee-member') return asked;
  if (asked && asked !== principal.region)
    throw accessError.forbidden(
      `A committee member of ${principal.region} sees that region's queue only, not ${asked}'s.`,
    );
  return principal.region;
}
