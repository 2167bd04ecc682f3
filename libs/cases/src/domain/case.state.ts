import type { RegionalGroupId } from '@keystone/reference-data';
import type {
  CaseEvent,
  Funding,
  Provider,
  Recommendation,
  ScreeningDecision,
} from './case.events';

export type ConsentState = 'pending' | 'given' | 'withdrawn';
export type ScreeningState = 'awaiting' | ScreeningDecision;
export type OfferStatus = 'open' | 'withdrawn' | 'matched';

export interface OfferState {
  readonly offerId: string;
  readonly provider: Provider;
  /** A joint offer's co-providers (registry ids). */
  readonly coProviderIds: readonly string[];
  readonly funding: Funding;
  readonly status: OfferStatus;
  /** Business dates: when it was made, and matched. */
  readonly madeAt: string;
  readonly matchedAt: string | null;
}

export interface DeploymentState {
  readonly deploymentId: string;
  readonly offerId: string;
  readonly expertId: string;
  readonly reportDueAt: string;
  readonly reported: boolean;
  readonly overdueRecorded: boolean;
  /** Business date the deployment was recorded as taking effect. */
  readonly deployedAt: string;
}

export interface OpenCase {
  readonly exists: true;
  readonly caseId: string;
  readonly state: string;
  readonly region: RegionalGroupId;
  readonly requestedAt: string;
  readonly reportingPeriodMonths: number;
  readonly themes: readonly string[];
  readonly recommendations: readonly Recommendation[];
  readonly consent: ConsentState;
  /** Business dates of the latest consent and screening (what later acts must follow). */
  readonly consentedAt: string | null;
  readonly screening: ScreeningState;
  readonly screenedAt: string | null;
  readonly offers: Readonly<Record<string, OfferState>>;
  readonly deployments: Readonly<Record<string, DeploymentState>>;
  readonly progressReports: number;
  readonly profiledYears: readonly number[];
  readonly closed: boolean;
}

export type CaseState = { readonly exists: false } | OpenCase;

export const initialCaseState = (): CaseState => ({ exists: false });

export function evolveCase(state: CaseState, event: CaseEvent, occurredAt: string): CaseState {
  if (event.type === 'AssistanceRequested') return requested(event.data, occurredAt);
  if (!state.exists) return state;
  switch (event.type) {
    case 'RequestAmended': {
      const { themes, recommendations, resubmitted } = event.data;
      return {
        ...state,
        themes: themes ?? state.themes,
        recommendations: recommendations ?? state.recommendations,
        screening: resubmitted ? 'awaiting' : state.screening,
      };
    }
    case 'ConsentConfirmed':
      return { ...state, consent: 'given', consentedAt: occurredAt };
    case 'ConsentWithdrawn':
      return { ...state, consent: 'withdrawn' };
    case 'RequestScreened':
      return { ...state, screening: event.data.decision, screenedAt: occurredAt };
    case 'OfferMade': {
      const { offerId, provider, funding, coProviders } = event.data;
      const offer: OfferState = {
        offerId,
        provider,
        coProviderIds: (coProviders ?? []).map((co) => co.id),
        funding,
        status: 'open',
        madeAt: occurredAt,
        matchedAt: null,
      };
      return { ...state, offers: { ...state.offers, [offerId]: offer } };
    }
    case 'OfferWithdrawn':
      return withOffer(state, event.data.offerId, 'withdrawn');
    case 'OfferMatched': {
      const matched = withOffer(state, event.data.offerId, 'matched');
      const offer = matched.offers[event.data.offerId];
      return offer
        ? {
            ...matched,
            offers: { ...matched.offers, [offer.offerId]: { ...offer, matchedAt: occurredAt } },
          }
        : matched;
    }
    case 'ExpertDeployed': {
      const { deploymentId, offerId, expertId, reportDueAt } = event.data;
      const deployment = {
        deploymentId,
        offerId,
        expertId,
        reportDueAt,
        reported: false,
        overdueRecorded: false,
        deployedAt: occurredAt,
      };
      return { ...state, deployments: { ...state.deployments, [deploymentId]: deployment } };
    }
    case 'ProgressReported':
      // A report answers every deployment still waiting for one.
      return {
        ...state,
        progressReports: state.progressReports + 1,
        deployments: mapDeployments(state, (d) => ({ ...d, reported: true })),
      };
    case 'ProgressReportOverdue':
      return {
        ...state,
        deployments: mapDeployments(state, (d) =>
          d.deploymentId === event.data.deploymentId ? { ...d, overdueRecorded: true } : d,
        ),
      };
    case 'SuccessProfiled':
      return { ...state, profiledYears: [...state.profiledYears, event.data.panelYear] };
    case 'CaseClosed':
      return { ...state, closed: true };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

function requested(
  data: Extract<CaseEvent, { type: 'AssistanceRequested' }>['data'],
  occurredAt: string,
): OpenCase {
  return {
    exists: true,
    caseId: data.caseId,
    state: data.state,
    region: data.region,
    requestedAt: occurredAt,
    reportingPeriodMonths: data.reportingPeriodMonths,
    themes: data.themes,
    recommendations: data.recommendations,
    consent: 'pending',
    consentedAt: null,
    screening: 'awaiting',
    screenedAt: null,
    offers: {},
    deployments: {},
    progressReports: 0,
    profiledYears: [],
    closed: false,
  };
}

function withOffer(state: OpenCase, offerId: string, status: OfferStatus): OpenCase {
  const offer = state.offers[offerId];
  return offer ? { ...state, offers: { ...state.offers, [offerId]: { ...offer, status } } } : state;
}

function mapDeployments(
  state: OpenCase,
  change: (d: DeploymentState) => DeploymentState,
): Record<string, DeploymentState> {
  return Object.fromEntries(Object.entries(state.deployments).map(([id, d]) => [id, change(d)]));
}

/** The one-word stage shown to people; derived, never stored. */
export function caseStage(state: OpenCase): string {
  if (state.closed) return 'closed';
  if (state.consent === 'withdrawn') return 'suspended';
  if (state.profiledYears.length > 0) return 'profiled';
  if (state.progressReports > 0) return 'reported';
  if (Object.keys(state.deployments).length > 0) return 'deployed';
  if (Object.values(state.offers).some((o) => o.status === 'matched')) return 'matched';
  if (state.consent === 'pending') return 'awaiting-consent';
  if (state.screening === 'accepted') return 'open-for-offers';
  if (state.screening === 'awaiting') return 'awaiting-screening';
  return state.screening; // more-information or declined
}

/** Whether a provider makes this offer, as its lead or as one of a joint offer's co-providers. */
export const offeredBy = (offer: OfferState, providerId: string): boolean =>
  offer.provider.id === providerId || offer.coProviderIds.includes(providerId);
