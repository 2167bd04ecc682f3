import type { Command } from '@keystone/event-store';
import type {
  Funding,
  Provider,
  Recommendation,
  RecommendationProgress,
  ScreeningDecision,
} from './case.events';

export type RequestAssistance = Command<
  'RequestAssistance',
  {
    caseId: string;
    state: string;
    themes: string[];
    description: string;
    supportSought: string;
    recommendations: Recommendation[];
    reportingPeriodMonths?: number;
    sessionId?: string;
    sdgTargets?: string[];
    notTiedToRecommendation?: boolean;
  }
>;
export type AmendRequest = Command<
  'AmendRequest',
  {
    themes?: string[];
    description?: string;
    supportSought?: string;
    recommendations?: Recommendation[];
  }
>;
export type ConfirmConsent = Command<'ConfirmConsent', Record<string, never>>;
export type WithdrawConsent = Command<'WithdrawConsent', { reason: string }>;
export type ScreenRequest = Command<
  'ScreenRequest',
  { decision: ScreeningDecision; reasons: string[] }
>;
export type MakeOffer = Command<
  'MakeOffer',
  {
    offerId: string;
    /** As the provider registry records it (the handler looks it up). */
    provider: Provider;
    offered: string;
    funding: Funding;
    coProviders?: Provider[];
    sessionId?: string;
  }
>;
export type WithdrawOffer = Command<'WithdrawOffer', { offerId: string; reason: string }>;
export type MatchOffer = Command<'MatchOffer', { offerId: string }>;
export type DeployExpert = Command<
  'DeployExpert',
  {
    deploymentId: string;
    offerId: string;
    expertId: string;
    startDate: string;
    endDate: string;
    funding: Funding;
    amount: number;
  }
>;
export type ReportProgress = Command<
  'ReportProgress',
  { reportId: string; progress: RecommendationProgress[]; narrative?: string }
>;
export type RecordReportOverdue = Command<'RecordReportOverdue', { deploymentId: string }>;
export type ProfileSuccess = Command<'ProfileSuccess', { panelYear: number; summary: string }>;
export type CloseCase = Command<'CloseCase', { reason: string }>;

export type CaseCommand =
  | RequestAssistance
  | AmendRequest
  | ConfirmConsent
  | WithdrawConsent
  | ScreenRequest
  | MakeOffer
  | WithdrawOffer
  | MatchOffer
  | DeployExpert
  | ReportProgress
  | RecordReportOverdue
  | ProfileSuccess
  | CloseCase;
