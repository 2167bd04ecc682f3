import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '@keystone/access';
import { type EventStore, type EventStoreHealth } from '@keystone/event-store';
import { InjectEventStore } from '@keystone/event-store/adapters';
import { PROJECTION_LOOP, type ProjectionLoop, type ProjectionStatus } from '@keystone/projections';
import { ReactorLoop, type QueueStatus } from '@keystone/reactions';
import { PROCESS_ROLES, type KeystoneConfig, type ProcessRole } from '@keystone/config';
import { KEYSTONE_CONFIG } from '../config.token';
import { RedisProbe, type RedisHealth } from './redis.probe';

export interface HealthReport {
  readonly status: 'ok' | 'degraded' | 'down';
  /** What this process does (KEYSTONE_ROLES): which parts of the topology it answers for. */
  readonly roles: readonly ProcessRole[];
  readonly eventStore: EventStoreHealth;
  readonly redis: RedisHealth;
  /** Each projection's checkpoint and how far it is behind the log. */
  readonly projections: readonly ProjectionStatus[] | { readonly error: string };
  readonly queues: QueueStatus | { readonly error: string };
}

/** Up while the log is reachable; Redis being away degrades, never downs, the API. */
@Controller('health')
export class HealthHttpController {
  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly redis: RedisProbe,
    @Inject(PROJECTION_LOOP) private readonly projections: ProjectionLoop,
    private readonly reactions: ReactorLoop,
    @Inject(KEYSTONE_CONFIG) private readonly config: KeystoneConfig,
  ) {}

  @Get()
  @Public()
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const [eventStore, redis] = await Promise.all([this.store.health(), this.redis.health()]);
    const projections = eventStore.reachable
      ? await this.projections.status().catch((error: Error) => ({ error: error.message }))
      : { error: 'the log is unreachable' };
    const queues = !eventStore.reachable
      ? { error: 'the log is unreachable' }
      : redis.status !== 'up'
        ? {
            error:
              'Redis is down: the reactor waits and goes on from its checkpoint when Redis is back',
          }
        : await withTimeout(this.reactions.status(), 1_000).catch((error: Error) => ({
            error: error.message,
          }));
    const status = !eventStore.reachable ? 'down' : redis.status === 'up' ? 'ok' : 'degraded';
    response.status(status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    const roles = PROCESS_ROLES.filter((role) => this.config.roles[role]);
    return { status, roles, eventStore, redis, projections, queues };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}
