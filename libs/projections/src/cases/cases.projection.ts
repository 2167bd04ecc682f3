import type { DocumentProjection } from '../runner/projection';
import { caseIdOf, evolveCaseRow, type CaseRow } from './case-row';

/** The cases read model: one row per case, with the columns the lists and queues filter on. */
export const casesProjection: DocumentProjection<CaseRow> = {
  name: 'cases',
  keyOf: caseIdOf,
  evolve: evolveCaseRow,
  columns: [
    { name: 'region', type: 'TEXT' },
    { name: 'state', type: 'TEXT' },
    { name: 'stage', type: 'TEXT' },
    { name: 'requested_at', type: 'TEXT' },
    { name: 'overdue', type: 'INTEGER' },
  ],
  columnsOf: (row) => [row.region, row.state, row.stage, row.requestedAt, row.overdue ? 1 : 0],
  partitionedByStream: {
    firstEventType: 'AssistanceRequested',
    streamOf: (caseId) => `case-${caseId}`,
  },
};
