import {
  caseDecider,
  caseStreamId,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
} from '@keystone/cases';
import {
  DomainError,
  newEventId,
  newId,
  type CommandContext,
  type JsonObject,
  type NewEvent,
} from '@keystone/event-store';
import {
  PROVIDER_REGISTRY_STREAM,
  sessionDecider,
  sessionStreamId,
  type ProviderRegistered,
  type SessionCommand,
  type SessionEvent,
  type SessionState,
} from '@keystone/platform';
import { MEMBER_STATES, memberState } from '@keystone/reference-data';

/**
 * Generates realistic, valid case histories: every event comes out of the real case decider, so the
 * histories obey every rule. Seeded, so a failing run can be replayed.
 */
export interface GeneratedAppend {
  readonly streamId: string;
  readonly events: NewEvent[];
}

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const THEMES = [
  'torture-prevention',
  'womens-rights',
  'rights-of-the-child',
  'business-and-human-rights',
  'nmirf',
  'right-to-adequate-housing',
];
const PROVIDERS = [
  { kind: 'state' as const, id: 'prov:nor', name: 'Norway', state: 'NOR' },
  { kind: 'state' as const, id: 'prov:bra', name: 'Brazil', state: 'BRA' },
  { kind: 'un-entity' as const, id: 'prov:undp', name: 'UNDP' },
  { kind: 'ngo' as const, id: 'prov:apt', name: 'APT' },
];

export interface HistoryOptions {
  readonly seed: number;
  readonly cases: number;
  readonly steps: number;
  readonly start?: string;
  /** The longest gap between two steps; defaults to 36 hours. */
  readonly maxHoursPerStep?: number;
  /** Marks every event as synthetic (metadata.extra.synthetic), for demo data. */
  readonly synthetic?: boolean;
}

export function generateHistory(options: HistoryOptions): GeneratedAppend[] {
  return [...streamHistory(options)];
}

/** The same histories, one append at a time, for logs too large to hold (benchmarks). */
export function* streamHistory(options: HistoryOptions): Generator<GeneratedAppend> {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  let clock = Date.parse(options.start ?? '2024-01-01T00:00:00.000Z');
  // Each case's statuses as last reported: a success story says what its own reports show.
  const cases: { id: string; state: CaseState; region: string; statuses: string[] }[] = [];
  const states = MEMBER_STATES.filter((s) => s.development === 'developing' || random() < 0.1);
  // The providers that offer, registered first as officers would.
  const registeredAt = context(new Date(clock).toISOString());
  yield {
    streamId: PROVIDER_REGISTRY_STREAM,
    events: PROVIDERS.map(({ kind, id, name, ...rest }) =>
      toNew(
        { type: 'ProviderRegistered', data: { providerId: id, kind, name, ...rest } },
        registeredAt,
        options.synthetic ?? false,
      ),
    ),
  };

  const session = demoSession(new Date(clock).getUTCFullYear(), options.synthetic ?? false);

  for (let step = 0; step < options.steps; step++) {
    clock += Math.floor(random() * (options.maxHoursPerStep ?? 36) * 3600_000);
    const at = new Date(clock).toISOString();
    yield* session.until(at);
    const creating =
      cases.length < options.cases &&
      (cases.length === 0 || random() < options.cases / options.steps + 0.05);
    const target = creating
      ? { id: newId(), state: caseDecider.initialState(), region: '', statuses: [] as string[] }
      : pick(cases);
    const command = creating
      ? requestCommand(target.id, pick(states).iso3, pick, at, session.taking())
      : nextCommand(target.state, target.statuses, pick, random, at);
    if (!command) continue;
    let events: CaseEvent[];
    try {
      events = caseDecider.decide(command, target.state);
    } catch (error) {
      if (error instanceof DomainError) continue; // a move the rules refuse: people try those too
      throw error;
    }
    target.state = events.reduce((s, e) => caseDecider.evolve(s, e, at), target.state);
    for (const event of events)
      if (event.type === 'ProgressReported')
        target.statuses = event.data.progress.map((item) => item.status);
    if (creating) cases.push(target);
    yield {
      streamId: caseStreamId(target.id),
      events: events.map((e) => toNew(e, command.context, options.synthetic ?? false)),
    };
    // A request lodged at the session: its State presents there (once), linking it.
    if (command.type === 'RequestAssistance' && command.data.sessionId)
      yield* session.present(command.data.state, target.id, at);
  }
}

