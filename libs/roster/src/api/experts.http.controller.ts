import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { Access, Call, commandContext, type HttpCall, plainJson } from '@keystone/access';
import { CLOCK, type Clock } from '@keystone/event-store';
import { resolveTheme } from '@keystone/reference-data';
import { CommandBus } from '@nestjs/cqrs';
import {
  EraseExpertCommand,
  RegisterExpertCommand,
  SetAvailabilityCommand,
} from '../application/roster.commands';
import { ExpertReader } from '../application/expert-reader';
import { ROSTER_ROUTES } from '../application/roster.policy';
import { AvailabilityDto, RegisterExpertDto } from './experts.dtos';

export class ExpertRegisteredView {
  @ApiProperty() expertId!: string;
  @ApiProperty() position!: number;
}

export class AvailabilitySetView extends ExpertRegisteredView {
  @ApiProperty() version!: number;
}

@ApiTags('roster')
@ApiBearerAuth()
@Controller('experts')
export class ExpertsHttpController {
  constructor(
    private readonly experts: ExpertReader,
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Access(ROSTER_ROUTES.RegisterExpert)
  @ApiOperation({ summary: 'Put an expert on the roster → 201 { expertId }' })
  @ApiCreatedResponse({ type: ExpertRegisteredView })
  register(@Body() dto: RegisterExpertDto, @Call() call: HttpCall) {
    const themes = (dto.themes ?? []).map(resolveTheme).filter((t): t is string => t !== null);
    const personal = { name: dto.name, contact: dto.contact, nationality: dto.nationality };
    const context = commandContext(call.principal, this.clock, call.request);
    return this.commands.execute(
      new RegisterExpertCommand(context, personal, plainJson(dto.languages ?? []), themes),
    );
  }

  @Patch(':id/availability')
  @Access(ROSTER_ROUTES.SetAvailability)
  @ApiOperation({ summary: 'Set the periods the expert is available' })
  @ApiOkResponse({ type: AvailabilitySetView })
  async availability(
    @Param('id') expertId: string,
    @Body() dto: AvailabilityDto,
    @Call() call: HttpCall,
  ) {
    const context = commandContext(call.principal, this.clock, call.request);
    const periods = dto.periods.map(({ from, to }) => ({ from, to }));
    const outcome = await this.commands.execute(
      new SetAvailabilityCommand(expertId, context, periods),
    );
    return { expertId, version: outcome.steps[0].version, position: outcome.position };
  }

  @Delete(':id')
  @Access(ROSTER_ROUTES.EraseExpert)
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Erase an expert: destroys the key of its personal data (crypto-shredding); the log stays intact',
  })
  @ApiNoContentResponse()
  async erase(@Param('id') expertId: string, @Call() call: HttpCall): Promise<void> {
    await this.commands.execute(
      new EraseExpertCommand(expertId, commandContext(call.principal, this.clock, call.request)),
    );
  }

  @Get(':id')
  @Access(ROSTER_ROUTES.ReadExpert)
  @ApiOperation({ summary: 'An expert; personal data is null once erased' })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  get(@Param('id') expertId: string) {
    return this.experts.view(expertId);
  }
}
