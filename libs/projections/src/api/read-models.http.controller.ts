import { Controller, Get, Inject, Param, ParseIntPipe, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  BoardEntryView,
  CaseListView,
  CountsView,
  DashboardView,
  ExpertListView,
  FREE_FORM_OBJECT,
  PanelView,
  PublicPanelView,
  ScreeningQueueView,
} from './read-models.views';
import type { Response } from 'express';
import { Access, Call, Public, type HttpCall } from '@keystone/access';
import { memberState, resolveTheme } from '@keystone/reference-data';
import { CASE_ROUTES, caseRowScope, matchmakingScope, screeningQueueRegion } from '@keystone/cases';
import { ExpertReader, ROSTER_ROUTES } from '@keystone/roster';
import { READ_MODEL_DB, type SqlDatabase } from '@keystone/sql';
import { tableOf } from '../runner/projection';
import { expertsProjection, type ExpertRow } from '../roster/experts.projection';
import {
  CLOCK,
  DomainError,
  EVENT_STORE,
  type Clock,
  type EventStore,
} from '@keystone/event-store';
import { replayCaseRows, replaySessionRows } from '../queries/as-of';
import {
  CasesReadModel,
  collect,
  touchedBySession,
  type CaseFilter,
} from '../queries/cases.read-model';
import { impactFigures, panelCsv, panelFigures, sessionOutcome } from '../queries/figures';
import { sessionsProjection, type SessionRow } from '../platform/sessions.projection';
import {
  PlatformDirectory,
  platformError,
  resolveThemeIn,
  acceptedThemes,
  PLATFORM_ROUTES,
} from '@keystone/platform';
import type { ProjectionLoop } from '../runner/projection-loop';
import { PROJECTION_LOOP } from '../nest/tokens';
import {
  BoardDto,
  ImpactDto,
  ListCasesDto,
  PageDto,
  PanelDto,
  QueueDto,
  type AsOfDto,
  ReadYourWritesDto,
} from './read-models.dtos';
import { providersOf, type CaseRow } from '../cases/case-row';

const READ_YOUR_WRITES_TIMEOUT_MS = 5_000;

