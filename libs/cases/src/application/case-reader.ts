import { Inject, Injectable } from '@nestjs/common';
import { enforce, type Principal } from '@keystone/access';
import { memberState } from '@keystone/reference-data';
import {
  DomainError,
  EVENT_STORE,
  fold,
  isAsOfNow,
  isVisible,
  versionOf,
  type AsOf,
  type EventStore,
  type RecordedEvent,
} from '@keystone/event-store';
import type { CaseCommand } from '../domain/case.commands';
import { caseDecider } from '../domain/case.decider';
import { caseError } from '../domain/case.errors';
import { caseStreamId, type CaseEvent } from '../domain/case.events';
import { checkCaseAccepts } from '../domain/case.preconditions';
import { caseStage, offeredBy, type OpenCase } from '../domain/case.state';
import { authorizeCase, type CaseQuery } from './case.policy';

export interface CaseView {
  readonly caseId: string;
  readonly version: number;
  readonly stage: string;
  /** The requesting State's name, from reference data. */
  readonly stateName: string;
  readonly case: OpenCase;
  readonly request: CaseEvent['data'];
  /** The offers with what each offers; a provider sees its own, and the others only as a count. */
  readonly offers: readonly OfferView[];
  readonly otherOpenOffers?: number;
}

export interface OfferView {
  readonly offerId: string;
  readonly provider: { readonly id: string; readonly name: string; readonly kind: string };
  readonly coProviders: readonly {
    readonly id: string;
    readonly name: string;
    readonly kind: string;
    readonly direction: string;
  }[];
  /** The lead's and every co-provider's registry id. */
  readonly providerIds: readonly string[];
  readonly sessionId: string | null;
  readonly offered: string;
  readonly funding: string;
  readonly direction: string;
  readonly status: string;
  readonly madeAt: string;
}

/** One command a caller might send now: allowed, or refused with the code and reason it would get. */
export interface AllowedAction {
  readonly action: CaseCommand['type'];
  /** The offer the action is about (withdraw, match, deploy), one entry per offer. */
  readonly offerId?: string;
  readonly allowed: boolean;
  readonly code?: string;
  readonly reason?: string;
}

/** What people send about a case (RequestAssistance makes one; RecordReportOverdue is Keystone's). */
const PERSON_COMMANDS: readonly CaseCommand['type'][] = [
  'AmendRequest',
  'ConfirmConsent',
  'WithdrawConsent',
  'ScreenRequest',
  'MakeOffer',
  'WithdrawOffer',
  'MatchOffer',
  'DeployExpert',
  'ReportProgress',
  'ProfileSuccess',
  'CloseCase',
];
const ABOUT_AN_OFFER = new Set<CaseCommand['type']>([
  'WithdrawOffer',
  'MatchOffer',
  'DeployExpert',
]);

/**
 * Reads one case by folding its stream: the write model's own view, with the stream version that
 * If-Match needs. The list views and the panel are projections (libs/projections).
 */
@Injectable()
export class CaseReader {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async events(caseId: string, principal: Principal): Promise<RecordedEvent[]> {
    const events = await this.store.readStream(caseStreamId(caseId));
    this.authorized(caseId, events, principal, 'ReadCaseEvents');
    return events;
  }

