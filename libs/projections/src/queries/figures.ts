import { REGIONAL_GROUP_IDS, sdgGoalOf } from '@keystone/reference-data';
import { providersOf, type CaseRow } from '../cases/case-row';
import type { SessionRow } from '../platform/sessions.projection';

/** Pure figures over case rows: the same code reads the live model and an as-of replay. */

const STAGES = [
  'received',
  'consented',
  'screened',
  'matched',
  'deployed',
  'reportedOn',
  'profiled',
] as const;
type Stage = (typeof STAGES)[number];

const yearOf = (iso: string | null): number | null => (iso ? Number(iso.slice(0, 4)) : null);

/** Which of the year's funnel stages a case reached in that year (by business date). */
function stagesIn(row: CaseRow, year: number): Stage[] {
  const reached: Stage[] = [];
  if (yearOf(row.requestedAt) === year) reached.push('received');
  if (yearOf(row.consentedAt) === year) reached.push('consented');
  if (yearOf(row.screenedAt) === year) reached.push('screened');
  if (yearOf(row.matchedAt) === year) reached.push('matched');
  if (yearOf(row.firstDeploymentAt) === year) reached.push('deployed');
  if (yearOf(row.firstReportAt) === year) reached.push('reportedOn');
  if (row.successStories.some((s) => s.panelYear === year)) reached.push('profiled');
  return reached;
}

type Counts = Record<Stage, number>;
const zero = (): Counts => Object.fromEntries(STAGES.map((s) => [s, 0])) as Counts;

export interface PanelFigures {
  readonly year: number;
  readonly totals: Counts;
  readonly byRegion: Record<string, Counts>;
  readonly byTheme: Record<string, Counts>;
  readonly ldc: Counts;
  readonly sids: Counts;
  /** By the SDG goal of the targets a request serves (a request serving two goals counts in each). */
  readonly bySdgGoal: Record<string, Counts>;
  /** Requests received in the year lodged "not tied to a specific recommendation", and their share. */
  readonly notTiedToRecommendation: { readonly requests: number; readonly share: number | null };
  /**
   * Providers of the offers matched in the year, by direction of cooperation: a joint offer counts
   * once for each of its providers, in that provider's own direction.
   */
  readonly byDirection: Record<string, number>;
  /** The voluntary platform in the year: sessions held, and the States presenting at them. */
  readonly platform: {
    readonly sessionsHeld: number;
    readonly statesPresenting: readonly string[];
    readonly presentations: number;
    readonly reportBacks: number;
  };
  readonly successStories: readonly {
    caseId: string;
    state: string;
    stateName: string;
    region: string;
    themes: readonly string[];
    providers: readonly string[];
    summary: string;
    whatWasDone: string;
    progress: readonly { reference: string; status: string }[];
  }[];
}

export function panelFigures(
  rows: Iterable<CaseRow>,
  year: number,
  sessions: Iterable<SessionRow> = [],
): PanelFigures {
  const totals = zero();
  const byRegion: Record<string, Counts> = Object.fromEntries(
    REGIONAL_GROUP_IDS.map((r) => [r, zero()]),
  );
  const byTheme: Record<string, Counts> = {};
  const ldc = zero();
  const sids = zero();
  const byDirection: Record<string, number> = {};
  const bySdgGoal: Record<string, Counts> = {};
  let notTied = 0;
  const successStories: PanelFigures['successStories'][number][] = [];
  for (const row of rows) {
    const goals = [...new Set((row.sdgTargets ?? []).map(sdgGoalOf))].sort((a, b) => a - b);
    for (const stage of stagesIn(row, year)) {
      totals[stage]++;
      byRegion[row.region][stage]++;
      for (const theme of row.themes) (byTheme[theme] ??= zero())[stage]++;
      for (const goal of goals) (bySdgGoal[String(goal)] ??= zero())[stage]++;
      if (row.ldc) ldc[stage]++;
      if (row.sids) sids[stage]++;
    }
    if (yearOf(row.requestedAt) === year && row.recommendations.length === 0) notTied++;
    // Each match in the year it happened, not in the year of the case's first match.
    for (const offer of row.offers)
      if (offer.status === 'matched' && yearOf(offer.matchedAt ?? row.matchedAt) === year)
        for (const { direction } of providersOf(offer))
          byDirection[direction] = (byDirection[direction] ?? 0) + 1;
    const story = row.successStories.find((s) => s.panelYear === year);
    if (story) {
      successStories.push({
        caseId: row.caseId,
        state: row.state,
        stateName: row.stateName,
        region: row.region,
        themes: row.themes,
        providers: row.offers.filter((o) => o.status === 'matched').map((o) => o.provider.name),
        summary: story.summary,
        whatWasDone: row.offers
          .filter((o) => o.status === 'matched')
          .map((o) => o.offered)
          .join('; '),
        progress: row.reports[row.reports.length - 1]?.progress ?? [],
      });
    }
  }
  successStories.sort((a, b) => a.stateName.localeCompare(b.stateName));
  return {
    year,
    totals,
    byRegion,
    byTheme,
    ldc,
    sids,
    bySdgGoal,
    notTiedToRecommendation: {
      requests: notTied,
      share: totals.received === 0 ? null : Math.round((notTied / totals.received) * 1000) / 1000,
    },
    byDirection,
    platform: platformFigures(sessions, year),
    successStories,
  };
}

