import type { StreamAppend } from '@keystone/event-store';
import { streamHistory } from '../demo/history-generator';
import { print, progress, yearOption, type Command } from '../cli-kit';

/**
 * `demo [--year Y]`: a realistic synthetic year of cases (every event from the real case decider),
 * so a newcomer sees every screen filled. Every event is marked synthetic, and the panel says so.
 */
export const demo: Command = async ({ json, values, store }) => {
  const year = yearOption(values, false) ?? new Date().getUTCFullYear() - 1;
  const log = await store();
  let appended = 0;
  let pending: StreamAppend[] = [];
  const flush = async () => {
    if (pending.length) await log.appendMany(pending);
    pending = [];
  };
  for (const append of streamHistory({
    seed: year,
    cases: 120,
    steps: 9_000,
    start: `${year}-01-01T00:00:00.000Z`,
    maxHoursPerStep: 1.9,
    synthetic: true,
  })) {
    if (append.events.some((e) => e.metadata.occurredAt >= `${year + 1}-01-01`)) break;
    if (pending.some((p) => p.streamId === append.streamId) || pending.length >= 200) await flush();
    pending.push({ streamId: append.streamId, events: append.events, expectedVersion: 'any' });
    appended += append.events.length;
    progress(json, `demo: ${appended} synthetic events`);
  }
  await flush();
  if (!json) process.stderr.write('\n');
  return print(json, { year, events: appended, lastPosition: await log.lastPosition() }, (r) =>
    [
      `demo: loaded ${r.events} SYNTHETIC events for ${r.year} (marked synthetic in every event's metadata)`,
      `next: keystone panel --year ${r.year} --format html --out panel.html`,
    ].join('\n'),
  );
};
