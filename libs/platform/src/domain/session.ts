import type { Command, Decider, DomainEvent } from '@keystone/event-store';
import { memberState, resolveTheme } from '@keystone/reference-data';
import { notInFuture, platformError, required } from './platform.errors';

/**
 * A session of the voluntary platform (the "safe space"): convened by an officer on a theme, open
 * for States to register presentations, held, then its outcome published. One stream per session.
 */
export const sessionStreamId = (sessionId: string): string => `session-${sessionId}`;

export type SessionStatus = 'planned' | 'registration-open' | 'held' | 'outcome-published';
export type Venue = { mode: 'in-person' | 'online' | 'hybrid'; place?: string };
export type CoHost =
  { kind: 'state'; state: string; name: string } | { kind: 'organisation'; name: string };
export type PresentationKind = 'presentation' | 'report-back';
export type ImplementationStatus = 'not-started' | 'in-progress' | 'implemented';
export interface RecommendationStatus {
  readonly reference: string;
  readonly status: ImplementationStatus;
}

/** What the command's handler looked up about each case a presentation links (the decider does no I/O). */
export interface LinkedCaseFacts {
  readonly caseId: string;
  /** The requesting State, or null when there is no such case. */
  readonly state: string | null;
  /** The first day of its first deployment, if any. */
  readonly firstDeploymentStart: string | null;
}

export type SessionConvened = DomainEvent<
  'SessionConvened',
  {
    sessionId: string;
    title: string;
    themes: string[];
    startDate: string;
    endDate: string;
    venue: Venue;
    coHosts: CoHost[];
  }
>;
export type RegistrationOpened = DomainEvent<'RegistrationOpened', Record<string, never>>;
export type PresentationRegistered = DomainEvent<
  'PresentationRegistered',
  {
    presentationId: string;
    state: string;
    kind: PresentationKind;
    achievements: string;
    challenges: string;
    goodPractices: string;
    lessonsLearnt: string;
    recommendations: RecommendationStatus[];
    /** The requests it lodges there (presentation) or the cases it reports back on (report-back). */
    caseIds: string[];
  }
>;
export type SessionHeld = DomainEvent<'SessionHeld', Record<string, never>>;
export type OutcomePublished = DomainEvent<'OutcomePublished', { summary: string }>;
export type SessionEvent =
  SessionConvened | RegistrationOpened | PresentationRegistered | SessionHeld | OutcomePublished;

export type ConveneSession = Command<'ConveneSession', SessionConvened['data']>;
export type OpenRegistration = Command<'OpenRegistration', Record<string, never>>;
export type RegisterPresentation = Command<
  'RegisterPresentation',
  Omit<PresentationRegistered['data'], 'caseIds'> & { cases: LinkedCaseFacts[] }
>;
export type RecordSessionHeld = Command<'RecordSessionHeld', Record<string, never>>;
export type PublishOutcome = Command<'PublishOutcome', { summary: string }>;
export type SessionCommand =
  ConveneSession | OpenRegistration | RegisterPresentation | RecordSessionHeld | PublishOutcome;

export type SessionState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly sessionId: string;
      readonly status: SessionStatus;
      readonly startDate: string;
      readonly endDate: string;
      /** "state/kind" of each presentation registered. */
      readonly presenting: readonly string[];
    };

const STATUS_FOR: Readonly<
  Record<Exclude<SessionCommand['type'], 'ConveneSession'>, readonly SessionStatus[]>
> = {
  OpenRegistration: ['planned'],
  RegisterPresentation: ['registration-open'],
  RecordSessionHeld: ['registration-open'],
  PublishOutcome: ['held'],
};
const ACT: Readonly<Record<keyof typeof STATUS_FOR, string>> = {
  OpenRegistration: 'Opening registration',
  RegisterPresentation: 'Registering a presentation',
  RecordSessionHeld: 'Recording the session as held',
  PublishOutcome: 'Publishing the outcome',
};

/** Whether a request or a pledge may name this session now. */
export function sessionTakes(state: SessionState): boolean {
  return state.exists && (state.status === 'registration-open' || state.status === 'held');
}

