import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { InstantField } from '@keystone/access';
import { PROVIDER_KINDS, type ProviderKind } from '@keystone/reference-data';

const TEXT = 5_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class PlatformCommandDto {
  @InstantField({ description: 'When the act took effect in the world; defaults to now.' })
  occurredAt?: string;
}

export class VenueDto {
  @ApiProperty({ enum: ['in-person', 'online', 'hybrid'] })
  @IsIn(['in-person', 'online', 'hybrid'])
  mode!: 'in-person' | 'online' | 'hybrid';

  @ApiPropertyOptional({
    example: 'Palais des Nations, Geneva',
    description: 'Required unless online',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  place?: string;
}

export class CoHostDto {
  @ApiProperty({ enum: ['state', 'organisation'] })
  @IsIn(['state', 'organisation'])
  kind!: 'state' | 'organisation';

  @ApiPropertyOptional({ example: 'FJI', description: 'ISO3, when kind is state' })
  @IsOptional()
  @Matches(/^[A-Za-z]{3}$/, { message: 'state must be an ISO 3166-1 alpha-3 code' })
  state?: string;

  @ApiPropertyOptional({
    description: 'The organisation’s name (a State is named from reference data)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  name?: string;
}

export class ConveneSessionDto extends PlatformCommandDto {
  @ApiProperty({ example: 'Voluntary platform, 1st session: national mechanisms for follow-up' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;

  @ApiProperty({ type: [String], example: ['nmirf'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(80, { each: true })
  themes!: string[];

  @ApiProperty({ example: '2025-06-16', description: 'First day, YYYY-MM-DD' })
  @Matches(DAY, { message: 'startDate must be a day, YYYY-MM-DD' })
  startDate!: string;

  @ApiProperty({ example: '2025-06-17', description: 'Last day, YYYY-MM-DD' })
  @Matches(DAY, { message: 'endDate must be a day, YYYY-MM-DD' })
  endDate!: string;

  @ApiProperty({ type: VenueDto })
  @ValidateNested()
  @Type(() => VenueDto)
  venue!: VenueDto;

  @ApiPropertyOptional({ type: [CoHostDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CoHostDto)
  coHosts?: CoHostDto[];
}

export class OutcomeDto extends PlatformCommandDto {
  @ApiProperty({ description: 'The outcome as published' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT)
  summary!: string;
}

export class RecommendationStatusDto {
  @ApiProperty({ example: 'A/HRC/53/10, 121.4', description: 'A recommendation or a cluster' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  reference!: string;

  @ApiProperty({ enum: ['not-started', 'in-progress', 'implemented'] })
  @IsIn(['not-started', 'in-progress', 'implemented'])
  status!: 'not-started' | 'in-progress' | 'implemented';
}

export class PresentationDto extends PlatformCommandDto {
  @ApiProperty({ example: 'MWI', description: 'The presenting State, ISO3' })
  @Matches(/^[A-Za-z]{3}$/, { message: 'state must be an ISO 3166-1 alpha-3 code, e.g. MWI' })
  state!: string;

  @ApiProperty({
    enum: ['presentation', 'report-back'],
    description: 'A report-back presents progress on support received (linking those cases)',
  })
  @IsIn(['presentation', 'report-back'])
  kind!: 'presentation' | 'report-back';

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) achievements?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) challenges?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) goodPractices?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) lessonsLearnt?: string;

  @ApiPropertyOptional({ type: [RecommendationStatusDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RecommendationStatusDto)
  recommendations?: RecommendationStatusDto[];

  @ApiPropertyOptional({
    type: [String],
    description: 'The State’s requests lodged there, or (report-back) the cases it reports on',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  caseIds?: string[];
}

export class RegisterProviderDto extends PlatformCommandDto {
  @ApiProperty({
    example: 'prov:nor',
    description: 'The id its people’s tokens name (provider claim)',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  providerId!: string;

  @ApiProperty({ enum: PROVIDER_KINDS })
  @IsIn(PROVIDER_KINDS)
  kind!: ProviderKind;

  @ApiProperty({ example: 'Norway' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name!: string;

  @ApiPropertyOptional({ example: 'NOR', description: 'ISO3: required of a State and of an NHRI' })
  @IsOptional()
  @Matches(/^[A-Za-z]{3}$/, { message: 'state must be an ISO 3166-1 alpha-3 code' })
  state?: string;
}

export class ReasonDto extends PlatformCommandDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT)
  reason!: string;
}

export class ProposeThemeDto extends PlatformCommandDto {
  @ApiProperty({ example: 'Climate justice' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  label!: string;

  @ApiPropertyOptional({ type: [String], example: ['climate and human rights'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(120, { each: true })
  synonyms?: string[];
}
