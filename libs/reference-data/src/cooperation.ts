import { memberState } from './states';

/** Who provides assistance, as the provider registry records it (domain.md's providers). */
export const PROVIDER_KINDS = [
  'state',
  'un-entity',
  'ngo',
  'regional-organisation',
  'development-partner',
  'nhri',
] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const isProviderKind = (value: unknown): value is ProviderKind =>
  PROVIDER_KINDS.includes(value as ProviderKind);

export type CooperationDirection =
  | 'north-south'
  | 'south-south'
  | 'south-north'
  | 'north-north'
  | 'multilateral'
  | 'civil-society'
  | 'peer-institution';

/**
 * From provider to recipient: developed is "north", developing "south". A UN entity, a regional or
 * intergovernmental organisation and a development partner or bank are multilateral, an NGO civil
 * society, another country's national human rights institution a peer institution. Unknown States
 * are refused before this is asked.
 */
export function cooperationDirection(
  provider: { kind: ProviderKind; state?: string },
  recipientIso3: string,
): CooperationDirection {
  switch (provider.kind) {
    case 'un-entity':
    case 'regional-organisation':
    case 'development-partner':
      return 'multilateral';
    case 'ngo':
      return 'civil-society';
    case 'nhri':
      return 'peer-institution';
    case 'state':
      break;
  }
  const from = memberState(provider.state ?? '');
  const to = memberState(recipientIso3);
  if (!from || !to)
    throw new Error(
      `cooperationDirection needs two UN member States, got ${provider.state} → ${recipientIso3}`,
    );
  const side = (development: 'developed' | 'developing') =>
    development === 'developed' ? 'north' : 'south';
  return `${side(from.development)}-${side(to.development)}` as CooperationDirection;
}
