import {
  cooperationDirection,
  flagsOn,
  memberState,
  resolveTheme,
  sdgTarget,
} from '@keystone/reference-data';
import type {
  CaseCommand,
  DeployExpert,
  MakeOffer,
  ReportProgress,
  RequestAssistance,
  ScreenRequest,
} from './case.commands';
import type { CaseEvent, CoProvider, Provider, Recommendation } from './case.events';
import { caseError } from './case.errors';
import { checkCaseAccepts, openOffer, shapeOf } from './case.preconditions';
import type { CaseState, OpenCase } from './case.state';

const DEFAULT_REPORTING_PERIOD_MONTHS = 12;

export function decideCase(command: CaseCommand, state: CaseState): CaseEvent[] {
  const { occurredAt, now } = command.context;
  if (Date.parse(occurredAt) > Date.parse(now)) throw caseError.occurredInFuture(occurredAt, now);
  checkCaseAccepts(shapeOf(command), state);
  if (command.type === 'RequestAssistance') return [requestAssistance(command)];
  if (!state.exists) throw caseError.notFound('(unknown)'); // checked above; narrows the type
  if (Date.parse(occurredAt) < Date.parse(state.requestedAt))
    throw caseError.occurredBeforeRequest(occurredAt, state.requestedAt);
  checkCausalOrder(command, state);
  return decideOnOpenCase(command, state);
}

/**
 * Business dates in causal order within a case: an act takes effect on or after the act it follows
 * (a screening after the consent, an offer after the screening, a match after its offer, a
 * deployment after its match and starting on or after the request, a report after a deployment).
 * Otherwise the figures would count a case matched before it was offered, or due before it began.
 */
function checkCausalOrder(command: Exclude<CaseCommand, RequestAssistance>, state: OpenCase): void {
  const at = command.context.occurredAt;
  const after = (act: string, prerequisite: string, prerequisiteAt: string | null | undefined) => {
    if (prerequisiteAt && Date.parse(at) < Date.parse(prerequisiteAt))
      throw caseError.outOfOrder(act, at, prerequisite, prerequisiteAt);
  };
  switch (command.type) {
    case 'ScreenRequest':
      return after('The screening', 'the consent', state.consentedAt);
    case 'WithdrawConsent':
      return after('The withdrawal of consent', 'the consent', state.consentedAt);
    case 'MakeOffer':
      return after('The offer', 'the screening', state.screenedAt);
    case 'WithdrawOffer':
    case 'MatchOffer':
      return after(
        command.type === 'MatchOffer' ? 'The match' : 'The withdrawal',
        `offer ${command.data.offerId}`,
        state.offers[command.data.offerId]?.madeAt,
      );
    case 'DeployExpert': {
      after(
        'The deployment',
        `the match of offer ${command.data.offerId}`,
        state.offers[command.data.offerId]?.matchedAt,
      );
      const requestDay = state.requestedAt.slice(0, 10);
      if (Date.parse(command.data.startDate) < Date.parse(requestDay))
        throw caseError.outOfOrder(
          'The deployment',
          command.data.startDate,
          'the request',
          requestDay,
        );
      return;
    }
    case 'ReportProgress': {
      const first = Object.values(state.deployments)
        .map((d) => d.deployedAt)
        .sort()[0];
      return after('The progress report', 'the first deployment', first);
    }
    default:
      return;
  }
}

