import { deciderSpec, type Given } from '@keystone/event-store/testing/decider-spec';
import type { CommandContext } from '@keystone/event-store';
import type { CaseCommand } from './case.commands';
import type { CaseEvent, Provider } from './case.events';
import { caseDecider } from './case.decider';
import { addMonths } from './case.decide';

const spec = deciderSpec(caseDecider);
const NOW = '2026-06-01T12:00:00.000Z';
const ctx = (over: Partial<CommandContext> = {}): CommandContext => ({
  actor: 'officer:ana',
  role: 'case-officer',
  correlationId: 'corr-1',
  occurredAt: '2026-05-01T00:00:00.000Z',
  now: NOW,
  ...over,
});
const cmd = <T extends CaseCommand['type']>(
  type: T,
  data: Extract<CaseCommand, { type: T }>['data'],
  over: Partial<CommandContext> = {},
) => ({ type, data, context: ctx(over) }) as Extract<CaseCommand, { type: T }>;

const UPR = {
  source: 'upr' as const,
  reference: 'A/HRC/53/10, 121.4',
  text: 'Establish a national preventive mechanism',
};
const requested: Given<CaseEvent> = {
  type: 'AssistanceRequested',
  at: '2026-01-10T00:00:00.000Z',
  data: {
    caseId: 'c1',
    state: 'MWI',
    region: 'african',
    ldc: true,
    sids: false,
    development: 'developing',
    themes: ['torture-prevention'],
    description: 'Set up an NPM',
    supportSought: 'Expert advice on the NPM law',
    recommendations: [UPR],
    reportingPeriodMonths: 12,
  },
};
const consented: Given<CaseEvent> = { type: 'ConsentConfirmed', data: { by: 'focal:mwi' } };
const accepted: Given<CaseEvent> = {
  type: 'RequestScreened',
  data: { decision: 'accepted', reasons: [], member: 'member:af', region: 'african' },
};
const offer: Given<CaseEvent> = {
  type: 'OfferMade',
  data: {
    offerId: 'o1',
    provider: { kind: 'state', id: 'prov:nor', name: 'Norway', state: 'NOR' },
    offered: 'Two experts for six months',
    funding: 'trust-fund',
    direction: 'north-south',
  },
};
const matched: Given<CaseEvent> = {
  type: 'OfferMatched',
  data: { offerId: 'o1', matchedBy: 'state' },
};
const deployed: Given<CaseEvent> = {
  type: 'ExpertDeployed',
  data: {
    deploymentId: 'd1',
    offerId: 'o1',
    expertId: 'e1',
    startDate: '2025-02-01T00:00:00.000Z',
    endDate: '2025-08-01T00:00:00.000Z',
    funding: 'trust-fund',
    amount: 20000,
    reportDueAt: '2026-02-01T00:00:00.000Z',
  },
};
const reported: Given<CaseEvent> = {
  type: 'ProgressReported',
  data: {
    reportId: 'r1',
    progress: [{ reference: UPR.reference, status: 'in-progress', narrative: 'Draft law tabled' }],
  },
};
const ready = [requested, consented, accepted, offer];

