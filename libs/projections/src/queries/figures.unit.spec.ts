import type { RecordedEvent } from '@keystone/event-store';
import { evolveCaseRow, type CaseRow } from '../cases/case-row';
import { panelCsv, panelFigures } from './figures';

/** Figures that say what they count: each match in the year it happened, in a column of its own. */
let position = 0;
const event = (type: string, data: object, occurredAt: string): RecordedEvent => ({
  eventId: `e${++position}`,
  type,
  schemaVersion: 1,
  data: data as RecordedEvent['data'],
  metadata: {
    actor: 'a',
    role: 'r',
    correlationId: 'c',
    causationId: null,
    occurredAt,
    recordedAt: '2026-11-27T00:00:00.000Z',
  },
  streamId: 'case-c1',
  streamVersion: position,
  globalPosition: position,
  hash: 'h',
});
const offer = (offerId: string, state: string, direction: string, at: string) =>
  event(
    'OfferMade',
    {
      offerId,
      provider: { kind: 'state', id: `prov:${state}`, name: state, state },
      offered: 'advice',
      funding: 'provider',
      direction,
    },
    at,
  );

function row(events: RecordedEvent[]): CaseRow {
  return events.reduce<CaseRow | undefined>((r, e) => evolveCaseRow(r, e), undefined)!;
}

describe('panel figures', () => {
  const history = [
    event(
      'AssistanceRequested',
      {
        caseId: 'c1',
        state: 'MWI',
        region: 'african',
        ldc: true,
        sids: false,
        development: 'developing',
        themes: ['torture-prevention'],
        description: 'NPM',
        supportSought: 'advice',
        recommendations: [],
        reportingPeriodMonths: 12,
      },
      '2025-03-01T00:00:00.000Z',
    ),
    offer('o1', 'NOR', 'north-south', '2025-04-01T00:00:00.000Z'),
    offer('o2', 'BRA', 'south-south', '2025-05-01T00:00:00.000Z'),
    event('OfferMatched', { offerId: 'o1', matchedBy: 'state' }, '2025-06-01T00:00:00.000Z'),
    event('OfferMatched', { offerId: 'o2', matchedBy: 'state' }, '2026-02-01T00:00:00.000Z'),
  ];

  it('counts each match in the year it happened, not the year of the case’s first match', () => {
    const rows = [row(history)];
    expect(panelFigures(rows, 2025).byDirection).toEqual({ 'north-south': 1 });
    expect(panelFigures(rows, 2026).byDirection).toEqual({ 'south-south': 1 });
    // The case itself reached "matched" once, in 2025.
    expect(panelFigures(rows, 2025).totals.matched).toBe(1);
    expect(panelFigures(rows, 2026).totals.matched).toBe(0);
  });

  it('puts offers matched by direction in a column of their own in the CSV, not in "matched"', () => {
    const csv = panelCsv(panelFigures([row(history)], 2025))
      .trim()
      .split('\n');
    expect(csv[0]).toBe(
      'breakdown,group,received,consented,screened,matched,deployed,reportedOn,profiled,offers_matched',
    );
    expect(csv).toContain('total,all,1,0,0,1,0,0,0,');
    expect(csv).toContain('direction,north-south,,,,,,,,1');
  });
});