/**
 * The year's session of the voluntary platform, as an officer runs it: convened in January, open
 * for registration from 20 February, held on 2–3 March, its outcome published in mid-March.
 * Requests made while it takes them are lodged there, and each State lodging one presents. Every
 * event comes out of the real session decider. Uses no random draw, so the cases stay as they were.
 */
function demoSession(year: number, synthetic: boolean) {
  const sessionId = `demo-session-${year}`;
  let state: SessionState = sessionDecider.initialState();
  let lodged = 0;
  const run = (command: SessionCommand): GeneratedAppend => {
    const events: SessionEvent[] = sessionDecider.decide(command, state);
    const at = command.context.occurredAt;
    state = events.reduce((s, e) => sessionDecider.evolve(s, e, at), state);
    return {
      streamId: sessionStreamId(sessionId),
      events: events.map((e) => toNew(e, command.context, synthetic)),
    };
  };
  const plan: [at: string, command: (at: string) => SessionCommand][] = [
    [
      `${year}-01-12T09:00:00.000Z`,
      (at) => ({
        type: 'ConveneSession',
        data: {
          sessionId,
          title: `Voluntary platform, ${year}: national mechanisms for implementation, reporting and follow-up`,
          themes: ['nmirf', 'recommendation-tracking'],
          startDate: `${year}-03-02`,
          endDate: `${year}-03-03`,
          venue: { mode: 'hybrid', place: 'Palais des Nations, Geneva' },
          coHosts: [{ kind: 'organisation', name: 'UN Development Coordination Office' }],
        },
        context: context(at),
      }),
    ],
    [
      `${year}-02-20T09:00:00.000Z`,
      (at) => ({ type: 'OpenRegistration', data: {}, context: context(at) }),
    ],
    [
      `${year}-03-03T17:00:00.000Z`,
      (at) => ({ type: 'RecordSessionHeld', data: {}, context: context(at) }),
    ],
    [
      `${year}-03-16T09:00:00.000Z`,
      (at) => ({
        type: 'PublishOutcome',
        data: {
          summary: `${state.exists ? state.presenting.length : 0} States presented and ${lodged} requests were lodged.`,
        },
        context: context(at),
      }),
    ],
  ];
  return {
    /** The session's acts due by this moment. */
    *until(at: string): Generator<GeneratedAppend> {
      while (plan.length > 0 && plan[0][0] <= at) {
        const [due, command] = plan.shift()!;
        yield run(command(due));
      }
    },
    /** The session a request made now is lodged at, if it takes requests now. */
    taking(): string | undefined {
      return state.exists && state.status === 'registration-open' ? sessionId : undefined;
    },
    *present(presenting: string, caseId: string, at: string): Generator<GeneratedAppend> {
      lodged++;
      if (!state.exists || state.presenting.includes(`${presenting}/presentation`)) return;
      yield run({
        type: 'RegisterPresentation',
        data: {
          presentationId: newId(),
          state: presenting,
          kind: 'presentation',
          achievements: 'A national mechanism for implementation, reporting and follow-up set up',
          challenges: 'Staff and a budget line for follow-up',
          goodPractices: '',
          lessonsLearnt: '',
          recommendations: [],
          cases: [{ caseId, state: presenting, firstDeploymentStart: null }],
        },
        context: context(at, 'state-focal-point'),
      });
    },
  };
}

/** The SDG targets a theme serves, for the demo's requests (Goal 16 and 5 above all). */
const SDG_BY_THEME: Readonly<Record<string, readonly string[]>> = {
  'torture-prevention': ['16.a', '16.3'],
  'womens-rights': ['5.1', '5.c'],
  'rights-of-the-child': ['16.2', '4.1'],
  'business-and-human-rights': ['8.7', '8.8'],
  nmirf: ['16.6', '17.18'],
  'right-to-adequate-housing': ['11.1'],
};

function context(at: string, role = 'case-officer'): CommandContext {
  return { actor: `${role}:gen`, role, correlationId: newId(), occurredAt: at, now: at };
}