export const sessionDecider: Decider<SessionCommand, SessionEvent, SessionState> = {
  initialState: () => ({ exists: false }),
  evolve(state, event) {
    if (event.type === 'SessionConvened')
      return {
        exists: true,
        sessionId: event.data.sessionId,
        status: 'planned',
        startDate: event.data.startDate,
        endDate: event.data.endDate,
        presenting: [],
      };
    if (!state.exists) return state;
    switch (event.type) {
      case 'RegistrationOpened':
        return { ...state, status: 'registration-open' };
      case 'PresentationRegistered':
        return {
          ...state,
          presenting: [...state.presenting, `${event.data.state}/${event.data.kind}`],
        };
      case 'SessionHeld':
        return { ...state, status: 'held' };
      case 'OutcomePublished':
        return { ...state, status: 'outcome-published' };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
  decide(command, state) {
    notInFuture(command.context.occurredAt, command.context.now);
    if (command.type === 'ConveneSession') {
      if (state.exists) throw platformError.sessionExists(state.sessionId);
      return [{ type: 'SessionConvened', data: convene(command.data) }];
    }
    if (!state.exists) throw platformError.sessionNotFound('(unknown)');
    const needed = STATUS_FOR[command.type];
    if (!needed.includes(state.status))
      throw platformError.wrongStatus(ACT[command.type], state.status, needed);
    switch (command.type) {
      case 'OpenRegistration':
        return [{ type: 'RegistrationOpened', data: {} }];
      case 'RegisterPresentation':
        return [{ type: 'PresentationRegistered', data: presentation(command.data, state) }];
      case 'RecordSessionHeld': {
        const at = command.context.occurredAt;
        if (at.slice(0, 10) < state.startDate)
          throw platformError.outOfOrder('The session held', at, 'its first day', state.startDate);
        return [{ type: 'SessionHeld', data: {} }];
      }
      case 'PublishOutcome':
        return [
          {
            type: 'OutcomePublished',
            data: { summary: required(command.data.summary, 'summary') },
          },
        ];
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  },
};

function day(value: string, field: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value ?? '') || Number.isNaN(Date.parse(value)))
    throw platformError.invalid(`${field} must be a day, YYYY-MM-DD, got ${value}`, { field });
  return value;
}

function convene(data: SessionConvened['data']): SessionConvened['data'] {
  const startDate = day(data.startDate, 'startDate');
  const endDate = day(data.endDate, 'endDate');
  if (endDate < startDate)
    throw platformError.invalid(
      `A session ends on or after its first day, got ${startDate} to ${endDate}`,
      {
        field: 'endDate',
      },
    );
  const themes = [
    ...new Set((data.themes ?? []).map((t) => resolveTheme(t)).filter((t): t is string => !!t)),
  ];
  if (themes.length === 0)
    throw platformError.invalid('A session has at least one theme', { field: 'themes' });
  const venue = data.venue ?? { mode: 'online' };
  if (venue.mode !== 'online' && !venue.place?.trim())
    throw platformError.invalid(`A session held ${venue.mode} names its place`, {
      field: 'venue.place',
    });
  const coHosts = (data.coHosts ?? []).map((host): CoHost => {
    if (host.kind !== 'state')
      return { kind: 'organisation', name: required(host.name, 'coHosts.name') };
    const state = memberState(host.state);
    if (!state) throw platformError.unknownState(host.state);
    return { kind: 'state', state: state.iso3, name: state.name };
  });
  return {
    sessionId: data.sessionId,
    title: required(data.title, 'title'),
    themes,
    startDate,
    endDate,
    venue:
      venue.mode === 'online'
        ? { mode: 'online' }
        : { mode: venue.mode, place: venue.place!.trim() },
    coHosts,
  };
}

function presentation(
  data: RegisterPresentation['data'],
  session: Extract<SessionState, { exists: true }>,
): PresentationRegistered['data'] {
  const state = memberState(data.state);
  if (!state) throw platformError.unknownState(data.state);
  if (session.presenting.includes(`${state.iso3}/${data.kind}`))
    throw platformError.alreadyPresenting(state.iso3, data.kind);
  const text = (value: string | undefined) => (value ?? '').trim();
  const narrative = {
    achievements: text(data.achievements),
    challenges: text(data.challenges),
    goodPractices: text(data.goodPractices),
    lessonsLearnt: text(data.lessonsLearnt),
  };
  if (Object.values(narrative).every((v) => v === ''))
    throw platformError.invalid(
      'A presentation tells at least one of its achievements, challenges, good practices or lessons learnt',
      { field: 'achievements' },
    );
  const references = (data.recommendations ?? []).map((r) => r.reference);
  if (new Set(references).size !== references.length)
    throw platformError.invalid('Each recommendation is named once', { field: 'recommendations' });
  for (const linked of data.cases) {
    if (linked.state !== state.iso3)
      throw platformError.caseNotOfState(linked.caseId, state.iso3, linked.state);
    if (
      data.kind === 'report-back' &&
      (linked.firstDeploymentStart === null ||
        linked.firstDeploymentStart.slice(0, 10) >= session.startDate)
    )
      throw platformError.nothingToReportBack(linked.caseId, session.startDate);
  }
  if (data.kind === 'report-back' && data.cases.length === 0)
    throw platformError.invalid('A report-back links the cases it reports on (caseIds)', {
      field: 'caseIds',
    });
  return {
    presentationId: data.presentationId,
    state: state.iso3,
    kind: data.kind,
    ...narrative,
    recommendations: (data.recommendations ?? []).map(({ reference, status }) => ({
      reference: required(reference, 'recommendations.reference'),
      status,
    })),
    caseIds: [...new Set(data.cases.map((c) => c.caseId))],
  };
}
