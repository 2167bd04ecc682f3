import { ThrottlerStorageService } from '@nestjs/throttler';
import { SlidingWindowStorage } from './sliding-window-storage';

/**
 * The constant-time storage answers as @nestjs/throttler's own does, request after request: the
 * same sequences of hits, a minute's window, a limit of 5, blocks of 10 s, run on both with the
 * same clock.
 */
describe('SlidingWindowStorage', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-11-27T10:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  async function both(steps: readonly number[]) {
    const library = new ThrottlerStorageService();
    const ours = new SlidingWindowStorage();
    const answers: [unknown, unknown][] = [];
    try {
      for (const waitMs of steps) {
        jest.setSystemTime(Date.now() + waitMs);
        const a = await library.increment('caller:x', 60_000, 5, 10_000, 'caller');
        const b = await ours.increment('caller:x', 60_000, 5, 10_000, 'caller');
        answers.push([
          { blocked: a.isBlocked, blockFor: a.isBlocked ? a.timeToBlockExpire : 0 },
          { blocked: b.isBlocked, blockFor: b.timeToBlockExpire },
        ]);
      }
    } finally {
      library.onApplicationShutdown();
      ours.close();
    }
    return answers;
  }

  it('blocks the sixth hit of a minute for 10 s, counts nothing while blocked, then starts afresh', async () => {
    const answers = await both([
      0, 1_000, 1_000, 1_000, 1_000, 1_000, 2_000, 3_000, 6_000, 1, 1, 1,
    ]);
    for (const [library, ours] of answers) expect(ours).toEqual(library);
    expect(answers.map(([, ours]) => (ours as { blocked: boolean }).blocked)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('lets hits leave the window as they expire', async () => {
    // Five hits 15 s apart, then one a minute after the first: the first has left the window.
    const answers = await both([0, 15_000, 15_000, 15_000, 15_000, 15_001, 1, 1]);
    for (const [library, ours] of answers) expect(ours).toEqual(library);
    expect(answers.filter(([, ours]) => (ours as { blocked: boolean }).blocked)).toHaveLength(1);
  });

  it('keeps a long window right: hits leave it one by one as they expire', async () => {
    let now = 0;
    const ours = new SlidingWindowStorage(() => now);
    try {
      let blocked = 0;
      for (now = 1; now <= 100_000; now++)
        if ((await ours.increment('address:y', 60_000, 10_000_000, 10_000, 'address')).isBlocked)
          blocked++;
      expect(blocked).toBe(0);
      now = 100_000;
      // One hit a millisecond: those of t = 40,001 … 100,000 are still in the minute's window.
      const last = await ours.increment('address:y', 60_000, 10_000_000, 10_000, 'address');
      expect(last.totalHits).toBe(60_001);
      now = 200_000;
      ours.sweep();
      expect(
        (await ours.increment('address:y', 60_000, 10_000_000, 10_000, 'address')).totalHits,
      ).toBe(1);
    } finally {
      ours.close();
    }
  });
});
