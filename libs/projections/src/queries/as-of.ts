import { replayLog, type AsOf, type EventStore } from '@keystone/event-store';
import { caseIdOf, evolveCaseRow, type CaseRow } from '../cases/case-row';
import { evolveSessionRow, sessionIdOf, type SessionRow } from '../platform/sessions.projection';

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

/** Session rows as of a past moment, replayed the same way as the case rows. */
export async function replaySessionRows(
  store: EventStore,
  at: AsOf,
): Promise<Map<string, SessionRow>> {
  const rows = new Map<string, SessionRow>();
  for await (const event of replayLog(store, at)) {
    const key = sessionIdOf(event);
    if (key === null) continue;
    const row = evolveSessionRow(rows.get(key), event);
    if (row) rows.set(key, row);
  }
  return rows;
}
