import { Controller, Get, HttpStatus, Inject, Logger, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Public, routeRules } from '@keystone/access';
import {
  type EventStore,
  type EventStoreHealth,
  writesWaitingForLock,
} from '@keystone/event-store';
import { InjectEventStore } from '@keystone/event-store/adapters';
import { PROJECTION_LOOP, type ProjectionLoop, type ProjectionStatus } from '@keystone/projections';
import { ReactorLoop, type QueueStatus } from '@keystone/reactions';
import { PROCESS_ROLES, type KeystoneConfig, type ProcessRole } from '@keystone/config';
import { KEYSTONE_CONFIG } from '../config.token';
import { RedisProbe, type RedisHealth } from './redis.probe';

export interface HealthReport {
  readonly status: 'ok' | 'degraded' | 'down';
  /** What is down, by name ('event log', 'redis'); absent when nothing is. */
  readonly down?: readonly string[];
  /** What works but risks something, in a sentence each; absent when nothing does. */
  readonly warnings?: readonly string[];
  /** What this process does (KEYSTONE_ROLES): which parts of the topology it answers for. */
  readonly roles: readonly ProcessRole[];
  /** On SQLite, also how many writes of this process wait for another process's lock right now. */
  readonly eventStore: EventStoreHealth & { readonly writesWaitingForLock?: number };
  readonly redis: RedisHealth;
  /** Each projection's checkpoint and how far it is behind the log. */
  readonly projections: readonly ProjectionStatus[] | { readonly error: string };
  readonly queues: QueueStatus | { readonly error: string };
}

/** Who may read the details: the administrators who run Keystone. */
const HEALTH_ROUTES = routeRules({ ReadHealthDetails: ['admin'] });

/**
 * Up while the log is reachable; Redis being away degrades, never downs, the API. The public answer
 * is one word; the details (for administrators) name no host, user or raw error: those go to the log.
 */
/** The public health answer (details stay with the administrators). */
export class HealthView {
  @ApiProperty({ enum: ['ok', 'degraded', 'down'] }) status!: string;
  @ApiPropertyOptional({ type: [String], description: 'What is down' }) down?: string[];
  @ApiPropertyOptional({ type: [String], description: 'What needs attention soon' })
  warnings?: string[];
}

@Controller('health')
export class HealthHttpController {
  private readonly logger = new Logger('Keystone health');

  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly redis: RedisProbe,
    @Inject(PROJECTION_LOOP) private readonly projections: ProjectionLoop,
    private readonly reactions: ReactorLoop,
    @Inject(KEYSTONE_CONFIG) private readonly config: KeystoneConfig,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary:
      'Is Keystone up: ok, degraded (with what is down), or down; for load balancers and people',
  })
  @ApiOkResponse({ type: HealthView })
  async health(
    @Res({ passthrough: true }) response: Response,
  ): Promise<Pick<HealthReport, 'status' | 'down' | 'warnings'>> {
    const { status, down, warnings } = await this.details(response);
    return { status, ...(down ? { down } : {}), ...(warnings ? { warnings } : {}) };
  }

  @Get('details')
  @Access(HEALTH_ROUTES.ReadHealthDetails)
  @ApiOperation({
    summary: 'Health in detail: the log, Redis, each read model and reactor, queues and disk',
  })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  async details(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const [stored, redis] = await Promise.all([this.store.health(), this.redis.health()]);
    if (stored.error) this.logger.warn(`the log cannot be reached: ${stored.error}`);
    const eventStore = {
      adapter: stored.adapter,
      reachable: stored.reachable,
      lastPosition: stored.lastPosition,
      ...(stored.adapter === 'sqlite' ? { writesWaitingForLock: writesWaitingForLock() } : {}),
      ...(stored.reachable ? {} : { error: 'the log cannot be reached (see the process log)' }),
    };
    const projections = eventStore.reachable
      ? await this.projections
          .status()
          .then((all) => all.map(withoutRawError))
          .catch(() => ({ error: 'the read models cannot be read (see the process log)' }))
      : { error: 'the log is unreachable' };
    const queues = !eventStore.reachable
      ? { error: 'the log is unreachable' }
      : redis.status !== 'up'
        ? {
            error:
              'Redis is down: the reactor waits and goes on from its checkpoint when Redis is back',
          }
        : await withTimeout(this.reactions.status(), 1_000)
            .then(withoutRawError)
            .catch(() => ({ error: 'the queues do not answer (see the process log)' }));
    const status = !eventStore.reachable
      ? 'down'
      : redis.status === 'up' && !stored.warnings?.length
        ? 'ok'
        : 'degraded';
    response.status(status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    const roles = PROCESS_ROLES.filter((role) => this.config.roles[role]);
    const down = [
      ...(eventStore.reachable ? [] : ['event log']),
      ...(redis.status === 'up' ? [] : ['redis']),
    ];
    const warnings = [
      ...(redis.persistence === 'none'
        ? [
            'Redis keeps no data across a restart (no append-only file, no snapshots): scheduled reminders and overdue checks would be lost; run it with appendonly yes',
          ]
        : []),
      ...(stored.warnings ?? []),
      ...('followUpDeadLetters' in queues && queues.followUpDeadLetters
        ? [
            `${queues.followUpDeadLetters} follow-up job(s) failed for good (dead letters): the case officers were told in their inbox; see the queue dashboard`,
          ]
        : []),
    ];
    return {
      status,
      ...(down.length > 0 ? { down } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
      roles,
      eventStore,
      redis,
      projections,
      queues,
    };
  }
}

/** A projection's or the reactor's last error stays in the process log; health says only that there is one. */
function withoutRawError<T extends { error?: string; reactorError?: string }>(status: T): T {
  return {
    ...status,
    ...(status.error ? { error: 'failing; retrying (see the process log)' } : {}),
    ...(status.reactorError ? { reactorError: 'paused; retrying (see the process log)' } : {}),
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}
