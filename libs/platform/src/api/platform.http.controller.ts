import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Access, Call, commandContext, plainJson, type HttpCall } from '@keystone/access';
import { CLOCK, newId, type Clock, type CommandOutcome } from '@keystone/event-store';
import { memberState } from '@keystone/reference-data';
import {
  ExecuteRegistryCommand,
  ExecuteSessionCommand,
  ExecuteThemeCommand,
  PlatformDirectory,
} from '../application/platform.commands';
import { PLATFORM_ROUTES } from '../application/platform.policy';
import {
  ConveneSessionDto,
  OutcomeDto,
  PlatformCommandDto,
  PresentationDto,
  ProposeThemeDto,
  ReasonDto,
  RegisterProviderDto,
} from './platform.dtos';

export class PlatformWriteView {
  @ApiProperty({ description: 'The stream’s version after the write' }) version!: number;
  @ApiProperty({ description: 'Its position in the log (for waitForPosition)' }) position!: number;
}
export class SessionConvenedView extends PlatformWriteView {
  @ApiProperty() sessionId!: string;
}
export class PresentationRegisteredView extends PlatformWriteView {
  @ApiProperty() presentationId!: string;
}
export class ThemeProposedView extends PlatformWriteView {
  @ApiProperty({ example: 'climate-justice' }) slug!: string;
}
export class ProviderView {
  @ApiProperty() id!: string;
  @ApiProperty({
    enum: ['state', 'un-entity', 'ngo', 'regional-organisation', 'development-partner', 'nhri'],
  })
  kind!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() state?: string;
  @ApiPropertyOptional({ example: 'Norway' }) stateName?: string;
  @ApiProperty() retired!: boolean;
}
export class ThemeProposalView {
  @ApiProperty() slug!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ type: [String] }) synonyms!: string[];
  @ApiProperty({ enum: ['proposed', 'accepted', 'rejected'] }) status!: string;
}

/**
 * The platform's writes, and the registry and proposals read straight from their streams: sessions
 * convened and held, presentations, registered providers, themes proposed and decided.
 */
