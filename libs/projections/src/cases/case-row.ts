import type { CaseEvent, ImplementationStatus } from '@keystone/cases';
import type { RecordedEvent } from '@keystone/event-store';
import {
  memberState,
  type CooperationDirection,
  type RegionalGroupId,
} from '@keystone/reference-data';

export interface OfferRow {
  readonly offerId: string;
  readonly provider: { kind: string; id: string; name: string; state?: string };
  readonly offered: string;
  readonly funding: string;
  readonly direction: CooperationDirection;
  readonly status: 'open' | 'withdrawn' | 'matched';
  readonly madeAt: string;
  /** Business date of its match: the year it is counted in (absent in rows made before it was kept). */
  readonly matchedAt?: string | null;
  /** A joint offer's other providers, each with its own direction of cooperation. */
  readonly coProviders?: readonly {
    kind: string;
    id: string;
    name: string;
    state?: string;
    direction: CooperationDirection;
  }[];
  /** The platform session it was pledged at. */
  readonly sessionId?: string | null;
}

/** Every provider of an offer, the lead first, each with its direction of cooperation. */
export const providersOf = (offer: OfferRow) => [
  { ...offer.provider, direction: offer.direction },
  ...(offer.coProviders ?? []),
];

export interface DeploymentRow {
  readonly deploymentId: string;
  readonly expertId: string;
  readonly offerId: string;
  readonly startDate: string;
  readonly reportDueAt: string;
  /** When the first report after this deployment came in, if it has. */
  readonly reportedAt: string | null;
  readonly overdueRecordedAt: string | null;
}

export interface ReportRow {
  readonly reportedAt: string;
  readonly progress: readonly { reference: string; status: ImplementationStatus }[];
}

/** Everything the officers' lists, the committee's queue, the board, the panel and impact read of one case. */
export interface CaseRow {
  readonly caseId: string;
  readonly state: string;
  readonly stateName: string;
  readonly region: RegionalGroupId;
  readonly ldc: boolean;
  readonly sids: boolean;
  readonly themes: readonly string[];
  readonly description: string;
  readonly supportSought: string;
  readonly recommendations: readonly { reference: string; source: string }[];
  /** The SDG targets it serves (goal.target codes); empty when none named. */
  readonly sdgTargets?: readonly string[];
  /** The platform session it was lodged at. */
  readonly sessionId?: string | null;
  readonly stage: string;
  readonly consent: 'pending' | 'given' | 'withdrawn';
  readonly screening: 'awaiting' | 'accepted' | 'more-information' | 'declined';
  readonly requestedAt: string;
  /** Since when the request waits for the committee (consent given, or resubmitted). */
  readonly queuedAt: string | null;
  readonly consentedAt: string | null;
  readonly screenedAt: string | null;
  readonly firstOfferAt: string | null;
  readonly matchedAt: string | null;
  readonly firstDeploymentAt: string | null;
  readonly firstReportAt: string | null;
  readonly closedAt: string | null;
  readonly offers: readonly OfferRow[];
  readonly deployments: readonly DeploymentRow[];
  readonly reports: readonly ReportRow[];
  readonly successStories: readonly { panelYear: number; summary: string; profiledAt: string }[];
  readonly overdue: boolean;
  readonly version: number;
  readonly position: number;
}

export const caseIdOf = (event: RecordedEvent): string | null =>
  event.streamId.startsWith('case-') ? event.streamId.slice('case-'.length) : null;

/** Folds one case event into its row. Pure; the same function serves live runs, rebuilds and as-of replays. */
export function evolveCaseRow(
  row: CaseRow | undefined,
  recorded: RecordedEvent,
): CaseRow | undefined {
  const event = { type: recorded.type, data: recorded.data } as CaseEvent;
  const at = recorded.metadata.occurredAt;
  const stamp = { version: recorded.streamVersion, position: recorded.globalPosition };
  if (event.type === 'AssistanceRequested') return { ...requested(event.data, at), ...stamp };
  if (!row) return row;
  return withStage({ ...applyEvent(row, event, at), ...stamp });
}

function requested(
  data: Extract<CaseEvent, { type: 'AssistanceRequested' }>['data'],
  at: string,
): CaseRow {
  return withStage({
    caseId: data.caseId,
    state: data.state,
    stateName: memberState(data.state)?.name ?? data.state,
    region: data.region,
    ldc: data.ldc,
    sids: data.sids,
    themes: data.themes,
    description: data.description,
    supportSought: data.supportSought,
    recommendations: data.recommendations.map(({ reference, source }) => ({ reference, source })),
    sdgTargets: data.sdgTargets ?? [],
    sessionId: data.sessionId ?? null,
    stage: '',
    consent: 'pending',
    screening: 'awaiting',
    requestedAt: at,
    queuedAt: null,
    consentedAt: null,
    screenedAt: null,
    firstOfferAt: null,
    matchedAt: null,
    firstDeploymentAt: null,
    firstReportAt: null,
    closedAt: null,
    offers: [],
    deployments: [],
    reports: [],
    successStories: [],
    overdue: false,
    version: 0,
    position: 0,
  });
}

