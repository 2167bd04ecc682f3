import { Controller, Get, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { Access, routeRules } from '@keystone/access';
import { CLOCK, EVENT_STORE, type Clock, type EventStore } from '@keystone/event-store';
import { CheckpointBook } from '../checkpoint';
import { exportBundle } from '../evidence-bundle';
import { evidenceSigningKey } from '../signing-key';
import { verifyLog } from '../verify-log';

/** Where the evidence signing key lives (the process's configuration says). */
export const EVIDENCE_KEY_FILE = Symbol('EVIDENCE_KEY_FILE');

/** The audit context's policy: auditors (and case officers) check the log and take evidence. */
export const AUDIT_ROUTES = routeRules({
  VerifyLog: ['auditor', 'case-officer'],
  ExportEvidence: ['auditor', 'case-officer'],
});

/** At most this many findings in the answer (their count is always whole). */
const FINDINGS_SHOWN = 50;

export class EvidenceQueryDto {
  @ApiProperty({ description: 'The case whose events the bundle carries' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  caseId!: string;
}

/**
 * What `keystone verify` and `keystone export --case` do, for an auditor in a browser: the log's
 * chains recomputed (and the checkpoints kept beside it), and a signed evidence bundle to download.
 */
@ApiTags('audit')
@Controller('audit')
export class AuditHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVIDENCE_KEY_FILE) private readonly keyFile: string,
  ) {}

  @Post('verifications')
  @HttpCode(200)
  @Access(AUDIT_ROUTES.VerifyLog)
  @ApiOperation({
    summary:
      'Verify the log now: every stream chain and the log chain recomputed, versions, positions, heads, kept checkpoints',
  })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  async verify() {
    const started = Date.now();
    const against = (await new CheckpointBook(this.store).all()).map((c) => ({
      label: `the checkpoint kept beside the log, signed ${c.createdAt}`,
      logPosition: c.logPosition,
      logHash: c.logHash,
    }));
    const result = await verifyLog(this.store, { against });
    return {
      intact: result.findings.length === 0,
      eventsChecked: result.eventsChecked,
      streamsChecked: result.streamsChecked,
      lastPosition: result.lastPosition,
      logHead: result.logHead,
      checkpoints: result.checkpoints,
      findingsCount: result.findings.length,
      findings: result.findings.slice(0, FINDINGS_SHOWN),
      checkedAt: this.clock.now().toISOString(),
      seconds: (Date.now() - started) / 1000,
    };
  }

  @Get('evidence')
  @Access(AUDIT_ROUTES.ExportEvidence)
  @ApiProduces('application/json')
  @ApiOperation({
    summary:
      'A signed evidence bundle of one case (its events, hashes, chain anchors and heads; Ed25519), as a download',
  })
  @ApiOkResponse({
    description: 'The bundle (docs/evidence-bundle.md)',
    schema: { type: 'object', additionalProperties: true },
  })
  async evidence(@Query() query: EvidenceQueryDto, @Res({ passthrough: true }) response: Response) {
    const bundle = await exportBundle(
      this.store,
      { caseId: query.caseId },
      evidenceSigningKey(this.keyFile),
      this.clock.now(),
    );
    const safe = query.caseId.replace(/[^\w-]/g, '');
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="keystone-evidence-${safe}.json"`,
    );
    return bundle;
  }
}
