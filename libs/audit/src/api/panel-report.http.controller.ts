import {
  Controller,
  DynamicModule,
  Get,
  Header,
  Inject,
  Module,
  Param,
  ParseIntPipe,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { Access, InstantField } from '@keystone/access';
import { CASE_ROUTES } from '@keystone/cases';
import { CLOCK, EVENT_STORE, type Clock, type EventStore } from '@keystone/event-store';
import { panelFromLog } from '../panel-from-log';
import { renderPanelReport } from '../panel-report';
import { AuditHttpController, EVIDENCE_KEY_FILE } from './audit.http.controller';

export class ReportQueryDto {
  @InstantField({
    description: 'The panel as Keystone had recorded it at this moment (system time).',
  })
  asOf?: string;

  @InstantField({
    description:
      'The panel as the world stood at this moment (business time): only what had taken effect by then.',
  })
  asOfEffective?: string;

  @ApiPropertyOptional({
    description:
      'Accepted as on every read: the report is computed from the log itself, which already holds every written position.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  waitForPosition?: number;
}

/** The panel report people read: one self-contained HTML page, computed straight from the log. */
@ApiTags('read models')
@ApiBearerAuth()
@Controller('panel')
export class PanelReportHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':year/report')
  @Access(CASE_ROUTES.Panel)
  @Header('content-type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOperation({
    summary:
      'The item 10 panel of a year as a self-contained HTML page (inline SVG charts, data tables, provenance)',
  })
  @ApiOkResponse({ content: { 'text/html': { schema: { type: 'string' } } } })
  async report(
    @Param('year', ParseIntPipe) year: number,
    @Query() query: ReportQueryDto,
  ): Promise<string> {
    const asOf = query.asOf ?? null; // canonical: InstantField parsed it
    const { figures, rows, provenance } = await panelFromLog(
      this.store,
      year,
      asOf,
      this.clock.now(),
      query.asOfEffective ?? null,
    );
    return renderPanelReport(figures, rows, provenance);
  }
}

/** The audit routes: the panel report, verification and evidence; the key file comes from configuration. */
@Module({})
export class AuditHttpModule {
  static forRoot(options: { evidenceKeyFile: string }): DynamicModule {
    return {
      module: AuditHttpModule,
      controllers: [PanelReportHttpController, AuditHttpController],
      providers: [{ provide: EVIDENCE_KEY_FILE, useValue: options.evidenceKeyFile }],
    };
  }
}
