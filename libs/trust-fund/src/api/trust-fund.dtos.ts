import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { InstantField } from '@keystone/access';

export class FundCommandDto {
  @InstantField({ description: 'When the money moved in the world; defaults to now.' })
  occurredAt?: string;
}

export class ContributionDto extends FundCommandDto {
  @ApiProperty({ example: 'Norway' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  donor!: string;

  @ApiProperty({ description: 'Whole US dollars', example: 50000 })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  amount!: number;
}

export class ReleaseDto extends FundCommandDto {
  @ApiProperty({ description: 'The commitment a deployment made (its deploymentId)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  commitmentId!: string;
}

export class DisbursementDto extends ReleaseDto {
  @ApiProperty({ description: 'Whole US dollars paid out of the commitment', example: 12000 })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  amount!: number;
}
