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

/** A change of a State's LDC status, dated (to the day, or to the month), with its source. */
export interface LdcChange {
  readonly iso3: string;
  readonly change: 'graduated' | 'scheduled-graduation';
  /** YYYY-MM-DD, or YYYY-MM where the source gives only the month. */
  readonly on: string;
  readonly source: string;
  /** The year it was included in the LDC category (in force from 1 January of the year after). */
  readonly includedIn: number;
}

export const LDC_CHANGES: readonly LdcChange[] = source.ldcChanges as LdcChange[];
const ldcChangeOf = new Map(LDC_CHANGES.map((change) => [change.iso3, change]));

/** The first day a change is in force: its day, or the first day of the month after its month. */
export function ldcChangeInForceFrom(change: LdcChange): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(change.on)) return change.on;
  const [year, month] = change.on.split('-').map(Number);
  const next = new Date(Date.UTC(year, month, 1)); // month is 1-based: this is the month after
  return next.toISOString().slice(0, 10);
}

/**
 * The flags in force for a State on a day (YYYY-MM-DD): an LDC from its inclusion until its
 * graduation (past or scheduled) takes effect, not before or after; SIDS as listed. What a request records, on its business
 * date, so a panel counts each year with the flags of when each request was made.
 */
export function flagsOn(state: MemberState, day: string): { ldc: boolean; sids: boolean } {
  const change = ldcChangeOf.get(state.iso3);
  const ldc = change
    ? day >= `${change.includedIn + 1}-01-01` && day < ldcChangeInForceFrom(change)
    : state.ldc;
  return { ldc, sids: state.sids };
}

export function isRegionalGroup(value: unknown): value is RegionalGroupId {
  return typeof value === 'string' && (REGIONAL_GROUP_IDS as readonly string[]).includes(value);
}

export function regionalGroupName(id: RegionalGroupId): string {
  return REGIONAL_GROUPS.find((group) => group.id === id)?.name ?? id;
}