/** Sessions held in the year (by the business date recorded as held) and who presented there. */
function platformFigures(sessions: Iterable<SessionRow>, year: number): PanelFigures['platform'] {
  const held = [...sessions].filter((s) => yearOf(s.heldAt) === year);
  const presentations = held.flatMap((s) => s.presentations);
  return {
    sessionsHeld: held.length,
    statesPresenting: [...new Set(presentations.map((p) => p.state))].sort(),
    presentations: presentations.filter((p) => p.kind === 'presentation').length,
    reportBacks: presentations.filter((p) => p.kind === 'report-back').length,
  };
}

const DAY_MS = 86_400_000;

export interface SessionOutcome {
  /** Requests lodged at the session: how many, by region, LDC and SIDS (flags of each request's day). */
  readonly requests: {
    readonly total: number;
    readonly byRegion: Record<string, number>;
    readonly ldc: number;
    readonly sids: number;
    readonly notTiedToRecommendation: number;
    /** Of those, matched by the 90th day after the session's last day. */
    readonly matchedWithin90Days: number;
  };
  /** Offers pledged at the session. */
  readonly offers: {
    readonly total: number;
    readonly joint: number;
    /** Each provider of a pledge in its own direction of cooperation. */
    readonly byDirection: Record<string, number>;
    readonly byProviderKind: Record<string, number>;
    readonly matched: number;
    readonly matchedWithin90Days: number;
  };
  readonly presentations: number;
  readonly reportBacks: number;
  readonly statesPresenting: readonly string[];
}

/** What one session produced, from its row and the case rows (any case it touched). */
export function sessionOutcome(session: SessionRow, rows: Iterable<CaseRow>): SessionOutcome {
  const deadline = Date.parse(session.endDate) + 90 * DAY_MS;
  const within90 = (at: string | null | undefined) =>
    !!at && Date.parse(at.slice(0, 10)) <= deadline;
  const byRegion: Record<string, number> = Object.fromEntries(
    REGIONAL_GROUP_IDS.map((r) => [r, 0]),
  );
  const byDirection: Record<string, number> = {};
  const byProviderKind: Record<string, number> = {};
  const requests = {
    total: 0,
    ldc: 0,
    sids: 0,
    notTiedToRecommendation: 0,
    matchedWithin90Days: 0,
  };
  const offers = { total: 0, joint: 0, matched: 0, matchedWithin90Days: 0 };
  for (const row of rows) {
    if (row.sessionId === session.sessionId) {
      requests.total++;
      byRegion[row.region]++;
      if (row.ldc) requests.ldc++;
      if (row.sids) requests.sids++;
      if (row.recommendations.length === 0) requests.notTiedToRecommendation++;
      if (row.offers.some((o) => o.status === 'matched' && within90(o.matchedAt)))
        requests.matchedWithin90Days++;
    }
    for (const offer of row.offers) {
      if (offer.sessionId !== session.sessionId) continue;
      offers.total++;
      if (offer.coProviders?.length) offers.joint++;
      for (const provider of providersOf(offer)) {
        byDirection[provider.direction] = (byDirection[provider.direction] ?? 0) + 1;
        byProviderKind[provider.kind] = (byProviderKind[provider.kind] ?? 0) + 1;
      }
      if (offer.status === 'matched') {
        offers.matched++;
        if (within90(offer.matchedAt)) offers.matchedWithin90Days++;
      }
    }
  }
  return {
    requests: { ...requests, byRegion },
    offers: { ...offers, byDirection, byProviderKind },
    presentations: session.presentations.filter((p) => p.kind === 'presentation').length,
    reportBacks: session.presentations.filter((p) => p.kind === 'report-back').length,
    statesPresenting: [...new Set(session.presentations.map((p) => p.state))].sort(),
  };
}

