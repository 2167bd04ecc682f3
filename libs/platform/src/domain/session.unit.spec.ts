import {
  commandsIn,
  deciderSpec,
  stateAfter,
  type Given,
} from '@keystone/event-store/testing/decider-spec';
import {
  sessionDecider,
  sessionTakes,
  type SessionCommand,
  type SessionEvent,
  type SessionState,
} from './session';

const spec = deciderSpec(sessionDecider);
const cmd = commandsIn<SessionCommand>({
  actor: 'officer:ana',
  role: 'case-officer',
  correlationId: 'corr-1',
  occurredAt: '2025-03-01T09:00:00.000Z',
  now: '2026-11-27T12:00:00.000Z',
});

const convening = {
  sessionId: 's1',
  title: 'First session: national mechanisms for follow-up',
  themes: ['NMIRF', 'torture prevention'],
  startDate: '2025-06-16',
  endDate: '2025-06-17',
  venue: { mode: 'hybrid' as const, place: 'Palais des Nations, Geneva' },
  coHosts: [
    { kind: 'state' as const, state: 'fji', name: '' },
    { kind: 'organisation' as const, name: 'Commonwealth Secretariat' },
  ],
};
const convened: Given<SessionEvent> = {
  type: 'SessionConvened',
  data: {
    ...convening,
    themes: ['nmirf', 'torture-prevention'],
    coHosts: [
      { kind: 'state', state: 'FJI', name: 'Fiji' },
      { kind: 'organisation', name: 'Commonwealth Secretariat' },
    ],
  },
};
const open: Given<SessionEvent> = { type: 'RegistrationOpened', data: {} };
const held: Given<SessionEvent> = { type: 'SessionHeld', data: {}, at: '2025-06-17T17:00:00.000Z' };
const present = (
  over: Partial<Extract<SessionCommand, { type: 'RegisterPresentation' }>['data']> = {},
) =>
  cmd('RegisterPresentation', {
    presentationId: 'p1',
    state: 'mwi',
    kind: 'presentation',
    achievements: 'An NMIRF set up by decree in 2024',
    challenges: 'No budget line for follow-up',
    goodPractices: '',
    lessonsLearnt: '',
    recommendations: [{ reference: 'A/HRC/53/10, 121.4', status: 'in-progress' }],
    cases: [{ caseId: 'c1', state: 'MWI', firstDeploymentStart: null }],
    ...over,
  });
const presented: Given<SessionEvent> = {
  type: 'PresentationRegistered',
  data: {
    presentationId: 'p1',
    state: 'MWI',
    kind: 'presentation',
    achievements: 'An NMIRF set up by decree in 2024',
    challenges: 'No budget line for follow-up',
    goodPractices: '',
    lessonsLearnt: '',
    recommendations: [{ reference: 'A/HRC/53/10, 121.4', status: 'in-progress' }],
    caseIds: ['c1'],
  },
};

