import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { Access, Call, commandContext, type HttpCall } from '@keystone/access';
import {
  CLOCK,
  EVENT_STORE,
  fold,
  newId,
  versionOf,
  type Clock,
  type CommandOutcome,
  type EventStore,
} from '@keystone/event-store';
import { ExecuteFundCommand } from '../application/execute-fund-command';
import { FUND_ROUTES } from '../application/trust-fund.policy';
import {
  available,
  TRUST_FUND_STREAM,
  trustFundDecider,
  type TrustFundCommand,
} from '../domain/trust-fund.decider';
import { ContributionDto, DisbursementDto, ReleaseDto } from './trust-fund.dtos';

export class FundWriteView {
  @ApiProperty({ description: 'The fund stream’s version after the write' }) version!: number;
  @ApiProperty() position!: number;
}

export class ContributionView extends FundWriteView {
  @ApiProperty() contributionId!: string;
}

export class FundView {
  @ApiProperty({ enum: ['USD'] }) currency!: string;
  @ApiProperty() received!: number;
  @ApiProperty() disbursed!: number;
  @ApiProperty() held!: number;
  @ApiProperty() committed!: number;
  @ApiProperty() available!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) commitments!: Record<
    string,
    unknown
  >;
  @ApiProperty() version!: number;
}

/** Maps validated DTOs to fund commands and returns; the rules (never pay out more than held) are the decider's. */
@ApiTags('trust fund')
@ApiBearerAuth()
@Controller('trust-fund')
export class TrustFundHttpController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('contributions')
  @Access(FUND_ROUTES.ReceiveContribution)
  @ApiOperation({
    summary: 'Record a contribution to the small-projects trust fund → 201 { contributionId }',
  })
  @ApiCreatedResponse({ type: ContributionView })
  async contribute(@Body() dto: ContributionDto, @Call() call: HttpCall) {
    const contributionId = newId();
    const data = { contributionId, donor: dto.donor, amount: dto.amount };
    return { contributionId, ...(await this.run('ReceiveContribution', data, dto, call)) };
  }

  @Post('disbursements')
  @Access(FUND_ROUTES.DisburseFunds)
  @ApiOperation({
    summary: 'Pay out of a deployment’s commitment: the fund’s balance goes down by the amount',
  })
  @ApiCreatedResponse({ type: FundWriteView })
  disburse(@Body() dto: DisbursementDto, @Call() call: HttpCall) {
    const data = { commitmentId: dto.commitmentId, amount: dto.amount };
    return this.run('DisburseFunds', data, dto, call);
  }

  @Post('releases')
  @Access(FUND_ROUTES.ReleaseCommitment)
  @ApiOperation({
    summary: 'Release what a commitment still holds back (the deployment cost less, or ended)',
  })
  @ApiCreatedResponse({ type: FundWriteView })
  release(@Body() dto: ReleaseDto, @Call() call: HttpCall) {
    return this.run('ReleaseCommitment', { commitmentId: dto.commitmentId }, dto, call);
  }

  @Get()
  @Access(FUND_ROUTES.ReadFund)
  @ApiOperation({
    summary: 'What the fund holds, has committed, and can still commit (US dollars)',
  })
  @ApiOkResponse({ type: FundView })
  async balances() {
    const events = await this.store.readStream(TRUST_FUND_STREAM);
    const state = fold(trustFundDecider, events);
    const { held, committed, received, disbursed, commitments } = state;
    return {
      currency: 'USD',
      received,
      disbursed,
      held,
      committed,
      available: available(state),
      commitments,
      version: versionOf(events),
    };
  }

  private async run<T extends TrustFundCommand['type']>(
    type: T,
    data: Extract<TrustFundCommand, { type: T }>['data'],
    dto: { occurredAt?: string },
    call: HttpCall,
  ) {
    const context = commandContext(call.principal, this.clock, call.request, dto.occurredAt);
    const command = { type, data, context } as TrustFundCommand;
    const outcome: CommandOutcome = await this.commands.execute(new ExecuteFundCommand(command));
    return { version: outcome.steps[0].version, position: outcome.position };
  }
}
