import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { Access, Call, commandContext, type HttpCall, InstantField } from '@keystone/access';
import {
  CLOCK,
  deciderStep,
  EVENT_STORE,
  newEventId,
  runCommand,
  type Clock,
  type EventStore,
} from '@keystone/event-store';
import {
  available,
  TRUST_FUND_STREAM,
  trustFundDecider,
  type TrustFundEvent,
} from '../domain/trust-fund.decider';

export class ContributionDto {
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

  @InstantField({ description: 'When the money was received; defaults to now.' })
  occurredAt?: string;
}

@ApiTags('trust fund')
@ApiBearerAuth()
@Controller('trust-fund')
export class TrustFundHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('contributions')
  @Access('contribute-funds')
  @ApiOperation({
    summary: 'Record a contribution to the small-projects trust fund → 201 { contributionId }',
  })
  async contribute(@Body() dto: ContributionDto, @Call() call: HttpCall) {
    const contributionId = newEventId();
    const context = commandContext(call.principal, this.clock, call.request, dto.occurredAt);
    const command = {
      type: 'ReceiveContribution' as const,
      data: { contributionId, donor: dto.donor, amount: dto.amount },
      context,
    };
    const outcome = await runCommand(this.store, context, [
      deciderStep(TRUST_FUND_STREAM, trustFundDecider, command),
    ]);
    return { contributionId, version: outcome.steps[0].version, position: outcome.position };
  }

  @Get()
  @Access('read-fund')
  @ApiOperation({
    summary: 'What the fund holds, has committed, and can still commit (US dollars)',
  })
  async balances() {
    const events = await this.store.readStream(TRUST_FUND_STREAM);
    const state = events.reduce(
      (s, e) =>
        trustFundDecider.evolve(
          s,
          { type: e.type, data: e.data } as TrustFundEvent,
          e.metadata.occurredAt,
        ),
      trustFundDecider.initialState(),
    );
    const { held, committed, received, disbursed, commitments } = state;
    return {
      currency: 'USD',
      received,
      disbursed,
      held,
      committed,
      available: available(state),
      commitments,
      version: events.length,
    };
  }
}
