import source from './data/un-member-states.json';

export type RegionalGroupId =
  | 'african'
  | 'asia-pacific'
  | 'eastern-european'
  | 'latin-american-caribbean'
  | 'western-european-other';

export const REGIONAL_GROUP_IDS: readonly RegionalGroupId[] = [
  'african',
  'asia-pacific',
  'eastern-european',
  'latin-american-caribbean',
  'western-european-other',
];

export interface RegionalGroup {
  readonly id: RegionalGroupId;
  readonly name: string;
}

export interface MemberState {
  readonly iso3: string;
  readonly name: string;
  readonly regionalGroup: RegionalGroupId;
  readonly ldc: boolean;
  readonly sids: boolean;
  readonly development: 'developed' | 'developing';
  readonly ldcGraduationScheduled?: string;
}

/** The dated, sourced edition of the reference data this build carries (see data/un-member-states.json). */
export const REFERENCE_DATA_EDITION = {
  asOf: source.asOf,
  checkedOn: source.checkedOn,
  sources: source.sources,
} as const;

export const REGIONAL_GROUPS: readonly RegionalGroup[] = source.regionalGroups as RegionalGroup[];
export const MEMBER_STATES: readonly MemberState[] = source.states as MemberState[];

const byIso3 = new Map(MEMBER_STATES.map((state) => [state.iso3, state]));

export function memberState(iso3: string): MemberState | undefined {
  return byIso3.get(iso3.toUpperCase());
}

export function isRegionalGroup(value: unknown): value is RegionalGroupId {
  return typeof value === 'string' && (REGIONAL_GROUP_IDS as readonly string[]).includes(value);
}

export function regionalGroupName(id: RegionalGroupId): string {
  return REGIONAL_GROUPS.find((group) => group.id === id)?.name ?? id;
}
