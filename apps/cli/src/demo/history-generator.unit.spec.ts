import type { CaseEvent } from '@keystone/cases';
import { streamHistory } from './history-generator';

describe('the demo history', () => {
  it('profiles a success only where its own last report shows it, and says how many', () => {
    const last = new Map<string, string[]>();
    let stories = 0;
    for (const append of streamHistory({ seed: 2025, cases: 120, steps: 9_000, synthetic: true })) {
      for (const event of append.events) {
        if (event.type === 'ProgressReported') {
          const { progress } = event.data as unknown as Extract<
            CaseEvent,
            { type: 'ProgressReported' }
          >['data'];
          last.set(
            append.streamId,
            progress.map((p) => p.status),
          );
        }
        if (event.type !== 'SuccessProfiled') continue;
        stories++;
        const statuses = last.get(append.streamId) ?? [];
        const implemented = statuses.filter((s) => s === 'implemented').length;
        expect(implemented).toBeGreaterThan(0);
        const { summary } = event.data as { summary: string };
        expect(summary).toBe(
          implemented === statuses.length
            ? `Every linked recommendation (${implemented}) implemented with expert support`
            : `${implemented} of ${statuses.length} linked recommendations implemented with expert support`,
        );
      }
    }
    expect(stories).toBeGreaterThan(5);
  });
});