describe('convening a session', () => {
  it('records the session planned, its themes resolved and its State co-hosts named', () =>
    spec
      .given([])
      .when(cmd('ConveneSession', convening))
      .then([{ type: 'SessionConvened', data: convened.data }]));
  it('keeps an online session without a place', () => {
    const [event] = sessionDecider.decide(
      cmd('ConveneSession', { ...convening, venue: { mode: 'online', place: 'ignored' } }),
      sessionDecider.initialState(),
    );
    expect((event.data as { venue: unknown }).venue).toEqual({ mode: 'online' });
  });
  it('refuses a session convened twice', () =>
    spec
      .given([convened])
      .when(cmd('ConveneSession', convening))
      .thenRefuses('PLATFORM.SESSION_EXISTS'));
  it('refuses a session ending before it begins', () =>
    spec
      .given([])
      .when(cmd('ConveneSession', { ...convening, endDate: '2025-06-15' }))
      .thenRefuses('PLATFORM.INVALID_COMMAND', { field: 'endDate' }));
  it('refuses a date that is not a day', () =>
    spec
      .given([])
      .when(cmd('ConveneSession', { ...convening, startDate: '16/06/2025' }))
      .thenRefuses('PLATFORM.INVALID_COMMAND', { field: 'startDate' }));
  it('refuses a session without a theme, or without a title', () => {
    spec
      .given([])
      .when(cmd('ConveneSession', { ...convening, themes: [] }))
      .thenRefuses('PLATFORM.INVALID_COMMAND', { field: 'themes' });
    spec
      .given([])
      .when(cmd('ConveneSession', { ...convening, title: ' ' }))
      .thenRefuses('PLATFORM.INVALID_COMMAND', { field: 'title' });
  });
  it('refuses a session in person with no place', () =>
    spec
      .given([])
      .when(cmd('ConveneSession', { ...convening, venue: { mode: 'in-person' } }))
      .thenRefuses('PLATFORM.INVALID_COMMAND', { field: 'venue.place' }));
  it('refuses a co-host State that is not a UN member', () =>
    spec
      .given([])
      .when(
        cmd('ConveneSession', {
          ...convening,
          coHosts: [{ kind: 'state', state: 'XXX', name: '' }],
        }),
      )
      .thenRefuses('PLATFORM.UNKNOWN_STATE'));
  it('refuses an act dated in the future', () =>
    spec
      .given([])
      .when(cmd('ConveneSession', convening, { occurredAt: '2027-01-01T00:00:00.000Z' }))
      .thenRefuses('PLATFORM.OCCURRED_IN_FUTURE'));
});

describe('planned → registration open → held → outcome published', () => {
  it('opens registration once, from planned', () => {
    spec
      .given([convened])
      .when(cmd('OpenRegistration', {}))
      .then([{ type: 'RegistrationOpened', data: {} }]);
    spec
      .given([convened, open])
      .when(cmd('OpenRegistration', {}))
      .thenRefuses('PLATFORM.SESSION_STATUS', {
        status: 'registration-open',
      });
  });
  it('refuses any act on a session never convened', () =>
    spec.given([]).when(cmd('OpenRegistration', {})).thenRefuses('PLATFORM.SESSION_NOT_FOUND'));
  it('records the session held on or after its first day, not before, and not while planned', () => {
    spec
      .given([convened, open])
      .when(cmd('RecordSessionHeld', {}, { occurredAt: '2025-06-17T17:00:00.000Z' }))
      .then([{ type: 'SessionHeld', data: {} }]);
    spec
      .given([convened, open])
      .when(cmd('RecordSessionHeld', {}, { occurredAt: '2025-06-10T17:00:00.000Z' }))
      .thenRefuses('PLATFORM.OUT_OF_ORDER');
    spec
      .given([convened])
      .when(cmd('RecordSessionHeld', {}, { occurredAt: '2025-06-17T17:00:00.000Z' }))
      .thenRefuses('PLATFORM.SESSION_STATUS', { status: 'planned' });
  });
  it('publishes the outcome of a session held, with a summary, once', () => {
    spec
      .given([convened, open, held])
      .when(cmd('PublishOutcome', { summary: 'Four States presented; six requests lodged' }))
      .then([
        {
          type: 'OutcomePublished',
          data: { summary: 'Four States presented; six requests lodged' },
        },
      ]);
    spec
      .given([convened, open])
      .when(cmd('PublishOutcome', { summary: 'x' }))
      .thenRefuses('PLATFORM.SESSION_STATUS');
    spec
      .given([convened, open, held])
      .when(cmd('PublishOutcome', { summary: '' }))
      .thenRefuses('PLATFORM.INVALID_COMMAND');
    spec
      .given([convened, open, held, { type: 'OutcomePublished', data: { summary: 'done' } }])
      .when(cmd('PublishOutcome', { summary: 'again' }))
      .thenRefuses('PLATFORM.SESSION_STATUS', { status: 'outcome-published' });
  });
  it('takes requests and pledges while registration is open or the session is held, not before or after', () => {
    const at = (history: Given<SessionEvent>[]): SessionState =>
      stateAfter(sessionDecider, history);
    expect(sessionTakes(at([]))).toBe(false);
    expect(sessionTakes(at([convened]))).toBe(false);
    expect(sessionTakes(at([convened, open]))).toBe(true);
    expect(sessionTakes(at([convened, open, held]))).toBe(true);
    expect(
      sessionTakes(
        at([convened, open, held, { type: 'OutcomePublished', data: { summary: 's' } }]),
      ),
    ).toBe(false);
  });
});