describe('requesting assistance', () => {
  const request = (
    over: Partial<Extract<CaseCommand, { type: 'RequestAssistance' }>['data']> = {},
  ) =>
    cmd(
      'RequestAssistance',
      {
        caseId: 'c1',
        state: 'mwi',
        themes: ['Torture prevention'],
        description: 'Set up an NPM',
        supportSought: 'Expert advice on the NPM law',
        recommendations: [UPR],
        ...over,
      },
      { occurredAt: '2026-01-10T00:00:00.000Z' },
    );

  it('records the request with the region and flags of the requesting State', () => {
    const { at: _at, ...event } = requested;
    spec
      .given([])
      .when(request())
      .then([event as CaseEvent]);
  });
  it('records the LDC flag in force on the business date, not today', () => {
    const flagsOf = (state: string, occurredAt: string) => {
      const events = caseDecider.decide(
        { ...request({ state }), context: ctx({ occurredAt, now: '2026-11-27T12:00:00.000Z' }) },
        caseDecider.initialState(),
      );
      const { ldc, sids } = events[0].data as { ldc: boolean; sids: boolean };
      return { ldc, sids };
    };
    // Bhutan graduated in December 2023: its request of 2020 was an LDC's.
    expect(flagsOf('BTN', '2020-03-15T00:00:00.000Z')).toEqual({ ldc: true, sids: false });
    expect(flagsOf('BTN', '2024-02-01T00:00:00.000Z')).toEqual({ ldc: false, sids: false });
    // Bangladesh was scheduled to graduate on 24 November 2026.
    expect(flagsOf('BGD', '2026-11-23T23:00:00.000Z').ldc).toBe(true);
    expect(flagsOf('BGD', '2026-11-25T09:00:00.000Z').ldc).toBe(false);
    // Sao Tome and Principe: an LDC until 13 December 2024, a SIDS throughout.
    expect(flagsOf('STP', '2024-06-01T00:00:00.000Z')).toEqual({ ldc: true, sids: true });
  });
  it('resolves the themes named to the vocabulary: two spellings of one theme are one theme', () => {
    const events = caseDecider.decide(
      request({ themes: ['NHRI', 'National human rights institutions (NHRIs)', 'npm'] }),
      caseDecider.initialState(),
    );
    expect((events[0].data as { themes: string[] }).themes).toEqual([
      'national-human-rights-institutions',
      'torture-prevention',
    ]);
  });
  it('refuses a State that is not a UN member', () =>
    spec
      .given([])
      .when(request({ state: 'XKX' }))
      .thenRefuses('CASE.UNKNOWN_STATE', /XKX/));
  it('refuses a request without themes or recommendations', () => {
    spec
      .given([])
      .when(request({ themes: [] }))
      .thenRefuses('CASE.INVALID_COMMAND', /theme/);
    spec
      .given([])
      .when(request({ recommendations: [] }))
      .thenRefuses('CASE.INVALID_COMMAND', /recommendation/);
  });
  it('refuses a second request under the same case id', () =>
    spec.given([requested]).when(request()).thenRefuses('CASE.ALREADY_EXISTS'));
  it('refuses a business date in the future', () =>
    spec
      .given([])
      .when({ ...request(), context: ctx({ occurredAt: '2026-07-01T00:00:00.000Z' }) })
      .thenRefuses('CASE.OCCURRED_IN_FUTURE'));
});

describe('consent', () => {
  it('is given, withdrawn and given again', () => {
    spec
      .given([requested])
      .when(cmd('ConfirmConsent', {}, { actor: 'focal:mwi' }))
      .then([{ type: 'ConsentConfirmed', data: { by: 'focal:mwi' } }]);
    spec
      .given([requested, consented])
      .when(cmd('WithdrawConsent', { reason: 'new government' }))
      .then([{ type: 'ConsentWithdrawn', data: { by: 'officer:ana', reason: 'new government' } }]);
    spec
      .given([requested, consented, { type: 'ConsentWithdrawn', data: { by: 'x', reason: 'r' } }])
      .when(cmd('ConfirmConsent', {}))
      .then([{ type: 'ConsentConfirmed', data: { by: 'officer:ana' } }]);
  });
  it('refuses consent twice, and a withdrawal of consent never given', () => {
    spec
      .given([requested, consented])
      .when(cmd('ConfirmConsent', {}))
      .thenRefuses('CASE.CONSENT_ALREADY_GIVEN');
    spec
      .given([requested])
      .when(cmd('WithdrawConsent', { reason: 'r' }))
      .thenRefuses('CASE.CONSENT_NOT_GIVEN');
  });
  it('refuses a date before the case began', () =>
    spec
      .given([requested])
      .when(cmd('ConfirmConsent', {}, { occurredAt: '2025-12-31T00:00:00.000Z' }))
      .thenRefuses('CASE.OCCURRED_BEFORE_REQUEST'));
});

