import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What the read-model routes answer, for the OpenAPI document and the web app's generated client. */
const STAGE_EXAMPLE = 'awaiting-screening';
const OBJECT = { type: 'object', additionalProperties: true } as const;

export class CaseRowView {
  @ApiProperty() caseId!: string;
  @ApiProperty({ example: 'MWI' }) state!: string;
  @ApiProperty({ example: 'Malawi' }) stateName!: string;
  @ApiProperty({ example: 'african' }) region!: string;
  @ApiProperty() ldc!: boolean;
  @ApiProperty() sids!: boolean;
  @ApiProperty({ type: [String] }) themes!: string[];
  @ApiProperty() description!: string;
  @ApiProperty() supportSought!: string;
  @ApiProperty({ example: STAGE_EXAMPLE }) stage!: string;
  @ApiProperty({ enum: ['pending', 'given', 'withdrawn'] }) consent!: string;
  @ApiProperty({ enum: ['awaiting', 'accepted', 'more-information', 'declined'] })
  screening!: string;
  @ApiProperty() requestedAt!: string;
  @ApiProperty({ nullable: true, type: String }) matchedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ type: 'array', items: OBJECT }) offers!: Record<string, unknown>[];
  @ApiProperty({ type: 'array', items: OBJECT }) deployments!: Record<string, unknown>[];
  @ApiProperty({ type: 'array', items: OBJECT }) reports!: Record<string, unknown>[];
  @ApiProperty() overdue!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty() position!: number;
}

export class CaseListView {
  @ApiProperty({ type: [CaseRowView] }) items!: CaseRowView[];
  @ApiProperty() total!: number;
  @ApiProperty() offset!: number;
  @ApiProperty() limit!: number;
}

export class WaitingOnView {
  @ApiProperty({ description: 'Consent, more information, or an overdue report' }) state!: number;
  @ApiProperty({ description: 'Screening' }) committee!: number;
  @ApiProperty({ description: 'Offers' }) providers!: number;
  @ApiProperty({ description: 'Deployment of a matched offer' }) officers!: number;
}

export class DashboardView {
  @ApiProperty() total!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  byStage!: Record<string, number>;
  @ApiProperty() overdue!: number;
  @ApiProperty({ type: WaitingOnView }) waitingOn!: WaitingOnView;
}

export class QueueEntryView {
  @ApiProperty() caseId!: string;
  @ApiProperty() state!: string;
  @ApiProperty() stateName!: string;
  @ApiProperty() region!: string;
  @ApiProperty({ example: STAGE_EXAMPLE }) stage!: string;
  @ApiProperty({ description: 'Since when it waits for the committee' }) waitingSince!: string;
  @ApiProperty() waitingDays!: number;
  @ApiProperty({ type: [String] }) themes!: string[];
}

export class ScreeningQueueView {
  @ApiProperty({ nullable: true, type: String, description: 'null: every region' })
  region!: string | null;
  @ApiProperty({ type: [QueueEntryView] }) requests!: QueueEntryView[];
}

export class BoardOfferView {
  @ApiProperty() offerId!: string;
  @ApiProperty() provider!: string;
  @ApiProperty() direction!: string;
  @ApiProperty() funding!: string;
}

export class BoardEntryView {
  @ApiProperty() caseId!: string;
  @ApiProperty() state!: string;
  @ApiProperty() stateName!: string;
  @ApiProperty() stage!: string;
  @ApiProperty({ type: [BoardOfferView] }) offers!: BoardOfferView[];
  @ApiPropertyOptional({ description: 'For a provider: the open offers of others, as a count' })
  otherOpenOffers?: number;
}

/** The funnel's counts, at each step. */
export class CountsView {
  @ApiProperty() received!: number;
  @ApiProperty() consented!: number;
  @ApiProperty() screened!: number;
  @ApiProperty() matched!: number;
  @ApiProperty() deployed!: number;
  @ApiProperty() reportedOn!: number;
  @ApiProperty() profiled!: number;
}

const COUNTS_BY_KEY = {
  type: 'object',
  additionalProperties: { $ref: '#/components/schemas/CountsView' },
} as const;

export class SuccessStoryView {
  @ApiProperty() stateName!: string;
  @ApiProperty() region!: string;
  @ApiProperty({ type: [String] }) themes!: string[];
  @ApiProperty({ type: [String] }) providers!: string[];
  @ApiProperty() summary!: string;
}

export class PublicPanelView {
  @ApiProperty() year!: number;
  @ApiProperty({ type: CountsView }) totals!: CountsView;
  @ApiProperty(COUNTS_BY_KEY) byRegion!: Record<string, CountsView>;
  @ApiProperty({ type: [SuccessStoryView] }) successStories!: SuccessStoryView[];
  @ApiProperty() computedAt!: string;
}

export class PanelView {
  @ApiProperty() year!: number;
  @ApiProperty({ type: CountsView }) totals!: CountsView;
  @ApiProperty(COUNTS_BY_KEY) byRegion!: Record<string, CountsView>;
  @ApiProperty(COUNTS_BY_KEY) byTheme!: Record<string, CountsView>;
  @ApiProperty({ type: CountsView }) ldc!: CountsView;
  @ApiProperty({ type: CountsView }) sids!: CountsView;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Offers matched in the year, by direction of cooperation',
  })
  byDirection!: Record<string, number>;
  @ApiProperty({ type: 'array', items: OBJECT }) successStories!: Record<string, unknown>[];
}

export class PeriodView {
  @ApiProperty({ example: '2026-07-01' }) from!: string;
  @ApiProperty({ example: '2026-12-31' }) to!: string;
}

export class BookingView extends PeriodView {
  @ApiProperty() deploymentId!: string;
  @ApiProperty() caseId!: string;
}

export class ExpertRowView {
  @ApiProperty() expertId!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null once erased' })
  name!: string | null;
  @ApiProperty({ type: [String] }) languages!: string[];
  @ApiProperty({ type: [String] }) themes!: string[];
  @ApiProperty({ type: [PeriodView] }) availability!: PeriodView[];
  @ApiProperty({ type: [BookingView] }) bookings!: BookingView[];
  @ApiProperty() erased!: boolean;
  @ApiProperty() registeredAt!: string;
}

export class ExpertListView {
  @ApiProperty({ type: [ExpertRowView] }) items!: ExpertRowView[];
  @ApiProperty() total!: number;
  @ApiProperty() offset!: number;
  @ApiProperty() limit!: number;
}

export { OBJECT as FREE_FORM_OBJECT };
