import type { RegionalGroupId } from '@keystone/reference-data';
import { accessError, type Principal, type Role } from './principal';

/** What a route does to a case; the table below is domain.md's "who uses Keystone", as code. */
export type CaseAction =
  | 'request'
  | 'amend'
  | 'consent'
  | 'screen'
  | 'offer'
  | 'withdraw-offer'
  | 'match'
  | 'deploy'
  | 'report'
  | 'profile'
  | 'close'
  | 'read'
  | 'read-events';

export const CASE_ACTION_ROLES: Readonly<Record<CaseAction, readonly Role[]>> = {
  request: ['case-officer', 'state-focal-point'],
  amend: ['case-officer', 'state-focal-point'],
  consent: ['case-officer', 'state-focal-point'],
  screen: ['committee-member'],
  offer: ['case-officer', 'provider'],
  'withdraw-offer': ['case-officer', 'provider'],
  match: ['case-officer', 'state-focal-point'],
  deploy: ['case-officer'],
  report: ['case-officer', 'state-focal-point'],
  profile: ['case-officer'],
  close: ['case-officer'],
  read: ['case-officer', 'auditor', 'committee-member', 'state-focal-point', 'provider'],
  'read-events': ['case-officer', 'auditor', 'committee-member', 'state-focal-point'],
};

/** Roles of the routes that are not about one case. */
export type OtherAction =
  | 'manage-roster'
  | 'read-roster'
  | 'contribute-funds'
  | 'read-fund'
  | 'list-cases'
  | 'screening-queue'
  | 'matchmaking'
  | 'panel'
  | 'impact'
  | 'notifications';
export const OTHER_ACTION_ROLES: Readonly<Record<OtherAction, readonly Role[]>> = {
  'manage-roster': ['case-officer'],
  'read-roster': ['case-officer', 'auditor'],
  'contribute-funds': ['case-officer'],
  'read-fund': ['case-officer', 'auditor'],
  // Lists are scoped row by row like GET /cases/{id}: a region, a State, or requests open for offers.
  'list-cases': ['case-officer', 'auditor', 'committee-member', 'state-focal-point', 'provider'],
  'screening-queue': ['committee-member', 'case-officer', 'auditor'],
  matchmaking: ['case-officer', 'auditor', 'provider'],
  // The panel's figures are what the Council is shown: every signed-in role may read them.
  panel: ['case-officer', 'auditor', 'committee-member', 'state-focal-point', 'provider', 'admin'],
  impact: ['case-officer', 'auditor'],
  // Notifications are addressed to those who act: officers, a region's member, a State's focal point.
  notifications: ['case-officer', 'committee-member', 'state-focal-point'],
};

export function assertRole(principal: Principal, action: CaseAction | OtherAction): void {
  const allowed =
    (CASE_ACTION_ROLES as Record<string, readonly Role[]>)[action] ??
    (OTHER_ACTION_ROLES as Record<string, readonly Role[]>)[action];
  if (!allowed.includes(principal.role)) {
    throw accessError.forbidden(
      `A ${principal.role} may not ${describe(action)}; this is for: ${allowed.join(', ')}.`,
      { role: principal.role, action },
    );
  }
}

export interface CaseScope {
  readonly state: string;
  readonly region: RegionalGroupId;
  /** Registered, not closed, not declined at screening: what providers may see and offer on. */
  readonly openForOffers: boolean;
}

/** The scope half of the table: a member acts on its region, a focal point for its State. */
export function assertCaseScope(principal: Principal, action: CaseAction, scope: CaseScope): void {
  assertRole(principal, action);
  if (principal.role === 'committee-member' && principal.region !== scope.region) {
    throw accessError.forbidden(
      `A committee member of ${principal.region} acts only on cases of that region; this case is of ${scope.region}.`,
      {
        region: principal.region,
        caseRegion: scope.region,
      },
    );
  }
  if (principal.role === 'state-focal-point' && principal.state !== scope.state) {
    throw accessError.forbidden(
      `A focal point of ${principal.state} acts only for that State; this case is ${scope.state}'s.`,
      {
        state: principal.state,
        caseState: scope.state,
      },
    );
  }
  if (principal.role === 'provider' && !scope.openForOffers) {
    throw accessError.forbidden(
      'Providers see and act on requests open for offers only; this one is not open for offers.',
    );
  }
}

function describe(action: string): string {
  return (
    action.replace(/-/g, ' ') +
    (action.startsWith('read') || action.includes('roster') || action.includes('fund')
      ? ''
      : ' on a case')
  );
}