describe('presentations', () => {
  it('registers a State’s presentation while registration is open', () =>
    spec
      .given([convened, open])
      .when(present())
      .then([{ type: 'PresentationRegistered', data: presented.data }]));
  it('refuses a presentation before registration opens or once the session is held', () => {
    spec
      .given([convened])
      .when(present())
      .thenRefuses('PLATFORM.SESSION_STATUS', { status: 'planned' });
    spec
      .given([convened, open, held])
      .when(present())
      .thenRefuses('PLATFORM.SESSION_STATUS', { status: 'held' });
  });
  it('takes one presentation of each kind per State', () => {
    spec
      .given([convened, open, presented])
      .when(present({ presentationId: 'p2' }))
      .thenRefuses('PLATFORM.ALREADY_PRESENTING', {
        state: 'MWI',
      });
    spec
      .given([convened, open, presented])
      .when(
        present({
          presentationId: 'p2',
          kind: 'report-back',
          cases: [{ caseId: 'c0', state: 'MWI', firstDeploymentStart: '2023-02-01T00:00:00.000Z' }],
        }),
      )
      .then([
        {
          type: 'PresentationRegistered',
          data: { ...presented.data, presentationId: 'p2', kind: 'report-back', caseIds: ['c0'] },
        },
      ]);
  });
  it('refuses a State that is not a UN member, and a presentation that tells nothing', () => {
    spec
      .given([convened, open])
      .when(present({ state: 'XXX' }))
      .thenRefuses('PLATFORM.UNKNOWN_STATE');
    spec
      .given([convened, open])
      .when(present({ achievements: ' ', challenges: '' }))
      .thenRefuses('PLATFORM.INVALID_COMMAND', { field: 'achievements' });
  });
  it('refuses a recommendation named twice', () =>
    spec
      .given([convened, open])
      .when(
        present({
          recommendations: [
            { reference: 'r1', status: 'implemented' },
            { reference: 'r1', status: 'in-progress' },
          ],
        }),
      )
      .thenRefuses('PLATFORM.INVALID_COMMAND', { field: 'recommendations' }));
  it('links only the presenting State’s own cases', () => {
    spec
      .given([convened, open])
      .when(present({ cases: [{ caseId: 'c9', state: 'FJI', firstDeploymentStart: null }] }))
      .thenRefuses('PLATFORM.CASE_NOT_OF_STATE', { caseId: 'c9', caseState: 'FJI' });
    spec
      .given([convened, open])
      .when(present({ cases: [{ caseId: 'nope', state: null, firstDeploymentStart: null }] }))
      .thenRefuses('PLATFORM.CASE_NOT_OF_STATE', { caseState: null });
  });
  it('takes a report-back only on cases that received an expert before the session began', () => {
    const back = (firstDeploymentStart: string | null) =>
      present({
        kind: 'report-back',
        cases: [{ caseId: 'c0', state: 'MWI', firstDeploymentStart }],
      });
    spec
      .given([convened, open])
      .when(back(null))
      .thenRefuses('PLATFORM.NOTHING_TO_REPORT_BACK', { caseId: 'c0' });
    spec
      .given([convened, open])
      .when(back('2025-06-16T00:00:00.000Z'))
      .thenRefuses('PLATFORM.NOTHING_TO_REPORT_BACK');
    spec
      .given([convened, open])
      .when(present({ kind: 'report-back', cases: [] }))
      .thenRefuses('PLATFORM.INVALID_COMMAND', { field: 'caseIds' });
  });
});
