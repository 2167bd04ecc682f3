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
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Call, commandContext, type HttpCall } from '@keystone/access';
import { CLOCK, type Clock } from '@keystone/event-store';
import { themeSlug } from '@keystone/reference-data';
import { RosterService } from '../application/roster.service';
import { AvailabilityDto, RegisterExpertDto } from './experts.dtos';

@ApiTags('roster')
@ApiBearerAuth()
@Controller('experts')
export class ExpertsHttpController {
  constructor(
    private readonly roster: RosterService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Access('manage-roster')
  @ApiOperation({ summary: 'Put an expert on the roster → 201 { expertId }' })
  register(@Body() dto: RegisterExpertDto, @Call() call: HttpCall) {
    const themes = (dto.themes ?? []).map(themeSlug).filter((t): t is string => t !== null);
    const personal = { name: dto.name, contact: dto.contact, nationality: dto.nationality };
    return this.roster.register(
      commandContext(call.principal, this.clock, call.request),
      personal,
      dto.languages ?? [],
      themes,
    );
  }

  @Patch(':id/availability')
  @Access('manage-roster')
  @ApiOperation({ summary: 'Set the periods the expert is available' })
  async availability(
    @Param('id') expertId: string,
    @Body() dto: AvailabilityDto,
    @Call() call: HttpCall,
  ) {
    const outcome = await this.roster.setAvailability(
      expertId,
      commandContext(call.principal, this.clock, call.request),
      dto.periods,
    );
    return { expertId, version: outcome.steps[0].version, position: outcome.position };
  }

  @Delete(':id')
  @Access('manage-roster')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Erase an expert: destroys the key of its personal data (crypto-shredding); the log stays intact',
  })
  async erase(@Param('id') expertId: string, @Call() call: HttpCall): Promise<void> {
    await this.roster.erase(expertId, commandContext(call.principal, this.clock, call.request));
  }

  @Get(':id')
  @Access('read-roster')
  @ApiOperation({ summary: 'An expert; personal data is null once erased' })
  get(@Param('id') expertId: string) {
    return this.roster.view(expertId);
  }
}