describe('screening', () => {
  const screen = (decision: 'accepted' | 'more-information' | 'declined', reasons: string[] = []) =>
    cmd('ScreenRequest', { decision, reasons }, { actor: 'member:af', role: 'committee-member' });

  it('accepts a consented request of the member region', () =>
    spec
      .given([requested, consented])
      .when(screen('accepted'))
      .then([
        {
          type: 'RequestScreened',
          data: { decision: 'accepted', reasons: [], member: 'member:af', region: 'african' },
        },
      ]));
  // A member of another region is the case policy's to refuse (case.policy.unit.spec.ts).
  it('refuses to screen before consent', () =>
    spec.given([requested]).when(screen('accepted')).thenRefuses('CASE.CONSENT_REQUIRED'));
  it('needs reasons to decline or ask for more', () => {
    spec
      .given([requested, consented])
      .when(screen('declined'))
      .thenRefuses('CASE.REASONS_REQUIRED');
    spec
      .given([requested, consented])
      .when(screen('more-information', [' ']))
      .thenRefuses('CASE.REASONS_REQUIRED');
  });
  it('screens once, and again after an amendment of a declined request', () => {
    const declined: Given<CaseEvent> = {
      type: 'RequestScreened',
      data: {
        decision: 'declined',
        reasons: ['out of scope'],
        member: 'member:af',
        region: 'african',
      },
    };
    spec
      .given([requested, consented, declined])
      .when(screen('accepted'))
      .thenRefuses('CASE.NOT_AWAITING_SCREENING');
    spec
      .given([requested, consented, declined])
      .when(cmd('AmendRequest', { description: 'Narrowed to the NPM law' }))
      .then([
        {
          type: 'RequestAmended',
          data: { description: 'Narrowed to the NPM law', resubmitted: true },
        },
      ]);
    const amended: Given<CaseEvent> = {
      type: 'RequestAmended',
      data: { description: 'Narrowed', resubmitted: true },
    };
    spec
      .given([requested, consented, declined, amended])
      .when(screen('accepted'))
      .then([
        {
          type: 'RequestScreened',
          data: { decision: 'accepted', reasons: [], member: 'member:af', region: 'african' },
        },
      ]);
  });
});

describe('offers and matching', () => {
  const make = cmd('MakeOffer', {
    offerId: 'o2',
    provider: { kind: 'state', id: 'prov:bra', name: 'Brazil', state: 'BRA' },
    offered: 'Peer exchange',
    funding: 'provider',
  });
  it('takes offers once a request is registered, deriving the direction of cooperation', () =>
    spec
      .given([requested])
      .when(make)
      .then([
        {
          type: 'OfferMade',
          data: {
            offerId: 'o2',
            provider: make.data.provider,
            offered: 'Peer exchange',
            funding: 'provider',
            direction: 'south-south',
          },
        },
      ]));
  it('refuses a duplicate offer id and an unknown providing State', () => {
    spec
      .given([requested, offer])
      .when(cmd('MakeOffer', { ...make.data, offerId: 'o1' }))
      .thenRefuses('CASE.OFFER_EXISTS');
    spec
      .given([requested])
      .when(
        cmd('MakeOffer', {
          ...make.data,
          provider: { kind: 'state', id: 'p', name: 'X', state: 'ZZZ' },
        }),
      )
      .thenRefuses('CASE.UNKNOWN_STATE');
  });
  it('matches an open offer once consent stands and screening accepted', () =>
    spec
      .given(ready)
      .when(cmd('MatchOffer', { offerId: 'o1' }, { role: 'state-focal-point' }))
      .then([{ type: 'OfferMatched', data: { offerId: 'o1', matchedBy: 'state' } }]));
  it('refuses to match without consent, while suspended, or before acceptance', () => {
    spec
      .given([requested, offer])
      .when(cmd('MatchOffer', { offerId: 'o1' }))
      .thenRefuses('CASE.CONSENT_REQUIRED');
    spec
      .given([...ready, { type: 'ConsentWithdrawn', data: { by: 'f', reason: 'r' } }])
      .when(cmd('MatchOffer', { offerId: 'o1' }))
      .thenRefuses('CASE.CONSENT_REQUIRED');
    spec
      .given([requested, consented, offer])
      .when(cmd('MatchOffer', { offerId: 'o1' }))
      .thenRefuses('CASE.SCREENING_NOT_ACCEPTED');
  });
  it('refuses to match a withdrawn or unknown offer', () => {
    spec
      .given([...ready, { type: 'OfferWithdrawn', data: { offerId: 'o1', reason: 'r' } }])
      .when(cmd('MatchOffer', { offerId: 'o1' }))
      .thenRefuses('CASE.OFFER_NOT_OPEN');
    spec
      .given(ready)
      .when(cmd('MatchOffer', { offerId: 'nope' }))
      .thenRefuses('CASE.OFFER_NOT_FOUND');
  });
  it('withdraws an open offer (only its provider may: the case policy checks that)', () =>
    spec
      .given(ready)
      .when(cmd('WithdrawOffer', { offerId: 'o1', reason: 'budget cut' }))
      .then([{ type: 'OfferWithdrawn', data: { offerId: 'o1', reason: 'budget cut' } }]));
  it('refuses an amendment once an offer is matched', () =>
    spec
      .given([...ready, matched])
      .when(cmd('AmendRequest', { description: 'x' }))
      .thenRefuses('CASE.AMENDMENT_AFTER_MATCH'));
});

