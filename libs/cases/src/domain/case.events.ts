import type { DomainEvent } from '@keystone/event-store';
import type { CooperationDirection, ProviderKind, RegionalGroupId } from '@keystone/reference-data';

export type RecommendationSource = 'upr' | 'special-procedures' | 'treaty-bodies';
export type ScreeningDecision = 'accepted' | 'more-information' | 'declined';
export type Funding = 'trust-fund' | 'provider' | 'in-kind';
export type ImplementationStatus = 'not-started' | 'in-progress' | 'implemented';

export interface Recommendation {
  readonly source: RecommendationSource;
  /** Document symbol or recommendation number, e.g. "A/HRC/52/9, 123.45". */
  readonly reference: string;
  readonly text: string;
  readonly uhriAnnotationId?: string;
}

export interface Provider {
  readonly kind: ProviderKind;
  /** The provider's id in the provider registry (a provider's token names it). */
  readonly id: string;
  readonly name: string;
  /** ISO3 of the providing State, when kind is 'state'. */
  readonly state?: string;
}

export interface RecommendationProgress {
  readonly reference: string;
  readonly status: ImplementationStatus;
  readonly narrative: string;
}

export type AssistanceRequested = DomainEvent<
  'AssistanceRequested',
  {
    caseId: string;
    state: string;
    region: RegionalGroupId;
    ldc: boolean;
    sids: boolean;
    development: 'developed' | 'developing';
    themes: string[];
    description: string;
    supportSought: string;
    recommendations: Recommendation[];
    reportingPeriodMonths: number;
    /** Lodged at a platform session (libs/platform), when it was. */
    sessionId?: string;
    /** The SDG targets it serves, official goal.target codes ("16.3"). */
    sdgTargets?: string[];
    /** Lodged "not tied to a specific recommendation": then recommendations is empty. */
    notTiedToRecommendation?: boolean;
  }
>;
export type RequestAmended = DomainEvent<
  'RequestAmended',
  {
    themes?: string[];
    description?: string;
    supportSought?: string;
    recommendations?: Recommendation[];
    resubmitted: boolean;
  }
>;
export type ConsentConfirmed = DomainEvent<'ConsentConfirmed', { by: string }>;
export type ConsentWithdrawn = DomainEvent<'ConsentWithdrawn', { by: string; reason: string }>;
export type RequestScreened = DomainEvent<
  'RequestScreened',
  { decision: ScreeningDecision; reasons: string[]; member: string; region: RegionalGroupId }
>;
/** A co-provider of a joint offer, with its own direction of cooperation towards the State. */
export type CoProvider = Provider & { readonly direction: CooperationDirection };

export type OfferMade = DomainEvent<
  'OfferMade',
  {
    offerId: string;
    provider: Provider;
    offered: string;
    funding: Funding;
    direction: CooperationDirection;
    /** A joint offer's other providers, each as registered, each with its direction. */
    coProviders?: CoProvider[];
    /** Pledged at a platform session, when it was. */
    sessionId?: string;
  }
>;
export type OfferWithdrawn = DomainEvent<'OfferWithdrawn', { offerId: string; reason: string }>;
export type OfferMatched = DomainEvent<
  'OfferMatched',
  { offerId: string; matchedBy: 'state' | 'case-officer' }
>;
export type ExpertDeployed = DomainEvent<
  'ExpertDeployed',
  {
    deploymentId: string;
    offerId: string;
    expertId: string;
    startDate: string;
    endDate: string;
    funding: Funding;
    amount: number;
    reportDueAt: string;
  }
>;
export type ProgressReported = DomainEvent<
  'ProgressReported',
  {
    reportId: string;
    progress: RecommendationProgress[];
    /** What changed, in words: the report of a request not tied to a recommendation. */
    narrative?: string;
  }
>;
export type ProgressReportOverdue = DomainEvent<
  'ProgressReportOverdue',
  { deploymentId: string; dueAt: string }
>;
export type SuccessProfiled = DomainEvent<
  'SuccessProfiled',
  { panelYear: number; summary: string }
>;
export type CaseClosed = DomainEvent<'CaseClosed', { reason: string }>;

export type CaseEvent =
  | AssistanceRequested
  | RequestAmended
  | ConsentConfirmed
  | ConsentWithdrawn
  | RequestScreened
  | OfferMade
  | OfferWithdrawn
  | OfferMatched
  | ExpertDeployed
  | ProgressReported
  | ProgressReportOverdue
  | SuccessProfiled
  | CaseClosed;

export const caseStreamId = (caseId: string): string => `case-${caseId}`;
