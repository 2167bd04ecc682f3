import { newEventId } from './event-ids';

describe('newEventId', () => {
  it('makes version 7 UUIDs that sort by their time', () => {
    const earlier = newEventId(1_700_000_000_000);
    const later = newEventId(1_700_000_000_001);
    expect(earlier).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(earlier.slice(0, 13)).toBe('018bcfe5-6800');
    expect(earlier < later).toBe(true);
  });

  it('differs between two ids of the same millisecond', () => {
    expect(newEventId(5)).not.toBe(newEventId(5));
  });
});
