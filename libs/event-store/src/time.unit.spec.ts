import { compareInstants, parseDate, parseInstant, parseInstantOrDate } from './time';

describe('the one time parser', () => {
  it('reads an instant with its offset into canonical UTC', () => {
    expect(parseInstant('2026-03-01T12:00:00+05:00')).toBe('2026-03-01T07:00:00.000Z');
    expect(parseInstant('2026-03-01T07:00:00Z')).toBe('2026-03-01T07:00:00.000Z');
    expect(parseInstant('2026-03-01T07:00Z')).toBe('2026-03-01T07:00:00.000Z');
    expect(parseInstant('2026-03-01T07:00:00.123456Z')).toBe('2026-03-01T07:00:00.123Z');
    expect(parseInstant('2025-12-31T23:30:00-01:00')).toBe('2026-01-01T00:30:00.000Z');
  });

  it.each([
    '20260101',
    '2026-W01-1',
    '2026-01-01T10:00,5Z',
    '2026-01-01T10:00:00',
    '2026-01-01',
    '2026-02-30T10:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10:00:00+0500',
    ' 2026-01-01T10:00:00Z',
    '',
  ])('refuses %j as an instant', (value) => expect(parseInstant(value)).toBeNull());

  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 20260101, {}, []]) expect(parseInstant(value)).toBeNull();
  });

  it('reads calendar dates as the start of that day in UTC, and either form where both are allowed', () => {
    expect(parseDate('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
    expect(parseDate('2025-02-29')).toBeNull();
    expect(parseInstantOrDate('2025-12-31')).toBe('2025-12-31T00:00:00.000Z');
    expect(parseInstantOrDate('2025-12-31T10:00:00+02:00')).toBe('2025-12-31T08:00:00.000Z');
    expect(parseInstantOrDate('20251231')).toBeNull();
  });

  it('compares instants as instants, whatever their offsets', () => {
    expect(compareInstants('2026-03-01T12:00:00+05:00', '2026-03-01T07:00:00.000Z')).toBe(0);
    expect(compareInstants('2026-03-01T12:00:00+05:00', '2026-03-01T07:30:00.000Z')).toBeLessThan(
      0,
    );
  });
});
