import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DayField } from '@keystone/access';

export class RegisterExpertDto {
  @ApiProperty({
    description: 'Sealed with the expert’s own key; unreadable once the expert is erased',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name!: string;

  @ApiProperty({ description: 'E-mail or phone; sealed like the name' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  contact!: string;

  @ApiProperty({ description: 'Sealed like the name' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nationality!: string;

  @ApiPropertyOptional({ type: [String], example: ['en', 'fr'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  languages?: string[];

  @ApiPropertyOptional({ type: [String], example: ['torture-prevention'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(80, { each: true })
  themes?: string[];
}

export class PeriodDto {
  @DayField({ description: 'The first day the expert is available.', required: true })
  from!: string;

  @DayField({ description: 'The last day the expert is available.', required: true })
  to!: string;
}

export class AvailabilityDto {
  @ApiProperty({ type: [PeriodDto], description: 'Replaces the periods the expert is available' })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PeriodDto)
  periods!: PeriodDto[];
}
