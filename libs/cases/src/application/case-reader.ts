import { Inject, Injectable } from '@nestjs/common';
import { assertCaseScope, type CaseAction, type Principal } from '@keystone/access';
import {
  EVENT_STORE,
  replayStream,
  type EventStore,
  type RecordedEvent,
} from '@keystone/event-store';
import { caseDecider } from '../domain/case.decider';
import { caseError } from '../domain/case.errors';
import { caseStreamId, type CaseEvent } from '../domain/case.events';
import { caseStage, type OpenCase } from '../domain/case.state';
import { scopeOf } from './case-scope';

export interface CaseView {
  readonly caseId: string;
  readonly version: number;
  readonly stage: string;
  readonly case: OpenCase;
  readonly request: CaseEvent['data'];
}

/**
 * Reads one case by folding its stream: the write model's own view, with the stream version that
 * If-Match needs. The list views and the panel are projections (libs/projections).
 */
@Injectable()
export class CaseReader {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async events(caseId: string, principal: Principal, action: CaseAction): Promise<RecordedEvent[]> {
    const events = await this.store.readStream(caseStreamId(caseId));
    this.fold(caseId, events, principal, action);
    return events;
  }

  /**
   * The case now, or as it stood at a past moment: `asOf` keeps what Keystone had recorded by then
   * (system time); `asOfEffective` what had taken effect by then (business time), e.g. a consent
   * recorded late but given earlier. As-of reads fold the stream on purpose: they are the auditors'.
   */
  async view(
    caseId: string,
    principal: Principal,
    at: { asOf?: string; asOfEffective?: string } = {},
  ): Promise<CaseView & { asOf: string | null; asOfEffective: string | null }> {
    const events = await replayStream(this.store, caseStreamId(caseId), at);
    const state = this.fold(caseId, events, principal, 'read');
    return {
      asOf: at.asOf ?? null,
      asOfEffective: at.asOfEffective ?? null,
      caseId,
      version: events[events.length - 1].streamVersion,
      stage: caseStage(state),
      case: state,
      request: { ...(events[0].data as CaseEvent['data']), ...amendments(events) },
    };
  }

  private fold(
    caseId: string,
    events: readonly RecordedEvent[],
    principal: Principal,
    action: CaseAction,
  ): OpenCase {
    const state = events.reduce(
      (current, event) =>
        caseDecider.evolve(
          current,
          { type: event.type, data: event.data } as CaseEvent,
          event.metadata.occurredAt,
        ),
      caseDecider.initialState(),
    );
    if (!state.exists) throw caseError.notFound(caseId);
    assertCaseScope(principal, action, scopeOf(state));
    return state;
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