describe('deployment', () => {
  const deploy = (over: Partial<Extract<CaseCommand, { type: 'DeployExpert' }>['data']> = {}) =>
    cmd('DeployExpert', {
      deploymentId: 'd1',
      offerId: 'o1',
      expertId: 'e1',
      startDate: '2026-02-01',
      endDate: '2026-08-01',
      funding: 'trust-fund',
      amount: 20000,
      ...over,
    });

  it('deploys on a matched offer, the report falling due a reporting period after the start', () =>
    spec
      .given([...ready, matched])
      .when(deploy())
      .then([
        {
          type: 'ExpertDeployed',
          data: {
            deploymentId: 'd1',
            offerId: 'o1',
            expertId: 'e1',
            startDate: '2026-02-01T00:00:00.000Z',
            endDate: '2026-08-01T00:00:00.000Z',
            funding: 'trust-fund',
            amount: 20000,
            reportDueAt: '2027-02-01T00:00:00.000Z',
          },
        },
      ]));
  it('refuses an unmatched offer, a suspended case, bad dates and a trust-fund deployment without an amount', () => {
    spec.given(ready).when(deploy()).thenRefuses('CASE.OFFER_NOT_MATCHED');
    spec
      .given([...ready, matched, { type: 'ConsentWithdrawn', data: { by: 'f', reason: 'r' } }])
      .when(deploy())
      .thenRefuses('CASE.CONSENT_REQUIRED');
    spec
      .given([...ready, matched])
      .when(deploy({ endDate: '2026-01-01' }))
      .thenRefuses('CASE.INVALID_COMMAND', /endDate/);
    spec
      .given([...ready, matched])
      .when(deploy({ amount: 0 }))
      .thenRefuses('CASE.INVALID_COMMAND', /amount/);
  });
  it('adds calendar months, clamping to the month end', () => {
    expect(addMonths(new Date('2026-01-31T00:00:00Z'), 1).toISOString()).toBe(
      '2026-02-28T00:00:00.000Z',
    );
    expect(addMonths(new Date('2024-02-29T10:00:00Z'), 12).toISOString()).toBe(
      '2025-02-28T10:00:00.000Z',
    );
  });
});

