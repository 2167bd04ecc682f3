import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DayField, InstantField } from '@keystone/access';
import { PROVIDER_KINDS, type ProviderKind } from '@keystone/reference-data';

const TEXT = 5_000;

/** Every command may say when it took effect in the world (business date); defaults to now. */
export class CommandDto {
  @InstantField({
    description:
      'When the act took effect; not in the future, not before the case began. Defaults to now.',
  })
  occurredAt?: string;
}

export class RecommendationDto {
  @ApiProperty({ enum: ['upr', 'special-procedures', 'treaty-bodies'] })
  @IsIn(['upr', 'special-procedures', 'treaty-bodies'])
  source!: 'upr' | 'special-procedures' | 'treaty-bodies';

  @ApiProperty({
    example: 'A/HRC/53/10, 121.4',
    description: 'Document symbol or recommendation number',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  reference!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT)
  text!: string;

  @ApiPropertyOptional({ description: 'Universal Human Rights Index annotation id' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  uhriAnnotationId?: string;
}

export class RequestAssistanceDto extends CommandDto {
  @ApiProperty({ example: 'MWI', description: 'Requesting State, ISO 3166-1 alpha-3' })
  @Matches(/^[A-Za-z]{3}$/, { message: 'state must be an ISO 3166-1 alpha-3 code, e.g. MWI' })
  state!: string;

  @ApiProperty({ type: [String], example: ['torture-prevention'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(80, { each: true })
  themes!: string[];

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT)
  description!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT)
  supportSought!: string;

  @ApiProperty({
    type: [RecommendationDto],
    description:
      'The UN recommendations it serves: at least one, or none with notTiedToRecommendation: true',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RecommendationDto)
  recommendations!: RecommendationDto[];

  @ApiPropertyOptional({
    description: 'Lodged "not tied to a specific recommendation" (then recommendations is empty)',
  })
  @IsOptional()
  @IsBoolean()
  notTiedToRecommendation?: boolean;

  @ApiPropertyOptional({
    type: [String],
    example: ['16.3', '5.c'],
    description: 'The SDG targets it serves, official goal.target codes (GET /reference/sdgs)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(6, { each: true })
  sdgTargets?: string[];

  @ApiPropertyOptional({
    description: 'The platform session it is lodged at, while that session takes requests',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  sessionId?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 60,
    default: 12,
    description: 'Months from deployment to the progress report',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  reportingPeriodMonths?: number;
}

export class AmendRequestDto extends CommandDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(80, { each: true })
  themes?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT)
  supportSought?: string;

  @ApiPropertyOptional({ type: [RecommendationDto] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RecommendationDto)
  recommendations?: RecommendationDto[];
}

export class ReasonDto extends CommandDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT)
  reason!: string;
}

export class ScreeningDto extends CommandDto {
  @ApiProperty({ enum: ['accepted', 'more-information', 'declined'] })
  @IsIn(['accepted', 'more-information', 'declined'])
  decision!: 'accepted' | 'more-information' | 'declined';

  @ApiPropertyOptional({
    type: [String],
    description: 'Required to decline or ask for more information',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(TEXT, { each: true })
  reasons?: string[];
}

export class ProviderDto {
  @ApiProperty({ enum: PROVIDER_KINDS })
  @IsIn(PROVIDER_KINDS)
  kind!: ProviderKind;

  @ApiProperty({
    description:
      'Its id in the provider registry: the registry’s kind, name and State are recorded',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  id!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name!: string;

  @ApiPropertyOptional({ description: 'ISO3 of the providing State, when kind is state' })
  @IsOptional()
  @Matches(/^[A-Za-z]{3}$/)
  state?: string;
}

export class MakeOfferDto extends CommandDto {
  @ApiProperty({ description: 'What is offered' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT)
  offered!: string;

  @ApiProperty({ enum: ['trust-fund', 'provider', 'in-kind'] })
  @IsIn(['trust-fund', 'provider', 'in-kind'])
  funding!: 'trust-fund' | 'provider' | 'in-kind';

  @ApiPropertyOptional({
    type: ProviderDto,
    description:
      'Case officers recording an offer name its provider; a provider offers as its token says',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ProviderDto)
  provider?: ProviderDto;

  @ApiPropertyOptional({
    type: [String],
    description:
      'A joint offer: the registry ids of its co-providers (each reported with its own direction of cooperation)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  coProviders?: string[];

  @ApiPropertyOptional({ description: 'Pledged at this platform session' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  sessionId?: string;
}

export class DeploymentDto extends CommandDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  offerId!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  expertId!: string;

  @DayField({ description: 'The first day of the deployment.', required: true })
  startDate!: string;

  @DayField({ description: 'The last day of the deployment.', required: true })
  endDate!: string;

  @ApiProperty({ enum: ['trust-fund', 'provider', 'in-kind'] })
  @IsIn(['trust-fund', 'provider', 'in-kind'])
  funding!: 'trust-fund' | 'provider' | 'in-kind';

  @ApiPropertyOptional({
    description: 'Whole US dollars; required above 0 when the trust fund pays',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  amount?: number;
}

export class RecommendationProgressDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  reference!: string;

  @ApiProperty({ enum: ['not-started', 'in-progress', 'implemented'] })
  @IsIn(['not-started', 'in-progress', 'implemented'])
  status!: 'not-started' | 'in-progress' | 'implemented';

  @ApiProperty()
  @IsString()
  @MaxLength(TEXT)
  narrative!: string;
}

export class ProgressReportDto extends CommandDto {
  @ApiProperty({
    type: [RecommendationProgressDto],
    description:
      'The status of linked recommendations (at least one; empty for a request not tied to one)',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RecommendationProgressDto)
  progress!: RecommendationProgressDto[];

  @ApiPropertyOptional({
    description: 'What changed, in words (required for a request not tied to a recommendation)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  narrative?: string;
}

export class SuccessProfileDto extends CommandDto {
  @ApiProperty({ example: 2026 })
  @IsInt()
  @Min(2000)
  @Max(2200)
  panelYear!: number;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT)
  summary!: string;
}

export class AsOfCaseDto {
  @InstantField({
    description: 'The case as Keystone had recorded it at this moment (system time).',
  })
  asOf?: string;

  @InstantField({
    description: 'The case as it stood in the world at this moment (business time).',
  })
  asOfEffective?: string;
}
