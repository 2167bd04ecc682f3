import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROVIDER_KINDS } from '@keystone/reference-data';

/**
 * What the case routes answer, for the OpenAPI document (and so for the web app's generated client).
 * The case's own state and request are the decider's, documented in domain.md; they are declared as
 * objects here, their main fields named.
 */
const DIRECTIONS = [
  'north-south',
  'south-south',
  'south-north',
  'north-north',
  'multilateral',
  'civil-society',
  'peer-institution',
];

export class CaseCommandResultView {
  @ApiProperty() caseId!: string;
  @ApiProperty({ description: 'The case stream’s version after the command (its ETag)' })
  version!: number;
  @ApiProperty({
    description: 'The log position of the write: pass it as waitForPosition to reads',
  })
  position!: number;
}

export class OfferMadeView extends CaseCommandResultView {
  @ApiProperty() offerId!: string;
}

export class DeploymentMadeView extends CaseCommandResultView {
  @ApiProperty() deploymentId!: string;
}

export class ProgressReportedView extends CaseCommandResultView {
  @ApiProperty() reportId!: string;
}

export class AllowedActionView {
  @ApiProperty({
    enum: [
      'AmendRequest',
      'ConfirmConsent',
      'WithdrawConsent',
      'ScreenRequest',
      'MakeOffer',
      'WithdrawOffer',
      'MatchOffer',
      'DeployExpert',
      'ReportProgress',
      'ProfileSuccess',
      'CloseCase',
    ],
  })
  action!: string;
  @ApiPropertyOptional({ description: 'The offer the action is about (one entry per offer)' })
  offerId?: string;
  @ApiProperty() allowed!: boolean;
  @ApiPropertyOptional({ description: 'The code the command would be refused with' })
  code?: string;
  @ApiPropertyOptional({ description: 'Why, in words' })
  reason?: string;
}

export class EventMetadataView {
  @ApiProperty({ description: 'Who acted (a person’s id, or a token’s subject)' }) actor!: string;
  @ApiProperty() role!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty({ nullable: true, type: String }) causationId!: string | null;
  @ApiProperty({ description: 'When it took effect in the world (business time)' })
  occurredAt!: string;
  @ApiProperty({ description: 'When Keystone recorded it (system time)' }) recordedAt!: string;
}

export class RecordedEventView {
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'AssistanceRequested' }) type!: string;
  @ApiProperty() schemaVersion!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ type: EventMetadataView }) metadata!: EventMetadataView;
  @ApiProperty() streamId!: string;
  @ApiProperty() streamVersion!: number;
  @ApiProperty() globalPosition!: number;
  @ApiProperty({ description: 'SHA-256 of the event in its stream chain (docs/hash-chain.md)' })
  hash!: string;
}

export class OfferProviderView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PROVIDER_KINDS }) kind!: string;
}

export class CoProviderView extends OfferProviderView {
  @ApiProperty({ enum: DIRECTIONS, description: 'Its own direction of cooperation to the State' })
  direction!: string;
}

export class CaseOfferView {
  @ApiProperty() offerId!: string;
  @ApiProperty({ type: OfferProviderView, description: 'The lead provider' })
  provider!: OfferProviderView;
  @ApiProperty({ type: [CoProviderView], description: 'A joint offer’s other providers' })
  coProviders!: CoProviderView[];
  @ApiProperty({ type: [String], description: 'Every provider’s registry id, the lead first' })
  providerIds!: string[];
  @ApiProperty({ type: String, nullable: true, description: 'The session it was pledged at' })
  sessionId!: string | null;
  @ApiProperty() offered!: string;
  @ApiProperty({ enum: ['trust-fund', 'provider', 'in-kind'] }) funding!: string;
  @ApiProperty({ enum: DIRECTIONS }) direction!: string;
  @ApiProperty({ enum: ['open', 'withdrawn', 'matched'] }) status!: string;
  @ApiProperty() madeAt!: string;
}

export class CaseReadView {
  @ApiProperty({ nullable: true, type: String }) asOf!: string | null;
  @ApiProperty({ nullable: true, type: String }) asOfEffective!: string | null;
  @ApiProperty() caseId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ example: 'awaiting-screening' }) stage!: string;
  @ApiProperty({ example: 'Malawi', description: 'The requesting State, by name' })
  stateName!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The case’s state as its decider folds it (consent, screening, offers, deployments…)',
  })
  case!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The request as made, with its amendments',
  })
  request!: Record<string, unknown>;
  @ApiProperty({ type: [CaseOfferView], description: 'A provider sees its own offers only' })
  offers!: CaseOfferView[];
  @ApiPropertyOptional({ description: 'For a provider: the open offers of others, as a count' })
  otherOpenOffers?: number;
}