/** Queries of the read models, scoped to the caller; as-of figures replay the log (auditors' exception). */
@ApiTags('read models')
@ApiExtraModels(BoardEntryView, CountsView)
@ApiBearerAuth()
@Controller()
export class ReadModelsHttpController {
  constructor(
    private readonly cases: CasesReadModel,
    @Inject(PROJECTION_LOOP) private readonly loop: ProjectionLoop,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_MODEL_DB) private readonly db: SqlDatabase,
    private readonly experts: ExpertReader,
    private readonly platform: PlatformDirectory,
  ) {}

  @Get('experts')
  @Access(ROSTER_ROUTES.ReadExpert)
  @ApiOperation({
    summary:
      'The roster, newest first: each expert’s name (unsealed for this page), languages, themes, availability and bookings',
  })
  @ApiOkResponse({ type: ExpertListView })
  async roster(@Query() query: PageDto): Promise<ExpertListView> {
    await this.readYourWrites(query);
    const table = tableOf(expertsProjection.name);
    const [{ n }] = await this.db.all<{ n: number | string }>(`SELECT count(*) AS n FROM ${table}`);
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 50;
    const rows = (
      await this.db.all<{ doc: string }>(
        `SELECT doc FROM ${table} ORDER BY registered_at DESC, key LIMIT ? OFFSET ?`,
        [limit, offset],
      )
    ).map((r) => JSON.parse(r.doc) as ExpertRow);
    const items = await Promise.all(
      rows.map(async (row) => ({
        ...row,
        name: row.erased ? null : ((await this.experts.view(row.expertId)).personal?.name ?? null),
      })),
    );
    return { items: items as unknown as ExpertListView['items'], total: Number(n), offset, limit };
  }

  @Get('cases')
  @Access(CASE_ROUTES.ListCases)
  @ApiOperation({
    summary:
      'Cases, filtered and paginated; a member sees its region, a focal point its State, a provider requests open for offers',
  })
  @ApiOkResponse({ type: CaseListView })
  async list(@Query() query: ListCasesDto, @Call() { principal }: HttpCall) {
    await this.readYourWrites(query);
    const filter: CaseFilter = {
      stage: query.stage,
      region: query.region,
      state: query.state,
      // Any name of a theme finds it: its slug, label or a synonym, in any case, accepted ones too.
      theme: query.theme === undefined ? undefined : await this.themeOf(query.theme),
      overdue: query.overdue,
      text: query.text,
    };
    const scoped = { ...filter, ...caseRowScope(principal) };
    return this.cases.list(scoped, query.offset ?? 0, query.limit ?? 50);
  }

  @Get('dashboard')
  @Access(CASE_ROUTES.ListCases)
  @ApiOperation({
    summary:
      'The case officer’s dashboard: cases at each stage, reports overdue, and what waits on whom (scoped as the case list)',
  })
  @ApiOkResponse({ type: DashboardView })
  async dashboard(@Query() query: ReadYourWritesDto, @Call() { principal }: HttpCall) {
    await this.readYourWrites(query);
    const scope = caseRowScope(principal);
    const { byStage, overdue, total } = await this.cases.stageCounts(scope);
    const at = (...stages: string[]) => stages.reduce((n, s) => n + (byStage[s] ?? 0), 0);
    return {
      total,
      byStage,
      overdue,
      // Whose move each open case waits for, by its stage (domain.md's lifecycle).
      waitingOn: {
        state: at('awaiting-consent', 'more-information') + overdue,
        committee: at('awaiting-screening'),
        providers: at('open-for-offers'),
        officers: at('matched'),
      },
    };
  }

  @Get('screening-queue')
  @Access(CASE_ROUTES.ScreeningQueue)
  @ApiOperation({
    summary:
      "Requests awaiting screening or more information, oldest first, with days waited: a member's region; for officers and auditors one region (?region=) or all",
  })
  @ApiOkResponse({ type: ScreeningQueueView })
  async queue(@Query() query: QueueDto, @Call() { principal }: HttpCall) {
    await this.readYourWrites(query);
    const region = screeningQueueRegion(principal, query.region) ?? null;
    return { region, requests: await this.cases.screeningQueue(region, this.clock.now()) };
  }

  @Get('matchmaking')
  @Access(CASE_ROUTES.Matchmaking)
  @ApiOperation({
    summary:
      'Open requests beside their open offers, by theme, with the direction of cooperation of each pairing',
  })
  @ApiOkResponse({
    description: 'Entries by theme',
    schema: {
      type: 'object',
      additionalProperties: { type: 'array', items: { $ref: getSchemaPath(BoardEntryView) } },
    },
  })
  async board(@Query() query: BoardDto, @Call() { principal }: HttpCall) {
    await this.readYourWrites(query);
    return this.cases.matchmakingBoard({ ...matchmakingScope(principal), session: query.session });
  }

  @Get('panel/:year')
  @Access(CASE_ROUTES.Panel)
  @ApiOperation({
    summary:
      'The annual item 10 panel: the funnel, its breakdowns and the success stories (JSON or CSV; asOf for a past moment)',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: PanelView, description: 'JSON, or CSV with ?format=csv' })
  async panel(
    @Param('year', ParseIntPipe) year: number,
    @Query() query: PanelDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const [rows, sessions] = await Promise.all([this.rowsAt(query), this.sessionsAt(query)]);
    const figures = panelFigures(await collect(rows), year, sessions);
    const body = {
      ...figures,
      session: query.session ?? null,
      asOf: query.asOf ?? null,
      asOfEffective: query.asOfEffective ?? null,
      computedAt: this.clock.now().toISOString(),
    };
    if (query.format !== 'csv') return body;
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="item10-panel-${year}.csv"`);
    return panelCsv(figures);
  }

  @Get('public/panel/:year')
  @Public()
  @ApiOperation({
    summary:
      "The annual item 10 panel for the public: the funnel's aggregate figures and the published success stories, no sign-in",
  })
  @ApiOkResponse({ type: PublicPanelView })
  async publicPanel(@Param('year', ParseIntPipe) year: number) {
    const figures = panelFigures(await collect(this.cases.all()), year, await this.sessionRows());
    return {
      ...figures,
      // What was profiled for publication, without Keystone's internal ids.
      successStories: figures.successStories.map(({ caseId: _id, ...story }) => story),
      computedAt: this.clock.now().toISOString(),
    };
  }

  @Get('impact')
  @Access(CASE_ROUTES.Impact)
  @ApiOperation({
    summary:
      'Impact: time to each step (median, 90th percentile), share offered and matched, reports on time, recommendation moves',
  })
  @ApiOkResponse({
    schema: FREE_FORM_OBJECT,
    description: 'Time to each step, offers, reports, recommendation moves',
  })
  async impact(@Query() query: ImpactDto) {
    return {
      ...impactFigures(await collect(await this.rowsAt(query)), {
        year: query.year,
        region: query.region,
      }),
      session: query.session ?? null,
      asOf: query.asOf ?? null,
      asOfEffective: query.asOfEffective ?? null,
    };
  }

  @Get('sessions')
  @Access(PLATFORM_ROUTES.ReadSessions)
  @ApiOperation({ summary: 'The platform’s sessions, soonest first: programme and status' })
  @ApiOkResponse({ schema: { type: 'array', items: FREE_FORM_OBJECT } })
  async sessions(@Query() query: ReadYourWritesDto) {
    await this.readYourWrites(query);
    return (await this.sessionRows()).map(({ presentations, ...programme }) => ({
      ...programme,
      presentations: presentations.length,
    }));
  }

  @Get('sessions/:id')
  @Access(PLATFORM_ROUTES.ReadSessions)
  @ApiOperation({
    summary:
      'A session: its programme, the presentations, the requests lodged and the offers pledged there, and its outcome figures',
  })
  @ApiOkResponse({ schema: FREE_FORM_OBJECT })
  async session(
    @Param('id') sessionId: string,
    @Query() query: ReadYourWritesDto,
    @Call() { principal }: HttpCall,
  ) {
    await this.readYourWrites(query);
    const session = (await this.sessionRows()).find((s) => s.sessionId === sessionId);
    if (!session) throw platformError.sessionNotFound(sessionId);
    const touched: CaseRow[] = [];
    for await (const row of this.cases.all())
      if (touchedBySession(row, sessionId)) touched.push(row);
    const scope = caseRowScope(principal);
    const visible = touched.filter(
      (row) =>
        (!scope.region || row.region === scope.region) &&
        (!scope.state || row.state === scope.state) &&
        (!scope.openForOffersOnly ||
          !['closed', 'declined', 'awaiting-consent', 'suspended'].includes(row.stage)),
    );
    const own = principal.role === 'provider' ? principal.provider.id : null;
    const seesOffers = own !== null || ['case-officer', 'auditor'].includes(principal.role);
    return {
      ...session,
      presentations: session.presentations.map((p) => ({
        ...p,
        stateName: memberState(p.state)?.name ?? p.state,
      })),
      requestsLodged: visible
        .filter((row) => row.sessionId === sessionId)
        .map((row) => ({
          caseId: row.caseId,
          state: row.state,
          stateName: row.stateName,
          region: row.region,
          ldc: row.ldc,
          sids: row.sids,
          themes: row.themes,
          sdgTargets: row.sdgTargets ?? [],
          notTiedToRecommendation: row.recommendations.length === 0,
          stage: row.stage,
          requestedAt: row.requestedAt,
        })),
      offersPledged: seesOffers
        ? visible.flatMap((row) =>
            row.offers
              .filter((o) => o.sessionId === sessionId)
              .filter((o) => own === null || providersOf(o).some((p) => p.id === own))
              .map((o) => ({
                caseId: row.caseId,
                offerId: o.offerId,
                providers: providersOf(o),
                offered: o.offered,
                status: o.status,
                madeAt: o.madeAt,
                matchedAt: o.matchedAt ?? null,
              })),
          )
        : [],
      outcomeFigures: sessionOutcome(session, touched),
    };
  }

  /** Every session row, soonest first. */
  private async sessionRows(): Promise<SessionRow[]> {
    const table = tableOf(sessionsProjection.name);
    return (
      await this.db.all<{ doc: string }>(`SELECT doc FROM ${table} ORDER BY start_date, key`)
    ).map((r) => JSON.parse(r.doc) as SessionRow);
  }

  private async sessionsAt(query: AsOfDto & { session?: string }): Promise<SessionRow[]> {
    const at = { asOf: query.asOf, asOfEffective: query.asOfEffective };
    const rows =
      !query.asOf && !query.asOfEffective
        ? await this.sessionRows()
        : [...(await replaySessionRows(this.store, at)).values()];
    return query.session ? rows.filter((s) => s.sessionId === query.session) : rows;
  }

  /** A theme's slug from any of its names, the themes officers accepted included; as given otherwise. */
  private async themeOf(text: string): Promise<string> {
    return (
      resolveThemeIn(text, acceptedThemes(await this.platform.themes())) ??
      resolveTheme(text) ??
      text
    );
  }

  /**
   * The case rows figures are computed from: the live read model (once it holds the caller's last
   * write), or the log replayed as recorded by `asOf` and as taken effect by `asOfEffective`.
   */
  private async rowsAt(
    query: AsOfDto & { session?: string },
  ): Promise<Iterable<CaseRow> | AsyncIterable<CaseRow>> {
    await this.readYourWrites(query);
    const at = { asOf: query.asOf, asOfEffective: query.asOfEffective };
    const rows =
      !query.asOf && !query.asOfEffective
        ? this.cases.all()
        : (await replayCaseRows(this.store, at)).values();
    return query.session ? onlySession(rows, query.session) : rows;
  }

  private async readYourWrites(query: ReadYourWritesDto): Promise<void> {
    if (query.waitForPosition === undefined) return;
    if (!(await this.loop.waitFor(query.waitForPosition, READ_YOUR_WRITES_TIMEOUT_MS))) {
      throw new DomainError(
        'PROJECTION.BEHIND',
        'conflict',
        `The read models have not reached position ${query.waitForPosition} within ${READ_YOUR_WRITES_TIMEOUT_MS} ms; retry shortly.`,
        {
          waitForPosition: query.waitForPosition,
          status: await this.loop.status(),
        },
      );
    }
  }
}

async function* onlySession(
  rows: Iterable<CaseRow> | AsyncIterable<CaseRow>,
  sessionId: string,
): AsyncGenerator<CaseRow> {
  for await (const row of rows) if (touchedBySession(row, sessionId)) yield row;
}
