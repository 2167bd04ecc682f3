import { replayLog, type EventStore } from '@keystone/event-store';
import {
  caseIdOf,
  evolveCaseRow,
  panelFigures,
  type CaseRow,
  type PanelFigures,
} from '@keystone/projections';
import type { ReportProvenance } from './panel-report';

export interface PanelFromLog {
  readonly figures: PanelFigures;
  readonly rows: CaseRow[];
  readonly provenance: ReportProvenance;
}

/**
 * The panel straight from the log, as of a moment (or now): the figures, the rows they came from,
 * and the exact log position and chain head they were computed at.
 */
export async function panelFromLog(
  store: EventStore,
  year: number,
  asOf: string | null,
  computedAt: Date,
): Promise<PanelFromLog> {
  const rows = new Map<string, CaseRow>();
  let logPosition = 0;
  let chainHead = '';
  let synthetic = false;
  for await (const event of replayLog(store, { asOf }, { raw: true })) {
    logPosition = event.globalPosition;
    chainHead = event.hash;
    synthetic ||= event.metadata.extra?.synthetic === true;
    const key = caseIdOf(event);
    if (key === null) continue;
    const row = evolveCaseRow(rows.get(key), event);
    if (row) rows.set(key, row);
  }
  const all = [...rows.values()];
  return {
    figures: panelFigures(all, year),
    rows: all,
    provenance: { asOf, computedAt: computedAt.toISOString(), logPosition, chainHead, synthetic },
  };
}