describe('progress, overdue, success and closure', () => {
  const history = [...ready, matched, deployed];
  it('takes a report on the linked recommendations only, once something is deployed', () => {
    spec
      .given(history)
      .when(cmd('ReportProgress', reported.data as never))
      .then([{ type: 'ProgressReported', data: reported.data } as CaseEvent]);
    spec
      .given([...ready, matched])
      .when(cmd('ReportProgress', reported.data as never))
      .thenRefuses('CASE.NOTHING_DEPLOYED');
    spec
      .given(history)
      .when(
        cmd('ReportProgress', {
          reportId: 'r',
          progress: [{ reference: 'CRC/C/1', status: 'implemented', narrative: 'n' }],
        }),
      )
      .thenRefuses('CASE.UNKNOWN_RECOMMENDATION');
  });
  it('records an overdue report once, only after its due date and only when none came in', () => {
    const overdue = cmd('RecordReportOverdue', { deploymentId: 'd1' });
    spec
      .given(history)
      .when(overdue)
      .then([
        {
          type: 'ProgressReportOverdue',
          data: { deploymentId: 'd1', dueAt: '2026-02-01T00:00:00.000Z' },
        },
      ]);
    spec
      .given([
        ...history,
        { type: 'ProgressReportOverdue', data: { deploymentId: 'd1', dueAt: 'x' } },
      ])
      .when(overdue)
      .thenRefuses('CASE.OVERDUE_ALREADY_RECORDED');
    spec
      .given([...history, reported])
      .when(overdue)
      .thenRefuses('CASE.REPORT_NOT_OVERDUE');
    spec
      .given(history)
      .when({
        ...overdue,
        context: ctx({ now: '2026-01-31T00:00:00.000Z', occurredAt: '2026-01-31T00:00:00.000Z' }),
      })
      .thenRefuses('CASE.REPORT_NOT_OVERDUE');
  });
  it('profiles success once a year, only with a progress report', () => {
    const profile = cmd('ProfileSuccess', { panelYear: 2026, summary: 'NPM law adopted' });
    spec
      .given([...history, reported])
      .when(profile)
      .then([{ type: 'SuccessProfiled', data: { panelYear: 2026, summary: 'NPM law adopted' } }]);
    spec.given(history).when(profile).thenRefuses('CASE.PROGRESS_REPORT_REQUIRED');
    spec
      .given([
        ...history,
        reported,
        { type: 'SuccessProfiled', data: { panelYear: 2026, summary: 's' } },
      ])
      .when(profile)
      .thenRefuses('CASE.ALREADY_PROFILED');
  });
  it('takes no more commands once closed', () => {
    const closed: Given<CaseEvent> = { type: 'CaseClosed', data: { reason: 'completed' } };
    spec
      .given([...history, closed])
      .when(cmd('ReportProgress', reported.data as never))
      .thenRefuses('CASE.CLOSED');
    spec.given([requested, closed]).when(cmd('ConfirmConsent', {})).thenRefuses('CASE.CLOSED');
    spec
      .given([requested])
      .when(cmd('CloseCase', { reason: 'withdrawn by the State' }))
      .then([{ type: 'CaseClosed', data: { reason: 'withdrawn by the State' } }]);
  });
  it('refuses a command on a case that does not exist', () =>
    spec.given([]).when(cmd('ConfirmConsent', {})).thenRefuses('CASE.NOT_FOUND'));
});

