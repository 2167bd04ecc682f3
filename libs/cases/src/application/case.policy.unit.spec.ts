import type { Principal } from '@keystone/access';
import type { CaseEvent } from '../domain/case.events';
import { evolveCase, initialCaseState, type CaseState } from '../domain/case.state';
import {
  authorizeCase,
  caseRowScope,
  offeringProvider,
  screeningQueueRegion,
  type CaseAction,
} from './case.policy';

const requested: CaseEvent = {
  type: 'AssistanceRequested',
  data: {
    caseId: 'c1',
    state: 'MWI',
    region: 'african',
    ldc: true,
    sids: false,
    development: 'developing',
    themes: ['torture-prevention'],
    description: 'Set up an NPM',
    supportSought: 'Advice',
    recommendations: [{ source: 'upr', reference: 'r1', text: 't' }],
    reportingPeriodMonths: 12,
  },
};
const offer: CaseEvent = {
  type: 'OfferMade',
  data: {
    offerId: 'o1',
    provider: { kind: 'state', id: 'prov:nor', name: 'Norway', state: 'NOR' },
    offered: 'Experts',
    funding: 'provider',
    direction: 'north-south',
  },
};
const declined: CaseEvent = {
  type: 'RequestScreened',
  data: { decision: 'declined', reasons: ['no'], member: 'm', region: 'african' },
};
const caseOf = (...events: CaseEvent[]): CaseState =>
  events.reduce((s, e) => evolveCase(s, e, '2026-01-10T00:00:00.000Z'), initialCaseState());

const officer: Principal = { subject: 'o', role: 'case-officer' };
const auditor: Principal = { subject: 'a', role: 'auditor' };
const memberAf: Principal = { subject: 'm', role: 'committee-member', region: 'african' };
const memberAsia: Principal = { subject: 'm2', role: 'committee-member', region: 'asia-pacific' };
const focalMwi: Principal = { subject: 'f', role: 'state-focal-point', state: 'MWI' };
const focalZmb: Principal = { subject: 'f2', role: 'state-focal-point', state: 'ZMB' };
const norway: Principal = {
  subject: 'p',
  role: 'provider',
  provider: { id: 'prov:nor', kind: 'state', name: 'Norway', state: 'NOR' },
};
const ngo: Principal = {
  subject: 'p2',
  role: 'provider',
  provider: { id: 'prov:apt', kind: 'ngo', name: 'APT' },
};

const verdict = (p: Principal, action: CaseAction, state: CaseState, target = {}) => {
  const decision = authorizeCase(p, action, state, target);
  return decision.allowed ? 'allowed' : decision.error.code;
};

describe('the case policy', () => {
  const open = caseOf(requested, offer);

  it('holds members to their region and focal points to their State', () => {
    expect(verdict(memberAf, 'ScreenRequest', open)).toBe('allowed');
    expect(verdict(memberAsia, 'ScreenRequest', open)).toBe('ACCESS.DENIED');
    expect(verdict(focalMwi, 'ConfirmConsent', open)).toBe('allowed');
    expect(verdict(focalZmb, 'ConfirmConsent', open)).toBe('ACCESS.DENIED');
    expect(verdict(focalZmb, 'ReadCase', open)).toBe('ACCESS.DENIED');
  });

  it('lets a focal point request support for its own State only', () => {
    const none = initialCaseState();
    expect(verdict(focalMwi, 'RequestAssistance', none, { requestedState: 'mwi' })).toBe('allowed');
    expect(verdict(focalMwi, 'RequestAssistance', none, { requestedState: 'ZMB' })).toBe(
      'ACCESS.DENIED',
    );
    expect(verdict(memberAf, 'RequestAssistance', none, { requestedState: 'MWI' })).toBe(
      'ACCESS.DENIED',
    );
  });

  it('never lets an auditor write, nor anyone record an overdue report by hand', () => {
    expect(verdict(auditor, 'ReadCase', open)).toBe('allowed');
    expect(verdict(auditor, 'ReadCaseEvents', open)).toBe('allowed');
    expect(verdict(auditor, 'CloseCase', open)).toBe('ACCESS.DENIED');
    expect(verdict(officer, 'RecordReportOverdue', open)).toBe('ACCESS.DENIED');
  });

  it('shows providers requests open for offers only, and lets them withdraw only their own offers', () => {
    const consented = caseOf(requested, { type: 'ConsentConfirmed', data: { by: 'f' } }, offer);
    expect(verdict(ngo, 'MakeOffer', consented)).toBe('allowed');
    expect(verdict(ngo, 'ReadCase', consented)).toBe('allowed');
    expect(verdict(ngo, 'ReadCaseEvents', consented)).toBe('ACCESS.DENIED');
    // Not before the State's consent, nor after a decline.
    expect(verdict(ngo, 'ReadCase', open)).toBe('ACCESS.DENIED');
    expect(verdict(ngo, 'MakeOffer', open)).toBe('ACCESS.DENIED');
    expect(verdict(ngo, 'MakeOffer', caseOf(requested, declined))).toBe('ACCESS.DENIED');
    expect(verdict(norway, 'WithdrawOffer', consented, { offerId: 'o1' })).toBe('allowed');
    expect(verdict(ngo, 'WithdrawOffer', consented, { offerId: 'o1' })).toBe('CASE.NOT_YOUR_OFFER');
    expect(verdict(officer, 'WithdrawOffer', open, { offerId: 'o1' })).toBe('allowed');
  });

  it('says whose offer a MakeOffer records', () => {
    const named = { kind: 'ngo' as const, id: 'prov:x', name: 'X' };
    expect(offeringProvider(ngo, undefined)).toEqual({ id: 'prov:apt', kind: 'ngo', name: 'APT' });
    expect(() => offeringProvider(ngo, named)).toThrow(/leave provider out/);
    expect(offeringProvider(officer, named)).toBe(named);
    expect(() => offeringProvider(officer, undefined)).toThrow(/names its provider/);
  });

  it('scopes the lists and the screening queue', () => {
    expect(caseRowScope(memberAf)).toEqual({ region: 'african' });
    expect(caseRowScope(focalMwi)).toEqual({ state: 'MWI' });
    expect(caseRowScope(norway)).toEqual({ openForOffersOnly: true });
    expect(caseRowScope(officer)).toEqual({});
    expect(screeningQueueRegion(memberAf, undefined)).toBe('african');
    expect(() => screeningQueueRegion(memberAf, 'asia-pacific')).toThrow(/queue only/);
    expect(screeningQueueRegion(officer, 'asia-pacific')).toBe('asia-pacific');
  });
});
