import type { CaseCommand } from './case.commands';
import { caseError } from './case.errors';
import type { CaseState, OpenCase } from './case.state';

/** A command as far as the case's state is concerned: its type, and the offer it names if any. */
export interface CaseCommandShape {
  readonly type: CaseCommand['type'];
  readonly offerId?: string;
}

export function shapeOf(command: CaseCommand): CaseCommandShape {
  const offerId = (command.data as { offerId?: unknown }).offerId;
  return { type: command.type, ...(typeof offerId === 'string' ? { offerId } : {}) };
}

/**
 * The rules a command needs of the case's state alone, not of its data: the decider checks them
 * first, and GET /cases/{id}/allowed-actions asks them without deciding, so both answer alike.
 * Throws the domain error of the first rule broken.
 */
export function checkCaseAccepts(command: CaseCommandShape, state: CaseState): void {
  if (command.type === 'RequestAssistance') {
    if (state.exists) throw caseError.alreadyExists(state.caseId);
    return;
  }
  if (!state.exists) throw caseError.notFound('(unknown)');
  if (state.closed) throw caseError.closed(state.caseId);
  onOpenCase(command, state);
}

function onOpenCase(command: CaseCommandShape, state: OpenCase): void {
  switch (command.type) {
    case 'AmendRequest':
      if (Object.values(state.offers).some((offer) => offer.status === 'matched'))
        throw caseError.amendmentAfterMatch();
      return;
    case 'ConfirmConsent':
      if (state.consent === 'given') throw caseError.consentAlreadyGiven();
      return;
    case 'WithdrawConsent':
      if (state.consent !== 'given') throw caseError.consentNotGiven();
      return;
    case 'ScreenRequest':
      requireConsent(state, 'screen the request');
      if (state.screening !== 'awaiting') throw caseError.notAwaitingScreening(state.screening);
      return;
    case 'WithdrawOffer':
      openOffer(state, command.offerId);
      return;
    case 'MatchOffer':
      requireConsent(state, 'match an offer');
      if (state.screening !== 'accepted') throw caseError.screeningNotAccepted(state.screening);
      openOffer(state, command.offerId);
      return;
    case 'DeployExpert': {
      requireConsent(state, 'deploy an expert');
      const offer = state.offers[command.offerId ?? ''];
      if (!offer) throw caseError.offerNotFound(command.offerId ?? '');
      if (offer.status !== 'matched') throw caseError.offerNotMatched(offer.offerId);
      return;
    }
    case 'ReportProgress':
      if (Object.keys(state.deployments).length === 0) throw caseError.nothingDeployed();
      return;
    case 'ProfileSuccess':
      if (state.progressReports === 0) throw caseError.progressReportRequired();
      return;
    case 'RequestAssistance':
    case 'MakeOffer':
    case 'RecordReportOverdue':
    case 'CloseCase':
      return;
    default: {
      const unreachable: never = command.type;
      return unreachable;
    }
  }
}

export function openOffer(state: OpenCase, offerId: string | undefined) {
  const offer = state.offers[offerId ?? ''];
  if (!offer) throw caseError.offerNotFound(offerId ?? '');
  if (offer.status !== 'open') throw caseError.offerNotOpen(offer.offerId, offer.status);
  return offer;
}

function requireConsent(state: OpenCase, action: string): void {
  if (state.consent !== 'given') throw caseError.consentRequired(action);
}
