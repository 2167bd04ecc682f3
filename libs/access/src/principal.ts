import { DomainError } from '@keystone/event-store';
import {
  isProviderKind,
  isRegionalGroup,
  memberState,
  PROVIDER_KINDS,
  type ProviderKind,
  type RegionalGroupId,
} from '@keystone/reference-data';

export const ROLES = [
  'case-officer',
  'committee-member',
  'state-focal-point',
  'provider',
  'auditor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as their token says: a role, and the region, State or provider it is scoped to. */
export type Principal =
  | { readonly subject: string; readonly role: 'case-officer' | 'auditor' | 'admin' }
  | {
      readonly subject: string;
      readonly role: 'committee-member';
      readonly region: RegionalGroupId;
    }
  | { readonly subject: string; readonly role: 'state-focal-point'; readonly state: string }
  | {
      readonly subject: string;
      readonly role: 'provider';
      readonly provider: {
        readonly id: string;
        readonly kind: ProviderKind;
        readonly name: string;
        readonly state?: string;
      };
    };

/** The claims Keystone reads; tokens from an OIDC issuer carry them the same way. */
export interface KeystoneClaims {
  sub?: unknown;
  role?: unknown;
  region?: unknown;
  state?: unknown;
  provider?: unknown;
  provider_kind?: unknown;
  provider_name?: unknown;
  provider_state?: unknown;
}

export const accessError = {
  tokenRequired: () =>
    new DomainError(
      'AUTH.TOKEN_REQUIRED',
      'unauthenticated',
      'This route needs you signed in: sign in on the web app, or send "Authorization: Bearer <token>" (keystone token --role … mints one locally).',
    ),
  tokenInvalid: (why: string) =>
    new DomainError(
      'AUTH.TOKEN_INVALID',
      'unauthenticated',
      `The bearer token was refused: ${why}.`,
    ),
  csrf: () =>
    new DomainError(
      'AUTH.CSRF',
      'forbidden',
      "A signed-in browser request that changes something must come from Keystone's own pages (the X-Keystone-Client header is missing).",
    ),
  sessionEnded: () =>
    new DomainError(
      'AUTH.SESSION_ENDED',
      'unauthenticated',
      'Your session has ended (signed out, expired, or your access changed). Sign in again.',
    ),
  forbidden: (why: string, details: Record<string, unknown> = {}) =>
    new DomainError('ACCESS.DENIED', 'forbidden', why, details),
};

export function principalFromClaims(claims: KeystoneClaims): Principal {
  const subject = typeof claims.sub === 'string' && claims.sub ? claims.sub : null;
  if (!subject) throw accessError.tokenInvalid('it has no subject (sub)');
  const role = claims.role;
  if (!ROLES.includes(role as Role))
    throw accessError.tokenInvalid(
      `its role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(role)}`,
    );
  switch (role as Role) {
    case 'committee-member':
      if (!isRegionalGroup(claims.region))
        throw accessError.tokenInvalid(
          `a committee member's token names its regional group (region), got ${JSON.stringify(claims.region)}`,
        );
      return { subject, role: 'committee-member', region: claims.region };
    case 'state-focal-point': {
      const state = typeof claims.state === 'string' ? memberState(claims.state) : undefined;
      if (!state)
        throw accessError.tokenInvalid(
          `a State focal point's token names a UN member State (state, ISO3), got ${JSON.stringify(claims.state)}`,
        );
      return { subject, role: 'state-focal-point', state: state.iso3 };
    }
    case 'provider':
      return { subject, role: 'provider', provider: providerFrom(claims) };
    default:
      return { subject, role: role as 'case-officer' | 'auditor' | 'admin' };
  }
}

function providerFrom(
  claims: KeystoneClaims,
): Extract<Principal, { role: 'provider' }>['provider'] {
  const id = typeof claims.provider === 'string' && claims.provider ? claims.provider : null;
  const kind = claims.provider_kind;
  if (!id) throw accessError.tokenInvalid("a provider's token names its provider id (provider)");
  if (!isProviderKind(kind))
    throw accessError.tokenInvalid(`provider_kind must be one of ${PROVIDER_KINDS.join(', ')}`);
  const name =
    typeof claims.provider_name === 'string' && claims.provider_name ? claims.provider_name : id;
  if (kind !== 'state') return { id, kind, name };
  const state =
    typeof claims.provider_state === 'string' ? memberState(claims.provider_state) : undefined;
  if (!state)
    throw accessError.tokenInvalid(
      "a State provider's token names its State (provider_state, ISO3)",
    );
  return { id, kind, name, state: state.iso3 };
}