function applyEvent(row: CaseRow, event: CaseEvent, at: string): CaseRow {
  switch (event.type) {
    case 'AssistanceRequested':
      return row;
    case 'RequestAmended': {
      const { themes, description, supportSought, recommendations, resubmitted } = event.data;
      return {
        ...row,
        themes: themes ?? row.themes,
        description: description ?? row.description,
        supportSought: supportSought ?? row.supportSought,
        recommendations: recommendations
          ? recommendations.map(({ reference, source }) => ({ reference, source }))
          : row.recommendations,
        screening: resubmitted ? 'awaiting' : row.screening,
        queuedAt: resubmitted && row.consent === 'given' ? at : row.queuedAt,
      };
    }
    case 'ConsentConfirmed':
      return {
        ...row,
        consent: 'given',
        consentedAt: row.consentedAt ?? at,
        queuedAt: row.screening === 'awaiting' ? (row.queuedAt ?? at) : row.queuedAt,
      };
    case 'ConsentWithdrawn':
      return { ...row, consent: 'withdrawn' };
    case 'RequestScreened':
      return {
        ...row,
        screening: event.data.decision,
        screenedAt: row.screenedAt ?? at,
        queuedAt: event.data.decision === 'more-information' ? row.queuedAt : null,
      };
    case 'OfferMade': {
      const { offerId, provider, offered, funding, direction, coProviders, sessionId } = event.data;
      const offer: OfferRow = {
        offerId,
        provider,
        offered,
        funding,
        direction,
        status: 'open',
        madeAt: at,
        ...(coProviders ? { coProviders } : {}),
        sessionId: sessionId ?? null,
      };
      return { ...row, offers: [...row.offers, offer], firstOfferAt: row.firstOfferAt ?? at };
    }
    case 'OfferWithdrawn':
      return {
        ...row,
        offers: row.offers.map((o) =>
          o.offerId === event.data.offerId ? { ...o, status: 'withdrawn' } : o,
        ),
      };
    case 'OfferMatched':
      return {
        ...row,
        offers: row.offers.map((o) =>
          o.offerId === event.data.offerId ? { ...o, status: 'matched', matchedAt: at } : o,
        ),
        matchedAt: row.matchedAt ?? at,
      };
    case 'ExpertDeployed': {
      const { deploymentId, expertId, offerId, startDate, reportDueAt } = event.data;
      const deployment: DeploymentRow = {
        deploymentId,
        expertId,
        offerId,
        startDate,
        reportDueAt,
        reportedAt: null,
        overdueRecordedAt: null,
      };
      return {
        ...row,
        deployments: [...row.deployments, deployment],
        firstDeploymentAt: row.firstDeploymentAt ?? at,
      };
    }
    case 'ProgressReported': {
      const report: ReportRow = {
        reportedAt: at,
        progress: event.data.progress.map(({ reference, status }) => ({ reference, status })),
      };
      return {
        ...row,
        reports: [...row.reports, report],
        firstReportAt: row.firstReportAt ?? at,
        deployments: row.deployments.map((d) =>
          d.reportedAt === null ? { ...d, reportedAt: at } : d,
        ),
        overdue: false,
      };
    }
    case 'ProgressReportOverdue':
      return {
        ...row,
        overdue: true,
        deployments: row.deployments.map((d) =>
          d.deploymentId === event.data.deploymentId ? { ...d, overdueRecordedAt: at } : d,
        ),
      };
    case 'SuccessProfiled':
      return {
        ...row,
        successStories: [
          ...row.successStories,
          { panelYear: event.data.panelYear, summary: event.data.summary, profiledAt: at },
        ],
      };
    case 'CaseClosed':
      return { ...row, closedAt: at };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/** The same stages as the write model's caseStage, from the row. */
function withStage(row: CaseRow): CaseRow {
  return { ...row, stage: stageOf(row) };
}

function stageOf(row: CaseRow): string {
  if (row.closedAt) return 'closed';
  if (row.consent === 'withdrawn') return 'suspended';
  if (row.successStories.length > 0) return 'profiled';
  if (row.reports.length > 0) return 'reported';
  if (row.deployments.length > 0) return 'deployed';
  if (row.offers.some((o) => o.status === 'matched')) return 'matched';
  if (row.consent === 'pending') return 'awaiting-consent';
  if (row.screening === 'accepted') return 'open-for-offers';
  if (row.screening === 'awaiting') return 'awaiting-screening';
  return row.screening;
}
