import { memberState } from './states';

export type ProviderKind = 'state' | 'un-entity' | 'ngo';

export type CooperationDirection =
  'north-south' | 'south-south' | 'south-north' | 'north-north' | 'multilateral' | 'civil-society';

/**
 * From provider to recipient: developed is "north", developing "south". A UN entity as provider is
 * multilateral, an NGO civil society. Unknown States are refused before this is asked.
 */
export function cooperationDirection(
  provider: { kind: ProviderKind; state?: string },
  recipientIso3: string,
): CooperationDirection {
  if (provider.kind === 'un-entity') return 'multilateral';
  if (provider.kind === 'ngo') return 'civil-society';
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
