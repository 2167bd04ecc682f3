import type { EventStore, RecordedEvent } from '@keystone/event-store';
import { caseIdOf, evolveCaseRow, type CaseRow } from '../cases/case-row';

/**
 * As of a past moment: the auditors' deliberate exception to "queries read projections". Replays the
 * log into a temporary model, keeping only what Keystone had recorded by `asOf` (system time), or
 * what had taken effect by `asOfEffective` (business time, for acts recorded late). Chosen over
 * bitemporal rows because it needs no second copy of every read model and gives the same answer
 * whatever the read models' own history.
 */
export interface AsOf {
  readonly asOf?: string;
  readonly asOfEffective?: string;
}

export function isVisible(event: RecordedEvent, at: AsOf): boolean {
  if (at.asOf && event.metadata.recordedAt > at.asOf) return false;
  if (at.asOfEffective && event.metadata.occurredAt > at.asOfEffective) return false;
  return true;
}

export async function replayCaseRows(
  store: EventStore,
  at: AsOf,
  batchSize = 5_000,
): Promise<Map<string, CaseRow>> {
  const rows = new Map<string, CaseRow>();
  for (let from = 1; ;) {
    const batch = await store.readAll({ fromPosition: from, limit: batchSize });
    if (batch.length === 0) return rows;
    for (const event of batch) {
      const key = caseIdOf(event);
      if (key === null || !isVisible(event, at)) continue;
      const row = evolveCaseRow(rows.get(key), event);
      if (row) rows.set(key, row);
    }
    from = batch[batch.length - 1].globalPosition + 1;
  }
}

/** One case as of a moment: the fold of its stream's visible events, or null if it did not exist yet. */
export async function caseRowAsOf(
  store: EventStore,
  caseId: string,
  at: AsOf,
): Promise<CaseRow | null> {
  const events = await store.readStream(`case-${caseId}`);
  return (
    events
      .filter((e) => isVisible(e, at))
      .reduce<CaseRow | undefined>((row, event) => evolveCaseRow(row, event), undefined) ?? null
  );
}
