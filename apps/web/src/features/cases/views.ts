/**
 * What the case routes answer, as the web app reads them. (Typed here until the OpenAPI document
 * declares its response schemas; then they come from the generated client as the requests do.)
 */
export interface CaseRow {
  caseId: string;
  state: string;
  stateName: string;
  region: string;
  themes: string[];
  description: string;
  stage: string;
  requestedAt: string;
  overdue: boolean;
  offers: { offerId: string; status: string; provider: { name: string } }[];
}

export interface CaseList {
  items: CaseRow[];
  total: number;
  offset: number;
  limit: number;
}

export interface Offer {
  offerId: string;
  status: string;
  funding: string;
  offered: string;
  provider: { id: string; name: string; kind: string };
}

export interface CaseView {
  caseId: string;
  version: number;
  stage: string;
  stateName: string;
  case: {
    state: string;
    region: string;
    requestedAt: string;
    themes: string[];
    consent: string;
    screening: string;
    offers: Record<string, Offer>;
    deployments: Record<string, unknown>;
    recommendations: { reference: string; source: string; text: string }[];
    closed: boolean;
  };
  request: {
    description: string;
    supportSought: string;
    ldc: boolean;
    sids: boolean;
    sdgTargets?: string[];
    notTiedToRecommendation?: boolean;
    sessionId?: string;
  };
  offers: Offer[];
  otherOpenOffers?: number;
}

export interface CaseEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: string; role: string; occurredAt: string; recordedAt: string };
  streamVersion: number;
  globalPosition: number;
}

export interface AllowedAction {
  action: string;
  offerId?: string;
  allowed: boolean;
  code?: string;
  reason?: string;
}

export const STAGES = [
  'awaiting-consent',
  'awaiting-screening',
  'more-information',
  'declined',
  'open-for-offers',
  'matched',
  'deployed',
  'reported',
  'profiled',
  'suspended',
  'closed',
] as const;

export const REGIONS = [
  'african',
  'asia-pacific',
  'eastern-european',
  'latin-american-caribbean',
  'western-european-other',
] as const;

/** The themes of the vocabulary (libs/reference-data), as slugs. */
export const THEMES = [
  'torture-prevention',
  'national-human-rights-institutions',
  'nmirf',
  'recommendation-tracking',
  'womens-rights',
  'rights-of-the-child',
  'gender-mainstreaming',
  'detention-and-prison-reform',
  'business-and-human-rights',
  'national-action-plans',
  'death-penalty',
  'right-to-adequate-housing',
] as const;
