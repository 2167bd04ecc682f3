import { LogChainWalker, replayLog, type EventStore } from '@keystone/event-store';
import {
  caseIdOf,
  evolveCaseRow,
  evolveSessionRow,
  panelFigures,
  sessionIdOf,
  type CaseRow,
  type SessionRow,
  type PanelFigures,
} from '@keystone/projections';
import { CheckpointBook } from './checkpoint';
import type { ReportProvenance } from './panel-report';
import { fingerprint } from './trusted-keys';

/** The stored log hash at a position, or (KurrentDB keeps none) the chain walked up to it. */
async function logHashAt(store: EventStore, position: number): Promise<string> {
  const stored = await store.logHashAt(position);
  if (stored) return stored;
  const walker = new LogChainWalker(false);
  for await (const event of store.storedEvents()) {
    if (event.globalPosition > position) break;
    walker.step(event);
  }
  return walker.recomputed.logHash;
}

export interface PanelFromLog {
  readonly figures: PanelFigures;
  readonly rows: CaseRow[];
  readonly provenance: ReportProvenance;
}

/**
 * The panel straight from the log, as of a moment (or now): the figures, the rows they came from,
 * and the exact log position, log hash and latest signed checkpoint they were computed at.
 */
export async function panelFromLog(
  store: EventStore,
  year: number,
  asOf: string | null,
  computedAt: Date,
  asOfEffective: string | null = null,
): Promise<PanelFromLog> {
  const rows = new Map<string, CaseRow>();
  const sessions = new Map<string, SessionRow>();
  let logPosition = 0;
  let synthetic = false;
  for await (const event of replayLog(store, { asOf, asOfEffective }, { raw: true })) {
    logPosition = event.globalPosition;
    synthetic ||= event.metadata.extra?.synthetic === true;
    const sessionId = sessionIdOf(event);
    if (sessionId !== null) {
      const session = evolveSessionRow(sessions.get(sessionId), event);
      if (session) sessions.set(sessionId, session);
      continue;
    }
    const key = caseIdOf(event);
    if (key === null) continue;
    const row = evolveCaseRow(rows.get(key), event);
    if (row) rows.set(key, row);
  }
  const all = [...rows.values()];
  const latest = await new CheckpointBook(store).latest(logPosition);
  return {
    figures: panelFigures(all, year, sessions.values()),
    rows: all,
    provenance: {
      asOf,
      asOfEffective,
      computedAt: computedAt.toISOString(),
      logPosition,
      logHash: logPosition === 0 ? null : await logHashAt(store, logPosition),
      checkpoint: latest && {
        logPosition: latest.logPosition,
        logHash: latest.logHash,
        createdAt: latest.createdAt,
        signer: fingerprint(latest.publicKey),
      },
      synthetic,
    },
  };
}