@ApiTags('platform')
@ApiBearerAuth()
@Controller()
export class PlatformHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: PlatformDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('sessions')
  @Access(PLATFORM_ROUTES.ConveneSession)
  @ApiOperation({ summary: 'Convene a platform session (planned) → 201 { sessionId }' })
  @ApiCreatedResponse({ type: SessionConvenedView })
  async convene(@Body() dto: ConveneSessionDto, @Call() call: HttpCall) {
    const sessionId = newId();
    const { occurredAt, ...data } = dto;
    const command = {
      type: 'ConveneSession' as const,
      data: plainJson({ sessionId, ...data, coHosts: (data.coHosts ?? []) as never }),
      context: this.context(call, occurredAt),
    };
    return { sessionId, ...(await this.session(sessionId, command, call)) };
  }

  @Post('sessions/:id/registration')
  @Access(PLATFORM_ROUTES.OpenRegistration)
  @HttpCode(200)
  @ApiOperation({ summary: 'Open the session for States to register presentations' })
  @ApiOkResponse({ type: PlatformWriteView })
  openRegistration(
    @Param('id') id: string,
    @Body() dto: PlatformCommandDto,
    @Call() call: HttpCall,
  ) {
    const command = {
      type: 'OpenRegistration' as const,
      data: {},
      context: this.context(call, dto.occurredAt),
    };
    return this.session(id, command, call);
  }

  @Post('sessions/:id/presentations')
  @Access(PLATFORM_ROUTES.RegisterPresentation)
  @ApiOperation({
    summary:
      'Register a State’s presentation or report-back (its focal point, or an officer) → 201 { presentationId }',
  })
  @ApiCreatedResponse({ type: PresentationRegisteredView })
  async present(@Param('id') id: string, @Body() dto: PresentationDto, @Call() call: HttpCall) {
    const presentationId = newId();
    const { occurredAt, ...data } = dto;
    const command = {
      type: 'RegisterPresentation' as const,
      data: plainJson({
        presentationId,
        state: data.state,
        kind: data.kind,
        achievements: data.achievements ?? '',
        challenges: data.challenges ?? '',
        goodPractices: data.goodPractices ?? '',
        lessonsLearnt: data.lessonsLearnt ?? '',
        recommendations: data.recommendations ?? [],
        caseIds: data.caseIds ?? [],
      }),
      context: this.context(call, occurredAt),
    };
    return { presentationId, ...(await this.session(id, command, call)) };
  }

  @Post('sessions/:id/held')
  @Access(PLATFORM_ROUTES.RecordSessionHeld)
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that the session was held (registration closes)' })
  @ApiOkResponse({ type: PlatformWriteView })
  held(@Param('id') id: string, @Body() dto: PlatformCommandDto, @Call() call: HttpCall) {
    const command = {
      type: 'RecordSessionHeld' as const,
      data: {},
      context: this.context(call, dto.occurredAt),
    };
    return this.session(id, command, call);
  }

  @Post('sessions/:id/outcome')
  @Access(PLATFORM_ROUTES.PublishOutcome)
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish the session’s outcome' })
  @ApiOkResponse({ type: PlatformWriteView })
  outcome(@Param('id') id: string, @Body() dto: OutcomeDto, @Call() call: HttpCall) {
    const command = {
      type: 'PublishOutcome' as const,
      data: { summary: dto.summary },
      context: this.context(call, dto.occurredAt),
    };
    return this.session(id, command, call);
  }

  @Post('providers')
  @Access(PLATFORM_ROUTES.RegisterProvider)
  @ApiOperation({ summary: 'Register a provider (its tokens then name its id) → 201' })
  @ApiCreatedResponse({ type: PlatformWriteView })
  registerProvider(@Body() dto: RegisterProviderDto, @Call() call: HttpCall) {
    const { occurredAt, ...data } = dto;
    return this.write(
      new ExecuteRegistryCommand({
        type: 'RegisterProvider',
        data: plainJson(data),
        context: this.context(call, occurredAt),
      }),
    );
  }

  @Post('providers/:id/retirement')
  @Access(PLATFORM_ROUTES.RetireProvider)
  @HttpCode(200)
  @ApiOperation({ summary: 'Retire a provider from the registry: it makes no further offers' })
  @ApiOkResponse({ type: PlatformWriteView })
  retireProvider(@Param('id') providerId: string, @Body() dto: ReasonDto, @Call() call: HttpCall) {
    return this.write(
      new ExecuteRegistryCommand({
        type: 'RetireProvider',
        data: { providerId, reason: dto.reason },
        context: this.context(call, dto.occurredAt),
      }),
    );
  }

  @Get('providers')
  @Access(PLATFORM_ROUTES.ReadProviders)
  @ApiOperation({ summary: 'The provider registry, by name' })
  @ApiOkResponse({ type: [ProviderView] })
  async providers() {
    return Object.values(await this.directory.registry())
      .map((p) => ({
        ...p,
        ...(p.state ? { stateName: memberState(p.state)?.name ?? p.state } : {}),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  @Post('themes/proposals')
  @Access(PLATFORM_ROUTES.ProposeTheme)
  @ApiOperation({
    summary: 'Propose a new theme for the vocabulary (an officer accepts it) → 201 { slug }',
  })
  @ApiCreatedResponse({ type: ThemeProposedView })
  async proposeTheme(@Body() dto: ProposeThemeDto, @Call() call: HttpCall) {
    const outcome = await this.commands.execute<ExecuteThemeCommand, CommandOutcome>(
      new ExecuteThemeCommand({
        type: 'ProposeTheme',
        data: { label: dto.label, synonyms: dto.synonyms ?? [] },
        context: this.context(call, dto.occurredAt),
      }),
    );
    const slug = (outcome.steps[0].events?.[0]?.data as { slug?: string } | undefined)?.slug;
    return { slug, version: outcome.steps[0].version, position: outcome.position };
  }

  @Post('themes/proposals/:slug/acceptance')
  @Access(PLATFORM_ROUTES.AcceptTheme)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Accept a proposed theme: requests, filters and the vocabulary know it from now',
  })
  @ApiOkResponse({ type: PlatformWriteView })
  acceptTheme(
    @Param('slug') slug: string,
    @Body() dto: PlatformCommandDto,
    @Call() call: HttpCall,
  ) {
    return this.write(
      new ExecuteThemeCommand({
        type: 'AcceptTheme',
        data: { slug },
        context: this.context(call, dto.occurredAt),
      }),
    );
  }

  @Post('themes/proposals/:slug/rejection')
  @Access(PLATFORM_ROUTES.RejectTheme)
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a proposed theme, with a reason' })
  @ApiOkResponse({ type: PlatformWriteView })
  rejectTheme(@Param('slug') slug: string, @Body() dto: ReasonDto, @Call() call: HttpCall) {
    return this.write(
      new ExecuteThemeCommand({
        type: 'RejectTheme',
        data: { slug, reason: dto.reason },
        context: this.context(call, dto.occurredAt),
      }),
    );
  }

  @Get('themes/proposals')
  @Access(PLATFORM_ROUTES.ReadThemeProposals)
  @ApiOperation({ summary: 'Themes proposed, accepted and rejected' })
  @ApiOkResponse({ type: [ThemeProposalView] })
  async themeProposals() {
    return Object.values(await this.directory.themes());
  }

  private context(call: HttpCall, occurredAt?: string) {
    return commandContext(call.principal, this.clock, call.request, occurredAt);
  }

  private session(sessionId: string, command: ExecuteSessionCommand['command'], call: HttpCall) {
    return this.write(new ExecuteSessionCommand(sessionId, command, call.principal));
  }

  private async write(command: object) {
    const outcome: CommandOutcome = await this.commands.execute(command);
    return { version: outcome.steps[0].version, position: outcome.position };
  }
}