function decideOnOpenCase(
  command: Exclude<CaseCommand, RequestAssistance>,
  state: OpenCase,
): CaseEvent[] {
  const { actor } = command.context;
  switch (command.type) {
    case 'AmendRequest':
      return [amend(command.data, state)];
    case 'ConfirmConsent':
      return [{ type: 'ConsentConfirmed', data: { by: actor } }];
    case 'WithdrawConsent':
      return [
        {
          type: 'ConsentWithdrawn',
          data: { by: actor, reason: required(command.data.reason, 'reason') },
        },
      ];
    case 'ScreenRequest':
      return [screen(command, state)];
    case 'MakeOffer':
      return [makeOffer(command, state)];
    case 'WithdrawOffer': {
      const offer = openOffer(state, command.data.offerId);
      return [
        {
          type: 'OfferWithdrawn',
          data: { offerId: offer.offerId, reason: required(command.data.reason, 'reason') },
        },
      ];
    }
    case 'MatchOffer':
      return [
        {
          type: 'OfferMatched',
          data: {
            offerId: command.data.offerId,
            matchedBy: command.context.role === 'state-focal-point' ? 'state' : 'case-officer',
          },
        },
      ];
    case 'DeployExpert':
      return [deploy(command, state)];
    case 'ReportProgress':
      return [reportProgress(command, state)];
    case 'RecordReportOverdue': {
      const deployment = state.deployments[command.data.deploymentId];
      if (!deployment) throw caseError.deploymentNotFound(command.data.deploymentId);
      if (deployment.overdueRecorded)
        throw caseError.overdueAlreadyRecorded(deployment.deploymentId);
      if (
        deployment.reported ||
        Date.parse(command.context.now) < Date.parse(deployment.reportDueAt)
      ) {
        throw caseError.reportNotOverdue(deployment.deploymentId, deployment.reportDueAt);
      }
      return [
        {
          type: 'ProgressReportOverdue',
          data: { deploymentId: deployment.deploymentId, dueAt: deployment.reportDueAt },
        },
      ];
    }
    case 'ProfileSuccess': {
      const { panelYear, summary } = command.data;
      if (!Number.isInteger(panelYear) || panelYear < 2000 || panelYear > 2200)
        throw caseError.invalid(`panelYear must be a year, got ${panelYear}`);
      if (state.profiledYears.includes(panelYear)) throw caseError.alreadyProfiled(panelYear);
      return [
        { type: 'SuccessProfiled', data: { panelYear, summary: required(summary, 'summary') } },
      ];
    }
    case 'CloseCase':
      return [{ type: 'CaseClosed', data: { reason: required(command.data.reason, 'reason') } }];
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

function requestAssistance({ data, context }: RequestAssistance): CaseEvent {
  const state = memberState(data.state);
  if (!state) throw caseError.unknownState(data.state);
  // The flags in force on the request's business date, not today's: a request of 2020 by a State
  // that graduated in 2023 was an LDC's request.
  const flags = flagsOn(state, context.occurredAt.slice(0, 10));
  const reportingPeriodMonths = data.reportingPeriodMonths ?? DEFAULT_REPORTING_PERIOD_MONTHS;
  if (
    !Number.isInteger(reportingPeriodMonths) ||
    reportingPeriodMonths < 1 ||
    reportingPeriodMonths > 60
  ) {
    throw caseError.invalid(
      `reportingPeriodMonths must be a whole number of months from 1 to 60, got ${reportingPeriodMonths}`,
    );
  }
  return {
    type: 'AssistanceRequested',
    data: {
      caseId: data.caseId,
      state: state.iso3,
      region: state.regionalGroup,
      ldc: flags.ldc,
      sids: flags.sids,
      development: state.development,
      themes: themes(data.themes),
      description: required(data.description, 'description'),
      supportSought: required(data.supportSought, 'supportSought'),
      recommendations: recommendations(data.recommendations, data.notTiedToRecommendation),
      reportingPeriodMonths,
      ...(data.sessionId ? { sessionId: data.sessionId } : {}),
      ...(data.sdgTargets?.length ? { sdgTargets: sdgTargets(data.sdgTargets) } : {}),
      ...(data.notTiedToRecommendation ? { notTiedToRecommendation: true } : {}),
    },
  };
}

function sdgTargets(given: string[]): string[] {
  const codes = given.map((code) => {
    const target = sdgTarget(code);
    if (!target) throw caseError.unknownSdgTarget(code);
    return target;
  });
  return [...new Set(codes)];
}

function amend(
  data: Extract<CaseCommand, { type: 'AmendRequest' }>['data'],
  state: OpenCase,
): CaseEvent {
  const changes = {
    ...(data.themes !== undefined ? { themes: themes(data.themes) } : {}),
    ...(data.description !== undefined
      ? { description: required(data.description, 'description') }
      : {}),
    ...(data.supportSought !== undefined
      ? { supportSought: required(data.supportSought, 'supportSought') }
      : {}),
    ...(data.recommendations !== undefined
      ? { recommendations: recommendations(data.recommendations) }
      : {}),
  };
  if (Object.keys(changes).length === 0)
    throw caseError.invalid(
      'An amendment changes at least one of themes, description, supportSought, recommendations',
    );
  // A request sent back or declined goes to the committee again once amended.
  const resubmitted = state.screening === 'more-information' || state.screening === 'declined';
  return { type: 'RequestAmended', data: { ...changes, resubmitted } };
}

function screen(command: ScreenRequest, state: OpenCase): CaseEvent {
  const { decision, reasons } = command.data;
  const given = (reasons ?? []).map((r) => r.trim()).filter(Boolean);
  if (decision !== 'accepted' && given.length === 0) throw caseError.reasonsRequired(decision);
  return {
    type: 'RequestScreened',
    data: { decision, reasons: given, member: command.context.actor, region: state.region },
  };
}

function makeOffer({ data }: MakeOffer, openCase: OpenCase): CaseEvent {
  if (openCase.offers[data.offerId]) throw caseError.offerExists(data.offerId);
  const lead = providing(data.provider, openCase);
  const coProviders: CoProvider[] = (data.coProviders ?? []).map((given) => {
    const co = providing(given, openCase);
    return { ...co, direction: cooperationDirection(co, openCase.state) };
  });
  const ids = [lead.id, ...coProviders.map((co) => co.id)];
  if (new Set(ids).size !== ids.length)
    throw caseError.invalid('A joint offer names each provider once, the lead among them', {
      providers: ids,
    });
  return {
    type: 'OfferMade',
    data: {
      offerId: data.offerId,
      provider: lead,
      offered: required(data.offered, 'offered'),
      funding: data.funding,
      direction: cooperationDirection(lead, openCase.state),
      ...(coProviders.length > 0 ? { coProviders } : {}),
      ...(data.sessionId ? { sessionId: data.sessionId } : {}),
    },
  };
}

/** A provider of an offer, its State checked and normalised; never the requesting State itself. */
function providing(provider: Provider, openCase: OpenCase): Provider {
  if (provider.kind !== 'state') return provider;
  const state = memberState(provider.state ?? '');
  if (!state) throw caseError.unknownState(provider.state ?? '');
  if (state.iso3 === openCase.state) throw caseError.selfAssistance(openCase.state);
  return { ...provider, state: state.iso3 };
}

function deploy({ data }: DeployExpert, state: OpenCase): CaseEvent {
  if (state.deployments[data.deploymentId]) throw caseError.deploymentExists(data.deploymentId);
  const start = Date.parse(data.startDate);
  const end = Date.parse(data.endDate);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) {
    throw caseError.invalid(
      `A deployment runs from startDate to an endDate on or after it, got ${data.startDate} to ${data.endDate}`,
    );
  }
  if (data.funding === 'trust-fund' && !(data.amount > 0))
    throw caseError.invalid('A deployment paid by the trust fund needs an amount above 0');
  return {
    type: 'ExpertDeployed',
    data: {
      deploymentId: data.deploymentId,
      offerId: data.offerId,
      expertId: data.expertId,
      startDate: new Date(start).toISOString(),
      endDate: new Date(end).toISOString(),
      funding: data.funding,
      amount: data.funding === 'trust-fund' ? data.amount : 0,
      reportDueAt: addMonths(new Date(start), state.reportingPeriodMonths).toISOString(),
    },
  };
}

function reportProgress({ data }: ReportProgress, state: OpenCase): CaseEvent {
  const progress = data.progress ?? [];
  const narrative = data.narrative?.trim();
  if (state.recommendations.length === 0) {
    // A request not tied to a recommendation reports what changed, in words.
    if (!narrative)
      throw caseError.invalid(
        'This request is not tied to a recommendation: its progress report says what changed in narrative',
        { field: 'narrative' },
      );
  } else if (progress.length === 0) {
    throw caseError.invalid(
      'A progress report gives the status of at least one linked recommendation',
    );
  }
  const known = new Set(state.recommendations.map((r) => r.reference));
  for (const item of progress) {
    if (!known.has(item.reference)) throw caseError.unknownRecommendation(item.reference);
  }
  return {
    type: 'ProgressReported',
    data: { reportId: data.reportId, progress, ...(narrative ? { narrative } : {}) },
  };
}

function themes(given: string[]): string[] {
  const slugs = [
    ...new Set((given ?? []).map(resolveTheme).filter((slug): slug is string => slug !== null)),
  ];
  if (slugs.length === 0)
    throw caseError.invalid('A request names at least one theme, e.g. "torture-prevention"');
  return slugs;
}

function recommendations(given: Recommendation[], notTied = false): Recommendation[] {
  if (notTied) {
    if (Array.isArray(given) && given.length > 0)
      throw caseError.invalid(
        'A request not tied to a specific recommendation links none; leave recommendations empty or drop notTiedToRecommendation',
      );
    return [];
  }
  if (!Array.isArray(given) || given.length === 0) {
    throw caseError.invalid(
      'A request names at least one recommendation it serves (UPR, Special Procedures or Treaty Bodies), or says it is not tied to one (notTiedToRecommendation: true)',
    );
  }
  const references = given.map((r) => r.reference);
  if (new Set(references).size !== references.length)
    throw caseError.invalid('Each linked recommendation is named once', { references });
  return given;
}

function required(value: string, field: string): string {
  if (typeof value !== 'string' || value.trim().length === 0)
    throw caseError.invalid(`${field} must not be empty`, { field });
  return value.trim();
}

/** Calendar months, clamped to the month's last day (31 January + 1 month = 28/29 February). */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(
    Date.UTC(
      date.getUTCFullYear(),
      date.getUTCMonth() + months,
      1,
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      date.getUTCMilliseconds(),
    ),
  );
  const lastDay = new Date(
    Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0),
  ).getUTCDate();
  result.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return result;
}
