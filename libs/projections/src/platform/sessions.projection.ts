import type { RecordedEvent } from '@keystone/event-store';
import type {
  CoHost,
  PresentationRegistered,
  SessionEvent,
  SessionStatus,
  Venue,
} from '@keystone/platform';
import type { DocumentProjection } from '../runner/projection';

/** The sessions read model: one row per platform session, its programme and presentations. */
export interface SessionRow {
  readonly sessionId: string;
  readonly title: string;
  readonly themes: readonly string[];
  readonly startDate: string;
  readonly endDate: string;
  readonly venue: Venue;
  readonly coHosts: readonly CoHost[];
  readonly status: SessionStatus;
  /** Business dates: convened, registration opened, held, outcome published. */
  readonly convenedAt: string;
  readonly registrationOpenedAt: string | null;
  readonly heldAt: string | null;
  readonly outcome: { readonly summary: string; readonly publishedAt: string } | null;
  readonly presentations: readonly (PresentationRegistered['data'] & { registeredAt: string })[];
}

export const sessionIdOf = (event: RecordedEvent): string | null =>
  event.streamId.startsWith('session-') ? event.streamId.slice('session-'.length) : null;

export function evolveSessionRow(
  row: SessionRow | undefined,
  recorded: RecordedEvent,
): SessionRow | undefined {
  const event = { type: recorded.type, data: recorded.data } as SessionEvent;
  const at = recorded.metadata.occurredAt;
  if (event.type === 'SessionConvened')
    return {
      ...event.data,
      status: 'planned',
      convenedAt: at,
      registrationOpenedAt: null,
      heldAt: null,
      outcome: null,
      presentations: [],
    };
  if (!row) return row;
  switch (event.type) {
    case 'RegistrationOpened':
      return { ...row, status: 'registration-open', registrationOpenedAt: at };
    case 'PresentationRegistered':
      return { ...row, presentations: [...row.presentations, { ...event.data, registeredAt: at }] };
    case 'SessionHeld':
      return { ...row, status: 'held', heldAt: at };
    case 'OutcomePublished':
      return {
        ...row,
        status: 'outcome-published',
        outcome: { summary: event.data.summary, publishedAt: at },
      };
    default:
      return row;
  }
}

export const sessionsProjection: DocumentProjection<SessionRow> = {
  name: 'sessions',
  keyOf: sessionIdOf,
  evolve: evolveSessionRow,
  columns: [
    { name: 'start_date', type: 'TEXT' },
    { name: 'status', type: 'TEXT' },
  ],
  columnsOf: (row) => [row.startDate, row.status],
  partitionedByStream: {
    firstEventType: 'SessionConvened',
    streamOf: (sessionId) => `session-${sessionId}`,
  },
};
