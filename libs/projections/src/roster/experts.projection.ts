import type { RecordedEvent } from '@keystone/event-store';
import type { ExpertEvent, Period } from '@keystone/roster';
import type { DocumentProjection } from '../runner/projection';

/**
 * The roster read model: one row per expert, what may be listed without unsealing anyone's personal
 * data (languages, themes, availability, bookings, erased or not). Names are unsealed per page by
 * the roster's reader, never stored here.
 */
export interface ExpertRow {
  readonly expertId: string;
  readonly languages: readonly string[];
  readonly themes: readonly string[];
  readonly availability: readonly Period[];
  readonly bookings: readonly (Period & { deploymentId: string; caseId: string })[];
  readonly erased: boolean;
  readonly registeredAt: string;
}

const expertIdOf = (event: RecordedEvent): string | null =>
  event.streamId.startsWith('expert-') ? event.streamId.slice('expert-'.length) : null;

export function evolveExpertRow(
  row: ExpertRow | undefined,
  recorded: RecordedEvent,
): ExpertRow | undefined {
  const event = { type: recorded.type, data: recorded.data } as ExpertEvent;
  if (event.type === 'ExpertRegistered')
    return {
      expertId: event.data.expertId,
      languages: event.data.languages,
      themes: event.data.themes,
      availability: [],
      bookings: [],
      erased: false,
      registeredAt: recorded.metadata.occurredAt,
    };
  if (!row) return row;
  switch (event.type) {
    case 'ExpertAvailabilitySet':
      return { ...row, availability: event.data.periods };
    case 'ExpertBooked':
      return {
        ...row,
        bookings: [
          ...row.bookings,
          {
            deploymentId: event.data.deploymentId,
            caseId: event.data.caseId,
            from: event.data.from,
            to: event.data.to,
          },
        ],
      };
    case 'ExpertErased':
      return { ...row, erased: true };
    default:
      return row;
  }
}

export const expertsProjection: DocumentProjection<ExpertRow> = {
  name: 'experts',
  keyOf: expertIdOf,
  evolve: evolveExpertRow,
  columns: [{ name: 'registered_at', type: 'TEXT' }],
  columnsOf: (row) => [row.registeredAt],
  partitionedByStream: {
    firstEventType: 'ExpertRegistered',
    streamOf: (expertId) => `expert-${expertId}`,
  },
};