  /**
   * The case now, or as it stood at a past moment: `asOf` keeps what Keystone had recorded by then
   * (system time); `asOfEffective` what had taken effect by then (business time). Who may read is
   * decided on the case as it stands now, whatever moment is asked for. As-of reads fold the stream
   * on purpose: they are the auditors'.
   */
  async view(
    caseId: string,
    principal: Principal,
    at: AsOf = {},
  ): Promise<CaseView & { asOf: string | null; asOfEffective: string | null }> {
    const all = await this.store.readStream(caseStreamId(caseId));
    const now = this.authorized(caseId, all, principal, 'ReadCase');
    const events = isAsOfNow(at) ? all : all.filter((event) => isVisible(event, at));
    const state = events === all ? now : fold(caseDecider, events);
    if (!state.exists) throw caseError.notFound(caseId);
    const offers = offerViews(events, state);
    const own = principal.role === 'provider' ? principal.provider.id : null;
    const shown = own === null ? offers : offers.filter((offer) => offer.providerIds.includes(own));
    return {
      asOf: at.asOf ?? null,
      asOfEffective: at.asOfEffective ?? null,
      caseId,
      version: versionOf(events),
      stage: caseStage(state),
      stateName: memberState(state.state)?.name ?? state.state,
      case:
        own === null
          ? state
          : {
              ...state,
              offers: Object.fromEntries(
                Object.entries(state.offers).filter(([, offer]) => offeredBy(offer, own)),
              ),
            },
      request: { ...(events[0].data as CaseEvent['data']), ...amendments(events) },
      offers: shown,
      ...(own === null
        ? {}
        : {
            otherOpenOffers: offers.filter(
              (o) => !o.providerIds.includes(own) && o.status === 'open',
            ).length,
          }),
    };
  }

  /** Every command this caller might send on this case now, each allowed or refused with its reason. */
  async allowedActions(caseId: string, principal: Principal): Promise<AllowedAction[]> {
    const events = await this.store.readStream(caseStreamId(caseId));
    const state = this.authorized(caseId, events, principal, 'ReadCase');
    return PERSON_COMMANDS.flatMap((action) =>
      (ABOUT_AN_OFFER.has(action) ? offersSeenBy(principal, state) : [undefined]).map((offerId) => {
        const target = offerId === undefined ? {} : { offerId };
        const decision = authorizeCase(principal, action, state, target);
        const refusal = decision.allowed ? refusalOf(action, offerId, state) : decision.error;
        return {
          action,
          ...target,
          allowed: refusal === null,
          ...(refusal ? { code: refusal.code, reason: refusal.message } : {}),
        };
      }),
    );
  }

  private authorized(
    caseId: string,
    events: readonly RecordedEvent[],
    principal: Principal,
    query: CaseQuery,
  ): OpenCase {
    const state = fold(caseDecider, events);
    if (!state.exists) throw caseError.notFound(caseId);
    enforce(authorizeCase(principal, query, state));
    return state;
  }
}

/** The offers a caller may know of: a provider, its own only. */
function offersSeenBy(principal: Principal, state: OpenCase): string[] {
  return Object.values(state.offers)
    .filter((offer) => principal.role !== 'provider' || offeredBy(offer, principal.provider.id))
    .map((offer) => offer.offerId);
}

/** Each offer as made (what is offered, by whom), with its status now. */
function offerViews(events: readonly RecordedEvent[], state: OpenCase): OfferView[] {
  return events
    .filter((event) => event.type === 'OfferMade')
    .map((event) => {
      const data = event.data as unknown as Extract<CaseEvent, { type: 'OfferMade' }>['data'];
      const now = state.offers[data.offerId];
      return {
        offerId: data.offerId,
        provider: { id: data.provider.id, name: data.provider.name, kind: data.provider.kind },
        coProviders: (data.coProviders ?? []).map(({ id, name, kind, direction }) => ({
          id,
          name,
          kind,
          direction,
        })),
        providerIds: [data.provider.id, ...(data.coProviders ?? []).map((co) => co.id)],
        sessionId: data.sessionId ?? null,
        offered: data.offered,
        funding: data.funding,
        direction: data.direction,
        status: now?.status ?? 'open',
        madeAt: now?.madeAt ?? event.metadata.occurredAt,
      };
    });
}

/** The decider's own state rules, asked without deciding. */
function refusalOf(
  type: CaseCommand['type'],
  offerId: string | undefined,
  state: OpenCase,
): DomainError | null {
  try {
    checkCaseAccepts({ type, offerId }, state);
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

function amendments(events: readonly RecordedEvent[]): Record<string, unknown> {
  return events
    .filter((event) => event.type === 'RequestAmended')
    .reduce(
      (merged, event) => ({
        ...merged,
        ...(({ resubmitted: _r, ...changes }) => changes)(event.data as { resubmitted: boolean }),
      }),
      {},
    );
}
