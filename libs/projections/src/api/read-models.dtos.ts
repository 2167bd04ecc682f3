import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { REGIONAL_GROUP_IDS } from '@keystone/reference-data';
import { InstantField } from '@keystone/access';

export class ReadYourWritesDto {
  @ApiPropertyOptional({
    description:
      "Wait (up to 5 s) until the read models include this log position (a command's response gives it)",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  waitForPosition?: number;
}

/** A page of a list: offset and limit (at most 200). */
export class PageDto extends ReadYourWritesDto {
  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class ListCasesDto extends ReadYourWritesDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  stage?: string;

  @ApiPropertyOptional({ enum: REGIONAL_GROUP_IDS })
  @IsOptional()
  @IsIn(REGIONAL_GROUP_IDS)
  region?: string;

  @ApiPropertyOptional({ example: 'MWI' })
  @IsOptional()
  @Matches(/^[A-Za-z]{3}$/)
  state?: string;

  @ApiPropertyOptional({
    example: 'NHRI',
    description:
      "A theme by its slug, its label or one of its synonyms, in any case ('torture-prevention', 'NPM', 'national human rights institutions')",
  })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  theme?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ description: 'Words to find in the description, support sought or State' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  text?: string;

  @ApiPropertyOptional({ default: 0, maximum: 1_000_000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class QueueDto extends ReadYourWritesDto {
  @ApiPropertyOptional({
    enum: REGIONAL_GROUP_IDS,
    description: "A committee member's own region by default",
  })
  @IsOptional()
  @IsIn(REGIONAL_GROUP_IDS)
  region?: string;
}

export class AsOfDto extends ReadYourWritesDto {
  @InstantField({
    description: 'The figures as Keystone had recorded them at this moment (system time).',
  })
  asOf?: string;

  @InstantField({
    description:
      'The figures as the world stood at this moment (business time): only what had taken effect by then, even if recorded later.',
  })
  asOfEffective?: string;
}

/** `?session=`: only the cases a platform session touched (requests lodged there, or pledged to there). */
const SessionFilter = () =>
  applyDecorators(
    ApiPropertyOptional({
      description:
        'Only the cases a platform session touched: requests lodged there, or pledged to there',
    }),
    IsOptional(),
    IsString(),
    MaxLength(100),
  );

export class BoardDto extends ReadYourWritesDto {
  @SessionFilter()
  session?: string;
}

export class SessionScopedAsOfDto extends AsOfDto {
  @SessionFilter()
  session?: string;
}

export class PanelDto extends SessionScopedAsOfDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class ImpactDto extends SessionScopedAsOfDto {
  @ApiPropertyOptional({ description: 'Requests received that year' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2200)
  year?: number;

  @ApiPropertyOptional({ enum: REGIONAL_GROUP_IDS })
  @IsOptional()
  @IsIn(REGIONAL_GROUP_IDS)
  region?: string;
}