describe('business dates in causal order', () => {
  const on = (date: string) => ({ occurredAt: `${date}T00:00:00.000Z` });
  const consentedOn = { ...consented, at: '2026-03-01T00:00:00.000Z' };
  const screenedOn = { ...accepted, at: '2026-03-10T00:00:00.000Z' };
  const offeredOn = { ...offer, at: '2026-03-20T00:00:00.000Z' };
  const matchedOn = { ...matched, at: '2026-04-01T00:00:00.000Z' };
  const screen = (occurredAt: string) =>
    cmd(
      'ScreenRequest',
      { decision: 'accepted', reasons: [] },
      { actor: 'member:af', role: 'committee-member', ...on(occurredAt) },
    );

  it('refuses a screening dated before the consent, naming both dates; takes one on the day', () => {
    spec
      .given([requested, consentedOn])
      .when(screen('2026-02-15'))
      .thenRefuses('CASE.OUT_OF_ORDER', {
        occurredAt: '2026-02-15T00:00:00.000Z',
        prerequisite: 'the consent',
        prerequisiteAt: '2026-03-01T00:00:00.000Z',
      });
    spec
      .given([requested, consentedOn])
      .when(screen('2026-03-01'))
      .then([
        {
          type: 'RequestScreened',
          data: { decision: 'accepted', reasons: [], member: 'member:af', region: 'african' },
        },
      ]);
  });

  it('refuses an offer before the screening, and a match or withdrawal before the offer', () => {
    spec
      .given([requested, consentedOn, screenedOn])
      .when(
        cmd(
          'MakeOffer',
          {
            offerId: 'o9',
            provider: { kind: 'ngo', id: 'prov:apt', name: 'APT' },
            offered: 'Advice',
            funding: 'provider',
          },
          on('2026-03-05'),
        ),
      )
      .thenRefuses('CASE.OUT_OF_ORDER', { prerequisite: 'the screening' });
    spec
      .given([requested, consentedOn, screenedOn, offeredOn])
      .when(cmd('MatchOffer', { offerId: 'o1' }, on('2026-03-15')))
      .thenRefuses('CASE.OUT_OF_ORDER', {
        prerequisite: 'offer o1',
        prerequisiteAt: '2026-03-20T00:00:00.000Z',
      });
    spec
      .given([requested, consentedOn, screenedOn, offeredOn])
      .when(cmd('WithdrawOffer', { offerId: 'o1', reason: 'r' }, on('2026-03-19')))
      .thenRefuses('CASE.OUT_OF_ORDER');
  });

  it('refuses a deployment dated before its match, or starting before the case began', () => {
    const deployment = {
      deploymentId: 'd1',
      offerId: 'o1',
      expertId: 'e1',
      startDate: '2026-04-10',
      endDate: '2026-08-01',
      funding: 'provider' as const,
      amount: 0,
    };
    spec
      .given([requested, consentedOn, screenedOn, offeredOn, matchedOn])
      .when(cmd('DeployExpert', deployment, on('2026-03-25')))
      .thenRefuses('CASE.OUT_OF_ORDER', { prerequisite: 'the match of offer o1' });
    spec
      .given([requested, consentedOn, screenedOn, offeredOn, matchedOn])
      .when(cmd('DeployExpert', { ...deployment, startDate: '2024-01-01' }, on('2026-04-05')))
      .thenRefuses('CASE.OUT_OF_ORDER', {
        occurredAt: '2024-01-01',
        prerequisite: 'the request',
        prerequisiteAt: '2026-01-10',
      });
  });
});

describe('who provides', () => {
  it('refuses a State providing assistance to itself, as South-South or any direction', () =>
    spec
      .given([requested])
      .when(
        cmd('MakeOffer', {
          offerId: 'o3',
          provider: { kind: 'state', id: 'prov:mwi', name: 'Malawi', state: 'mwi' },
          offered: 'Our own ministry',
          funding: 'provider',
        }),
      )
      .thenRefuses('CASE.SELF_ASSISTANCE', { state: 'MWI' }));
});