function requestCommand(
  caseId: string,
  state: string,
  pick: <T>(items: readonly T[]) => T,
  at: string,
  sessionId: string | undefined,
): CaseCommand {
  const themes = [pick(THEMES), pick(THEMES)];
  return {
    type: 'RequestAssistance',
    data: {
      caseId,
      state,
      themes,
      sdgTargets: [...new Set(themes.flatMap((theme) => SDG_BY_THEME[theme] ?? []))],
      ...(sessionId ? { sessionId } : {}),
      description: `${memberState(state)?.name ?? state} asks for help to implement the recommendations it accepted`,
      supportSought: pick([
        'Expert advice on draft legislation',
        'Training for the national human rights institution',
        'Setting up a national mechanism for implementation, reporting and follow-up',
        'Peer exchange with a State that did it',
      ]),
      recommendations: [
        { source: 'upr', reference: `UPR-${state}-1`, text: 'Recommendation one' },
        { source: 'treaty-bodies', reference: `TB-${state}-2`, text: 'Recommendation two' },
      ],
    },
    context: context(at, 'state-focal-point'),
  };
}

function nextCommand(
  state: CaseState,
  statuses: readonly string[],
  pick: <T>(items: readonly T[]) => T,
  random: () => number,
  at: string,
): CaseCommand | null {
  if (!state.exists) return null;
  const offers = Object.values(state.offers);
  const deployments = Object.values(state.deployments);
  const reportable = ['not-started', 'in-progress', 'implemented'] as const;
  const reportProgress = (): CaseCommand => ({
    type: 'ReportProgress',
    data: {
      reportId: newId(),
      progress: state.exists
        ? state.recommendations.map((r) => ({
            reference: r.reference,
            status: pick(reportable),
            narrative: 'n',
          }))
        : [],
    },
    context: context(at, 'state-focal-point'),
  });
  const options: (() => CaseCommand)[] = [
    () => ({ type: 'ConfirmConsent', data: {}, context: context(at) }),
    () => ({ type: 'ConfirmConsent', data: {}, context: context(at) }),
    () => ({
      type: 'ScreenRequest',
      data: {
        decision: pick([
          'accepted',
          'accepted',
          'accepted',
          'more-information',
          'declined',
        ] as const),
        reasons: ['Needs detail'],
      },
      context: context(at, 'committee-member'),
    }),
    () => ({
      type: 'MakeOffer',
      data: {
        offerId: newId(),
        provider: pick(PROVIDERS),
        offered: pick([
          'An expert for three months',
          'Two experts for a six-month programme',
          'A peer exchange visit',
          'Training of trainers',
        ]),
        funding: pick(['trust-fund', 'provider', 'in-kind'] as const),
      },
      context: context(at, 'provider'),
    }),
    () => ({
      type: 'MatchOffer',
      data: { offerId: offers.length ? pick(offers).offerId : 'none' },
      context: context(at, 'state-focal-point'),
    }),
    () => ({
      type: 'DeployExpert',
      data: {
        deploymentId: newId(),
        offerId: offers.find((o) => o.status === 'matched')?.offerId ?? 'none',
        expertId: `expert-${Math.floor(random() * 50)}`,
        startDate: at,
        endDate: at,
        funding: 'provider',
        amount: 0,
      },
      context: context(at),
    }),
    reportProgress,
    () => ({
      type: 'RecordReportOverdue',
      data: { deploymentId: deployments.length ? pick(deployments).deploymentId : 'none' },
      context: context(at),
    }),
    // A success is profiled only where the case's last report shows a recommendation implemented,
    // and its summary says how many: never a story its own figures contradict.
    () => {
      const implemented = statuses.filter((status) => status === 'implemented').length;
      if (implemented === 0) return reportProgress();
      return {
        type: 'ProfileSuccess',
        data: {
          panelYear: Number(at.slice(0, 4)),
          summary:
            implemented === statuses.length
              ? `Every linked recommendation (${implemented}) implemented with expert support`
              : `${implemented} of ${statuses.length} linked recommendations implemented with expert support`,
        },
        context: context(at),
      };
    },
    () => ({
      type: 'AmendRequest',
      data: { description: 'Amended' },
      context: context(at, 'state-focal-point'),
    }),
  ];
  if (random() < 0.03)
    return { type: 'WithdrawConsent', data: { reason: 'Review' }, context: context(at) };
  if (random() < 0.02) return { type: 'CloseCase', data: { reason: 'Done' }, context: context(at) };
  return pick(options)();
}

function toNew(
  event: CaseEvent | ProviderRegistered | SessionEvent,
  ctx: CommandContext,
  synthetic: boolean,
): NewEvent {
  return {
    eventId: newEventId(),
    type: event.type,
    data: event.data as unknown as JsonObject,
    metadata: {
      actor: ctx.actor,
      role: ctx.role,
      correlationId: ctx.correlationId,
      occurredAt: ctx.occurredAt,
      ...(synthetic ? { extra: { synthetic: true } } : {}),
    },
  };
}
