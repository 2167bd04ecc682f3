import { replayLog, type AsOf, type EventStore } from '@keystone/event-store';
import { caseIdOf, evolveCaseRow, type CaseRow } from '../cases/case-row';

/**
 * Case rows as of a past moment: the auditors' deliberate exception to "queries read projections".
 * Replays the log through the one as-of module into a temporary model. Chosen over bitemporal rows
 * because it needs no second copy of every read model and gives the same answer whatever the read
 * models' own history.
 */
export async function replayCaseRows(store: EventStore, at: AsOf): Promise<Map<string, CaseRow>> {
  const rows = new Map<string, CaseRow>();
  for await (const event of replayLog(store, at)) {
    const key = caseIdOf(event);
    if (key === null) continue;
    const row = evolveCaseRow(rows.get(key), event);
    if (row) rows.set(key, row);
  }
  return rows;
}
