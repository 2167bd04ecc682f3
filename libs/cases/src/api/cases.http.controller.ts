import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  AllowedActionView,
  CaseCommandResultView,
  CaseReadView,
  DeploymentMadeView,
  OfferMadeView,
  ProgressReportedView,
  RecordedEventView,
} from './case.views';
import { Access, Call, commandContext, type HttpCall, plainJson } from '@keystone/access';
import { CLOCK, newId, type Clock, type CommandOutcome } from '@keystone/event-store';
import { CaseReader } from '../application/case-reader';
import { CASE_ROUTES, offeringProvider } from '../application/case.policy';
import { DeployExpertCommand } from '../application/deploy-expert';
import { ExecuteCaseCommand } from '../application/execute-case-command';
import type { CaseCommand } from '../domain/case.commands';
import type { Provider } from '../domain/case.events';
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

/** Maps validated DTOs to case commands and returns; who may do what is the case policy's, every rule the decider's. */
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
  @Access(CASE_ROUTES.RequestAssistance)
  @ApiOperation({
    summary:
      'Request assistance (case officer, or the focal point of the requesting State) → 201 { caseId }',
  })
  @ApiCreatedResponse({ type: CaseCommandResultView })
  async request(@Body() dto: RequestAssistanceDto, @Call() call: HttpCall) {
    const caseId = newId();
    const { occurredAt, ...data } = dto;
    const command = {
      type: 'RequestAssistance',
      data: plainJson({ caseId, ...data }),
      context: commandContext(call.principal, this.clock, call.request, occurredAt),
    } as const;
    return this.respond(
      call,
      caseId,
      await this.commands.execute(new ExecuteCaseCommand(caseId, command, call.principal)),
    );
  }

  @Get(':id')
  @Access(CASE_ROUTES.ReadCase)
  @ApiOperation({ summary: 'The case as it stands, with its version as ETag' })
  @ApiOkResponse({ type: CaseReadView })
  async get(@Param('id') caseId: string, @Query() at: AsOfCaseDto, @Call() call: HttpCall) {
    const view = await this.reader.view(caseId, call.principal, at);
    call.setHeader('ETag', etagOf(view.version));
    return view;
  }

  @Get(':id/events')
  @Access(CASE_ROUTES.ReadCaseEvents)
  @ApiOperation({ summary: "The case's events, in order, as recorded" })
  @ApiOkResponse({ type: [RecordedEventView] })
  events(@Param('id') caseId: string, @Call() call: HttpCall) {
    return this.reader.events(caseId, call.principal);
  }

  @Get(':id/allowed-actions')
  @Access(CASE_ROUTES.ReadCase)
  @ApiOperation({
    summary:
      'The commands the caller may send on this case now, each allowed or refused with the code and reason it would get',
  })
  @ApiOkResponse({ type: [AllowedActionView] })
  allowedActions(@Param('id') caseId: string, @Call() call: HttpCall) {
    return this.reader.allowedActions(caseId, call.principal);
  }

  @Post(':id/amendments')
  @ApiOperation({
    summary:
      'Amend the request (after the committee asked for more information, or before a match)',
  })
  @ApiOkResponse({ type: CaseCommandResultView })
  @Access(CASE_ROUTES.AmendRequest)
  @HttpCode(200)
  amend(@Param('id') id: string, @Body() dto: AmendRequestDto, @Call() call: HttpCall) {
    const { occurredAt, ...data } = dto;
    return this.run(id, 'AmendRequest', data, occurredAt, call);
  }

  @Post(':id/consent')
  @ApiOperation({ summary: 'Confirm the State’s consent to the request' })
  @ApiOkResponse({ type: CaseCommandResultView })
  @Access(CASE_ROUTES.ConfirmConsent)
  @HttpCode(200)
  consent(@Param('id') id: string, @Body() dto: CommandDto, @Call() call: HttpCall) {
    return this.run(id, 'ConfirmConsent', {}, dto.occurredAt, call);
  }

  @Post(':id/consent/withdrawal')
  @ApiOperation({ summary: 'Withdraw the State’s consent (the case is suspended), with a reason' })
  @ApiOkResponse({ type: CaseCommandResultView })
  @Access(CASE_ROUTES.WithdrawConsent)
  @HttpCode(200)
  withdrawConsent(@Param('id') id: string, @Body() dto: ReasonDto, @Call() call: HttpCall) {
    return this.run(id, 'WithdrawConsent', { reason: dto.reason }, dto.occurredAt, call);
  }

  @Post(':id/screening')
  @ApiOperation({
    summary:
      'The committee member’s decision: accepted, more information, or declined (with reasons)',
  })
  @ApiOkResponse({ type: CaseCommandResultView })
  @Access(CASE_ROUTES.ScreenRequest)
  @HttpCode(200)
  screen(@Param('id') id: string, @Body() dto: ScreeningDto, @Call() call: HttpCall) {
    const data = { decision: dto.decision, reasons: dto.reasons ?? [] };
    return this.run(id, 'ScreenRequest', data, dto.occurredAt, call);
  }

  @Post(':id/offers')
  @ApiOperation({ summary: 'Offer support on a request open for offers → 201 { offerId }' })
  @ApiCreatedResponse({ type: OfferMadeView })
  @Access(CASE_ROUTES.MakeOffer)
  async offer(@Param('id') id: string, @Body() dto: MakeOfferDto, @Call() call: HttpCall) {
    const provider = offeringProvider(call.principal, dto.provider);
    const offerId = newId();
    const result = await this.run(
      id,
      'MakeOffer',
      {
        offerId,
        provider,
        offered: dto.offered,
        funding: dto.funding,
        ...(dto.coProviders?.length ? { coProviders: dto.coProviders.map(namedOnly) } : {}),
        ...(dto.sessionId ? { sessionId: dto.sessionId } : {}),
      },
      dto.occurredAt,
      call,
    );
    return { ...result, offerId };
  }

  @Post(':id/offers/:offerId/withdrawal')
  @ApiOperation({ summary: 'Withdraw an open offer, with a reason' })
  @ApiOkResponse({ type: CaseCommandResultView })
  @Access(CASE_ROUTES.WithdrawOffer)
  @HttpCode(200)
  withdrawOffer(
    @Param('id') id: string,
    @Param('offerId') offerId: string,
    @Body() dto: ReasonDto,
    @Call() call: HttpCall,
  ) {
    return this.run(id, 'WithdrawOffer', { offerId, reason: dto.reason }, dto.occurredAt, call);
  }

  @Post(':id/offers/:offerId/match')
  @ApiOperation({ summary: 'Accept an offer for the request (the State’s choice)' })
  @ApiOkResponse({ type: CaseCommandResultView })
  @Access(CASE_ROUTES.MatchOffer)
  @HttpCode(200)
  match(
    @Param('id') id: string,
    @Param('offerId') offerId: string,
    @Body() dto: CommandDto,
    @Call() call: HttpCall,
  ) {
    return this.run(id, 'MatchOffer', { offerId }, dto.occurredAt, call);
  }

  @Post(':id/deployments')
  @ApiOperation({
    summary:
      'Deploy an expert from the roster on a matched offer (the trust fund commits what it pays) → 201 { deploymentId }',
  })
  @ApiCreatedResponse({ type: DeploymentMadeView })
  @Access(CASE_ROUTES.DeployExpert)
  async deploy(@Param('id') caseId: string, @Body() dto: DeploymentDto, @Call() call: HttpCall) {
    const deploymentId = newId();
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
  @ApiOperation({
    summary: 'Report progress on each recommendation the request serves → 201 { reportId }',
  })
  @ApiCreatedResponse({ type: ProgressReportedView })
  @Access(CASE_ROUTES.ReportProgress)
  async report(@Param('id') id: string, @Body() dto: ProgressReportDto, @Call() call: HttpCall) {
    const reportId = newId();
    const progress = dto.progress.map(({ reference, status, narrative }) => ({
      reference,
      status,
      narrative,
    }));
    return {
      ...(await this.run(
        id,
        'ReportProgress',
        { reportId, progress, ...(dto.narrative ? { narrative: dto.narrative } : {}) },
        dto.occurredAt,
        call,
      )),
      reportId,
    };
  }

  @Post(':id/success-profiles')
  @ApiOperation({ summary: 'Profile the case as a success story for a year’s panel' })
  @ApiCreatedResponse({ type: CaseCommandResultView })
  @Access(CASE_ROUTES.ProfileSuccess)
  profile(@Param('id') id: string, @Body() dto: SuccessProfileDto, @Call() call: HttpCall) {
    return this.run(
      id,
      'ProfileSuccess',
      { panelYear: dto.panelYear, summary: dto.summary },
      dto.occurredAt,
      call,
    );
  }

  @Post(':id/closure')
  @ApiOperation({ summary: 'Close the case, with a reason' })
  @ApiOkResponse({ type: CaseCommandResultView })
  @Access(CASE_ROUTES.CloseCase)
  @HttpCode(200)
  close(@Param('id') id: string, @Body() dto: ReasonDto, @Call() call: HttpCall) {
    return this.run(id, 'CloseCase', { reason: dto.reason }, dto.occurredAt, call);
  }

  private async run<T extends CaseCommand['type']>(
    caseId: string,
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
      new ExecuteCaseCommand(caseId, command, call.principal, versionFromIfMatch(call.ifMatch)),
    );
    return this.respond(call, caseId, outcome);
  }

  private respond(call: HttpCall, caseId: string, outcome: CommandOutcome) {
    const body = commandResponse(caseId, outcome);
    call.setHeader('ETag', etagOf(body.version));
    return body;
  }
}

/** A co-provider as the body names it, by its registry id: the handler records it as registered. */
const namedOnly = (id: string): Provider => ({ kind: 'ngo', id, name: id });
