import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Access,
  accessError,
  Call,
  commandContext,
  type CaseAction,
  type HttpCall,
  plainJson,
} from '@keystone/access';
import { CLOCK, newEventId, type Clock, type CommandOutcome } from '@keystone/event-store';
import { CaseReader } from '../application/case-reader';
import { DeployExpertCommand } from '../application/deploy-expert';
import { ExecuteCaseCommand } from '../application/execute-case-command';
import type { CaseCommand } from '../domain/case.commands';
import {
  AmendRequestDto,
  AsOfCaseDto,
  CommandDto,
  DeploymentDto,
  MakeOfferDto,
  ProgressReportDto,
  ReasonDto,
  RequestAssistanceDto,
  ScreeningDto,
  SuccessProfileDto,
} from './case.dtos';
import { commandResponse, etagOf, versionFromIfMatch } from './http-versions';

/** Maps validated DTOs to case commands and returns; every rule lives in the deciders. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly reader: CaseReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Access('request')
  @ApiOperation({
    summary:
      'Request assistance (case officer, or the focal point of the requesting State) → 201 { caseId }',
  })
  async request(@Body() dto: RequestAssistanceDto, @Call() call: HttpCall) {
    const caseId = newEventId();
    const { occurredAt, ...data } = dto;
    const command = {
      type: 'RequestAssistance',
      data: plainJson({ caseId, ...data }),
      context: commandContext(call.principal, this.clock, call.request, occurredAt),
    } as const;
    return this.respond(
      call,
      caseId,
      await this.commands.execute(
        new ExecuteCaseCommand(caseId, command, 'request', call.principal),
      ),
    );
  }

  @Get(':id')
  @Access('read')
  @ApiOperation({ summary: 'The case as it stands, with its version as ETag' })
  async get(@Param('id') caseId: string, @Query() at: AsOfCaseDto, @Call() call: HttpCall) {
    const view = await this.reader.view(caseId, call.principal, at);
    call.setHeader('ETag', etagOf(view.version));
    return view;
  }

  @Get(':id/events')
  @Access('read-events')
  @ApiOperation({ summary: "The case's events, in order, as recorded" })
  events(@Param('id') caseId: string, @Call() call: HttpCall) {
    return this.reader.events(caseId, call.principal, 'read-events');
  }

  @Post(':id/amendments')
  @Access('amend')
  @HttpCode(200)
  amend(@Param('id') id: string, @Body() dto: AmendRequestDto, @Call() call: HttpCall) {
    const { occurredAt, ...data } = dto;
    return this.run(id, 'amend', 'AmendRequest', data, occurredAt, call);
  }

  @Post(':id/consent')
  @Access('consent')
  @HttpCode(200)
  consent(@Param('id') id: string, @Body() dto: CommandDto, @Call() call: HttpCall) {
    return this.run(id, 'consent', 'ConfirmConsent', {}, dto.occurredAt, call);
  }

  @Post(':id/consent/withdrawal')
  @Access('consent')
  @HttpCode(200)
  withdrawConsent(@Param('id') id: string, @Body() dto: ReasonDto, @Call() call: HttpCall) {
    return this.run(id, 'consent', 'WithdrawConsent', { reason: dto.reason }, dto.occurredAt, call);
  }

  @Post(':id/screening')
  @Access('screen')
  @HttpCode(200)
  screen(@Param('id') id: string, @Body() dto: ScreeningDto, @Call() call: HttpCall) {
    const { principal } = call;
    const memberRegion = principal.role === 'committee-member' ? principal.region : ('' as never);
    return this.run(
      id,
      'screen',
      'ScreenRequest',
      { decision: dto.decision, reasons: dto.reasons ?? [], memberRegion },
      dto.occurredAt,
      call,
    );
  }

  @Post(':id/offers')
  @Access('offer')
  async offer(@Param('id') id: string, @Body() dto: MakeOfferDto, @Call() call: HttpCall) {
    const { principal } = call;
    const provider = principal.role === 'provider' ? principal.provider : dto.provider;
    if (!provider)
      throw accessError.forbidden(
        'A case officer recording an offer names its provider (provider: { kind, id, name, state? }).',
      );
    if (principal.role === 'provider' && dto.provider)
      throw accessError.forbidden(
        'A provider offers as its token says; leave provider out of the body.',
      );
    const offerId = newEventId();
    const result = await this.run(
      id,
      'offer',
      'MakeOffer',
      { offerId, provider, offered: dto.offered, funding: dto.funding },
      dto.occurredAt,
      call,
    );
    return { ...result, offerId };
  }

  @Post(':id/offers/:offerId/withdrawal')
  @Access('withdraw-offer')
  @HttpCode(200)
  withdrawOffer(
    @Param('id') id: string,
    @Param('offerId') offerId: string,
    @Body() dto: ReasonDto,
    @Call() call: HttpCall,
  ) {
    const { principal } = call;
    const providerId = principal.role === 'provider' ? principal.provider.id : undefined;
    return this.run(
      id,
      'withdraw-offer',
      'WithdrawOffer',
      { offerId, reason: dto.reason, providerId },
      dto.occurredAt,
      call,
    );
  }

  @Post(':id/offers/:offerId/match')
  @Access('match')
  @HttpCode(200)
  match(
    @Param('id') id: string,
    @Param('offerId') offerId: string,
    @Body() dto: CommandDto,
    @Call() call: HttpCall,
  ) {
    return this.run(id, 'match', 'MatchOffer', { offerId }, dto.occurredAt, call);
  }

  @Post(':id/deployments')
  @Access('deploy')
  async deploy(@Param('id') caseId: string, @Body() dto: DeploymentDto, @Call() call: HttpCall) {
    const deploymentId = newEventId();
    const { occurredAt, amount, ...data } = dto;
    const command = {
      type: 'DeployExpert',
      data: { deploymentId, ...data, amount: amount ?? 0 },
      context: commandContext(call.principal, this.clock, call.request, occurredAt),
    } as const;
    const outcome = await this.commands.execute(
      new DeployExpertCommand(caseId, command, call.principal, versionFromIfMatch(call.ifMatch)),
    );
    return { ...this.respond(call, caseId, outcome), deploymentId };
  }

  @Post(':id/progress-reports')
  @Access('report')
  async report(@Param('id') id: string, @Body() dto: ProgressReportDto, @Call() call: HttpCall) {
    const reportId = newEventId();
    const progress = dto.progress.map(({ reference, status, narrative }) => ({
      reference,
      status,
      narrative,
    }));
    return {
      ...(await this.run(
        id,
        'report',
        'ReportProgress',
        { reportId, progress },
        dto.occurredAt,
        call,
      )),
      reportId,
    };
  }

  @Post(':id/success-profiles')
  @Access('profile')
  profile(@Param('id') id: string, @Body() dto: SuccessProfileDto, @Call() call: HttpCall) {
    return this.run(
      id,
      'profile',
      'ProfileSuccess',
      { panelYear: dto.panelYear, summary: dto.summary },
      dto.occurredAt,
      call,
    );
  }

  @Post(':id/closure')
  @Access('close')
  @HttpCode(200)
  close(@Param('id') id: string, @Body() dto: ReasonDto, @Call() call: HttpCall) {
    return this.run(id, 'close', 'CloseCase', { reason: dto.reason }, dto.occurredAt, call);
  }

  private async run<T extends CaseCommand['type']>(
    caseId: string,
    action: CaseAction,
    type: T,
    data: Extract<CaseCommand, { type: T }>['data'],
    occurredAt: string | undefined,
    call: HttpCall,
  ) {
    const command = {
      type,
      data: plainJson(data),
      context: commandContext(call.principal, this.clock, call.request, occurredAt),
    } as CaseCommand;
    const outcome = await this.commands.execute(
      new ExecuteCaseCommand(
        caseId,
        command,
        action,
        call.principal,
        versionFromIfMatch(call.ifMatch),
      ),
    );
    return this.respond(call, caseId, outcome);
  }

  private respond(call: HttpCall, caseId: string, outcome: CommandOutcome) {
    const body = commandResponse(caseId, outcome);
    call.setHeader('ETag', etagOf(body.version));
    return body;
  }
}