describe('the platform’s additions to a case', () => {
  const request = (over: Partial<Extract<CaseCommand, { type: 'RequestAssistance' }>['data']>) =>
    caseDecider.decide(
      cmd(
        'RequestAssistance',
        {
          caseId: 'c1',
          state: 'FJI',
          themes: ['torture-prevention'],
          description: 'd',
          supportSought: 's',
          recommendations: [UPR],
          ...over,
        },
        { occurredAt: '2026-01-10T00:00:00.000Z' },
      ),
      caseDecider.initialState(),
    )[0].data as Record<string, unknown>;

  it('records the session a request is lodged at and the SDG targets it serves, by their official codes', () => {
    const data = request({ sessionId: 's1', sdgTargets: ['16.3', ' 5.C ', '16.3'] });
    expect(data).toMatchObject({ sessionId: 's1', sdgTargets: ['16.3', '5.c'] });
  });
  it('refuses a target that is not an SDG target', () =>
    spec
      .given([])
      .when(
        cmd('RequestAssistance', {
          caseId: 'c1',
          state: 'FJI',
          themes: ['torture-prevention'],
          description: 'd',
          supportSought: 's',
          recommendations: [UPR],
          sdgTargets: ['16.11'],
        }),
      )
      .thenRefuses('CASE.UNKNOWN_SDG_TARGET', { target: '16.11' }));
  it('takes a request not tied to a recommendation only when it says so, and then with none linked', () => {
    expect(request({ recommendations: [], notTiedToRecommendation: true })).toMatchObject({
      recommendations: [],
      notTiedToRecommendation: true,
    });
    expect(() => request({ recommendations: [] })).toThrow(/notTiedToRecommendation/);
    expect(() => request({ notTiedToRecommendation: true })).toThrow(/links none/);
  });
  it('takes a progress report on a request not tied to a recommendation as a narrative', () => {
    const untied = {
      ...requested,
      data: { ...(requested.data as object), recommendations: [], notTiedToRecommendation: true },
    } as unknown as Given<CaseEvent>;
    const history = [untied, consented, accepted, offer, matched, deployed];
    spec
      .given(history)
      .when(
        cmd('ReportProgress', { reportId: 'r1', progress: [], narrative: ' A budget line voted ' }),
      )
      .then([
        {
          type: 'ProgressReported',
          data: { reportId: 'r1', progress: [], narrative: 'A budget line voted' },
        },
      ]);
    spec
      .given(history)
      .when(cmd('ReportProgress', { reportId: 'r1', progress: [] }))
      .thenRefuses('CASE.INVALID_COMMAND', { field: 'narrative' });
    spec
      .given([requested, consented, accepted, offer, matched, deployed])
      .when(cmd('ReportProgress', { reportId: 'r1', progress: [], narrative: 'words only' }))
      .thenRefuses('CASE.INVALID_COMMAND');
  });
  it('records a joint offer with each co-provider’s own direction of cooperation', () =>
    spec
      .given([requested, consented, accepted])
      .when(
        cmd('MakeOffer', {
          offerId: 'o9',
          provider: { kind: 'state', id: 'prov:nor', name: 'Norway', state: 'NOR' },
          coProviders: [
            { kind: 'state', id: 'prov:bra', name: 'Brazil', state: 'bra' },
            { kind: 'regional-organisation', id: 'prov:au', name: 'African Union' },
            { kind: 'nhri', id: 'nhri:ken', name: 'KNCHR', state: 'KEN' },
          ],
          offered: 'A joint mission',
          funding: 'provider',
          sessionId: 's1',
        }),
      )
      .then([
        {
          type: 'OfferMade',
          data: {
            offerId: 'o9',
            provider: { kind: 'state', id: 'prov:nor', name: 'Norway', state: 'NOR' },
            offered: 'A joint mission',
            funding: 'provider',
            direction: 'north-south',
            coProviders: [
              {
                kind: 'state',
                id: 'prov:bra',
                name: 'Brazil',
                state: 'BRA',
                direction: 'south-south',
              },
              {
                kind: 'regional-organisation',
                id: 'prov:au',
                name: 'African Union',
                direction: 'multilateral',
              },
              {
                kind: 'nhri',
                id: 'nhri:ken',
                name: 'KNCHR',
                state: 'KEN',
                direction: 'peer-institution',
              },
            ],
            sessionId: 's1',
          },
        },
      ]));
  it('refuses a joint offer naming the requesting State, or one provider twice', () => {
    const joint = (coProviders: Provider[]) =>
      cmd('MakeOffer', {
        offerId: 'o9',
        provider: { kind: 'state', id: 'prov:nor', name: 'Norway', state: 'NOR' },
        coProviders,
        offered: 'A joint mission',
        funding: 'provider',
      });
    spec
      .given([requested, consented, accepted])
      .when(joint([{ kind: 'state', id: 'prov:mwi', name: 'Malawi', state: 'MWI' }]))
      .thenRefuses('CASE.SELF_ASSISTANCE', { state: 'MWI' });
    spec
      .given([requested, consented, accepted])
      .when(joint([{ kind: 'ngo', id: 'prov:nor', name: 'Norway again' }]))
      .thenRefuses('CASE.INVALID_COMMAND');
  });
});