/**
 * The panel as CSV. The stage columns count cases; offers matched by direction of cooperation count
 * offers, so they have a column of their own, `offers_matched`, empty on the case rows.
 */
export function panelCsv(figures: PanelFigures): string {
  const lines = [['breakdown', 'group', ...STAGES, 'offers_matched'].join(',')];
  const add = (breakdown: string, group: string, counts: Counts) =>
    lines.push([csvCell(breakdown), csvCell(group), ...STAGES.map((s) => counts[s]), ''].join(','));
  add('total', 'all', figures.totals);
  for (const [region, counts] of Object.entries(figures.byRegion)) add('region', region, counts);
  for (const [theme, counts] of Object.entries(figures.byTheme).sort()) add('theme', theme, counts);
  add('ldc', 'LDC', figures.ldc);
  add('sids', 'SIDS', figures.sids);
  for (const [goal, counts] of Object.entries(figures.bySdgGoal).sort(
    ([a], [b]) => Number(a) - Number(b),
  ))
    add('sdg-goal', goal, counts);
  for (const [direction, n] of Object.entries(figures.byDirection).sort())
    lines.push(['direction', csvCell(direction), ...STAGES.map(() => ''), n].join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * One CSV cell: quoted when it holds a quote, comma or line break, and neutralised when a
 * spreadsheet would read it as a formula (= + - @, tab or carriage return first): a leading ' makes
 * it text (OWASP's advice for CSV injection).
 */
export function csvCell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface Spread {
  readonly cases: number;
  readonly medianDays: number | null;
  readonly p90Days: number | null;
}

export interface ImpactFigures {
  readonly cases: number;
  readonly daysFromRequestTo: {
    consent: Spread;
    firstOffer: Spread;
    match: Spread;
    firstDeployment: Spread;
    firstReport: Spread;
  };
  /** "No country turned away": the share of requests that got at least one offer, and that were matched. */
  readonly shareWithOffer: number | null;
  readonly shareMatched: number | null;
  readonly reports: { readonly onTime: number; readonly overdue: number };
  /** How linked recommendations moved from one report to the next, e.g. "not-started→in-progress". */
  readonly recommendationMoves: Record<string, number>;
}

export function impactFigures(
  rows: Iterable<CaseRow>,
  filter: { year?: number; region?: string } = {},
): ImpactFigures {
  const selected = [...rows].filter(
    (r) =>
      (filter.year === undefined || yearOf(r.requestedAt) === filter.year) &&
      (filter.region === undefined || r.region === filter.region),
  );
  const days = (pick: (r: CaseRow) => string | null) =>
    spread(
      selected
        .map((r) => daysBetween(r.requestedAt, pick(r)))
        .filter((d): d is number => d !== null),
    );
  let onTime = 0;
  let overdue = 0;
  const moves: Record<string, number> = {};
  for (const row of selected) {
    for (const d of row.deployments) {
      if (d.overdueRecordedAt !== null) overdue++;
      else if (d.reportedAt !== null && d.reportedAt <= d.reportDueAt) onTime++;
    }
    for (let i = 1; i < row.reports.length; i++) {
      for (const now of row.reports[i].progress) {
        const before = row.reports[i - 1].progress.find((p) => p.reference === now.reference);
        if (before)
          moves[`${before.status}→${now.status}`] =
            (moves[`${before.status}→${now.status}`] ?? 0) + 1;
      }
    }
  }
  const share = (n: number) =>
    selected.length === 0 ? null : Math.round((n / selected.length) * 1000) / 1000;
  return {
    cases: selected.length,
    daysFromRequestTo: {
      consent: days((r) => r.consentedAt),
      firstOffer: days((r) => r.firstOfferAt),
      match: days((r) => r.matchedAt),
      firstDeployment: days((r) => r.firstDeploymentAt),
      firstReport: days((r) => r.firstReportAt),
    },
    shareWithOffer: share(selected.filter((r) => r.offers.length > 0).length),
    shareMatched: share(selected.filter((r) => r.matchedAt !== null).length),
    reports: { onTime, overdue },
    recommendationMoves: moves,
  };
}

function daysBetween(from: string, to: string | null): number | null {
  return to === null ? null : (Date.parse(to) - Date.parse(from)) / 86_400_000;
}

/** Median and 90th percentile by the nearest-rank method. */
export function spread(values: number[]): Spread {
  if (values.length === 0) return { cases: 0, medianDays: null, p90Days: null };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
  return { cases: sorted.length, medianDays: round(rank(50)), p90Days: round(rank(90)) };
}

const round = (n: number) => Math.round(n * 100) / 100;
