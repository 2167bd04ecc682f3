import { DomainError, type ErrorKind } from '@keystone/event-store';

/** Every rule of a case, with its stable code. Messages say what was wrong and what would be right. */
export const caseError = {
  notFound: (caseId: string) =>
    err(
      'CASE.NOT_FOUND',
      'not-found',
      `No case ${caseId}; request assistance first (POST /cases).`,
      { caseId },
    ),
  alreadyExists: (caseId: string) =>
    err('CASE.ALREADY_EXISTS', 'conflict', `Case ${caseId} already exists.`, { caseId }),
  closed: (caseId: string) =>
    err(
      'CASE.CLOSED',
      'rule',
      `Case ${caseId} is closed and takes no more commands; history is corrected by new events on a new case.`,
      { caseId },
    ),
  unknownState: (state: string) =>
    err(
      'CASE.UNKNOWN_STATE',
      'validation',
      `"${state}" is not a UN member State; give its ISO 3166-1 alpha-3 code, e.g. "MWI".`,
      { state },
    ),
  invalid: (problem: string, details: Record<string, unknown> = {}) =>
    err('CASE.INVALID_COMMAND', 'validation', problem, details),
  occurredInFuture: (occurredAt: string, now: string) =>
    err(
      'CASE.OCCURRED_IN_FUTURE',
      'validation',
      `occurredAt ${occurredAt} is in the future (now ${now}); give the date the act took effect.`,
      { occurredAt, now },
    ),
  occurredBeforeRequest: (occurredAt: string, requestedAt: string) =>
    err(
      'CASE.OCCURRED_BEFORE_REQUEST',
      'validation',
      `occurredAt ${occurredAt} is before the case began (${requestedAt}).`,
      { occurredAt, requestedAt },
    ),
  outOfOrder: (act: string, occurredAt: string, prerequisite: string, prerequisiteAt: string) =>
    err(
      'CASE.OUT_OF_ORDER',
      'rule',
      `${act} dated ${occurredAt} would take effect before ${prerequisite} it follows (dated ${prerequisiteAt}); give a date on or after ${prerequisiteAt}.`,
      { occurredAt, prerequisite, prerequisiteAt },
    ),
  unknownSdgTarget: (code: string) =>
    err(
      'CASE.UNKNOWN_SDG_TARGET',
      'validation',
      `"${code}" is not an SDG target: give the official goal.target code, e.g. "16.3" or "5.c" (GET /reference/sdgs lists them).`,
      { field: 'sdgTargets', target: code },
    ),
  selfAssistance: (state: string) =>
    err(
      'CASE.SELF_ASSISTANCE',
      'rule',
      `A State does not provide assistance to itself: ${state} requested this support, so it cannot be the providing State. An offer by one of its own institutions is made by that institution (e.g. its NHRI).`,
      { state },
    ),
  consentRequired: (action: string) =>
    err(
      'CASE.CONSENT_REQUIRED',
      'rule',
      `Cannot ${action}: the State's consent does not stand. Record consent (POST /cases/{id}/consent) first.`,
      { action },
    ),
  consentAlreadyGiven: () =>
    err('CASE.CONSENT_ALREADY_GIVEN', 'conflict', 'Consent is already given for this case.'),
  consentNotGiven: () =>
    err('CASE.CONSENT_NOT_GIVEN', 'rule', 'Consent is not given, so there is nothing to withdraw.'),
  notAwaitingScreening: (screening: string) =>
    err(
      'CASE.NOT_AWAITING_SCREENING',
      'rule',
      `The request is not awaiting screening (it is "${screening}"); an amended request is screened again.`,
      { screening },
    ),
  reasonsRequired: (decision: string) =>
    err(
      'CASE.REASONS_REQUIRED',
      'validation',
      `A "${decision}" screening must give at least one reason.`,
      { decision },
    ),
  amendmentAfterMatch: () =>
    err(
      'CASE.AMENDMENT_AFTER_MATCH',
      'rule',
      'The request cannot be amended once an offer is matched; record progress or open a new case.',
    ),
  offerExists: (offerId: string) =>
    err('CASE.OFFER_EXISTS', 'conflict', `Offer ${offerId} already exists on this case.`, {
      offerId,
    }),
  offerNotFound: (offerId: string) =>
    err('CASE.OFFER_NOT_FOUND', 'not-found', `No offer ${offerId} on this case.`, { offerId }),
  offerNotOpen: (offerId: string, status: string) =>
    err(
      'CASE.OFFER_NOT_OPEN',
      'rule',
      `Offer ${offerId} is ${status}; only an open offer can be matched or withdrawn.`,
      { offerId, status },
    ),
  notYourOffer: (offerId: string) =>
    err(
      'CASE.NOT_YOUR_OFFER',
      'forbidden',
      `Offer ${offerId} was made by another provider; only its provider may withdraw it.`,
      { offerId },
    ),
  screeningNotAccepted: (screening: string) =>
    err(
      'CASE.SCREENING_NOT_ACCEPTED',
      'rule',
      `An offer is matched only once screening accepted the request; it is "${screening}".`,
      { screening },
    ),
  offerNotMatched: (offerId: string) =>
    err(
      'CASE.OFFER_NOT_MATCHED',
      'rule',
      `A deployment names a matched offer; ${offerId} is not matched.`,
      { offerId },
    ),
  deploymentExists: (deploymentId: string) =>
    err('CASE.DEPLOYMENT_EXISTS', 'conflict', `Deployment ${deploymentId} already exists.`, {
      deploymentId,
    }),
  deploymentNotFound: (deploymentId: string) =>
    err('CASE.DEPLOYMENT_NOT_FOUND', 'not-found', `No deployment ${deploymentId} on this case.`, {
      deploymentId,
    }),
  nothingDeployed: () =>
    err(
      'CASE.NOTHING_DEPLOYED',
      'rule',
      'Progress is reported on a deployment; no expert is deployed on this case yet.',
    ),
  unknownRecommendation: (reference: string) =>
    err(
      'CASE.UNKNOWN_RECOMMENDATION',
      'validation',
      `"${reference}" is not a recommendation this request serves; report on its linked recommendations.`,
      { reference },
    ),
  reportNotOverdue: (deploymentId: string, dueAt: string) =>
    err(
      'CASE.REPORT_NOT_OVERDUE',
      'rule',
      `The report for deployment ${deploymentId} is not overdue: it is due ${dueAt} or already in.`,
      { deploymentId, dueAt },
    ),
  overdueAlreadyRecorded: (deploymentId: string) =>
    err(
      'CASE.OVERDUE_ALREADY_RECORDED',
      'conflict',
      `The overdue report for deployment ${deploymentId} is already recorded.`,
      { deploymentId },
    ),
  progressReportRequired: () =>
    err(
      'CASE.PROGRESS_REPORT_REQUIRED',
      'rule',
      'Success is profiled only for a case with a progress report; report progress first.',
    ),
  alreadyProfiled: (panelYear: number) =>
    err(
      'CASE.ALREADY_PROFILED',
      'conflict',
      `This case is already profiled for the ${panelYear} panel; a case is profiled at most once a year.`,
      { panelYear },
    ),
};

function err(
  code: string,
  kind: ErrorKind,
  message: string,
  details: Record<string, unknown> = {},
): DomainError {
  return new DomainError(code, kind, message, details);
}
