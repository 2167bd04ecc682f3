import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { redactUrl, type KeystoneConfig } from '@keystone/config';
import { KEYSTONE_CONFIG } from '../config.token';

/** Whether Redis answers: no address, user or raw error (those go to the process log). */
export interface RedisHealth {
  readonly status: 'up' | 'down';
  /**
   * How the Redis keeps its data across a restart: an append-only file, snapshots, nothing (delayed
   * jobs, reminders and overdue checks among them, are then lost on a restart), or unknown (CONFIG
   * is not allowed, as on some managed Redis).
   */
  readonly persistence?: 'aof' | 'rdb' | 'none' | 'unknown';
}

/** Watches Redis without depending on it: the API keeps serving while Redis is away. */
@Injectable()
export class RedisProbe implements OnApplicationShutdown {
  private readonly client: Redis;
  private lastError: string | undefined;
  private reported = false;
  private readonly logger = new Logger('Keystone health');

  constructor(@Inject(KEYSTONE_CONFIG) private readonly config: KeystoneConfig) {
    // No background reconnection: each health check that finds Redis away tries once, so a
    // missing Redis costs nothing between checks and leaves no timers behind at shutdown.
    this.client = new Redis(config.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 0, // bounded by withTimeout below; ioredis's own timer outlives a refused socket
      retryStrategy: () => null,
      disconnectTimeout: 200,
    });
    this.client.on('error', (error: Error) => (this.lastError = error.message || error.name));
    this.client.on('ready', () => (this.lastError = undefined));
  }

  async health(): Promise<RedisHealth> {
    try {
      if (this.client.status === 'wait' || this.client.status === 'end') {
        await withTimeout(this.client.connect(), 2_500);
      }
      if (this.client.status !== 'ready') throw new Error(`connection ${this.client.status}`);
      await withTimeout(this.client.ping(), 1_000);
      if (this.reported) this.logger.log('Redis answers again');
      this.reported = false;
      return { status: 'up', persistence: await this.persistence() };
    } catch (error) {
      if (!this.reported)
        this.logger.warn(
          `Redis at ${redactUrl(this.config.redisUrl)} does not answer: ${this.lastError ?? (error instanceof Error ? error.message : String(error))}`,
        );
      this.reported = true;
      return { status: 'down' };
    }
  }

  private async persistence(): Promise<NonNullable<RedisHealth['persistence']>> {
    try {
      const [, appendonly] = (await withTimeout(
        this.client.config('GET', 'appendonly'),
        1_000,
      )) as string[];
      if (appendonly === 'yes') return 'aof';
      const [, save] = (await withTimeout(this.client.config('GET', 'save'), 1_000)) as string[];
      return save && save.trim() !== '' ? 'rdb' : 'none';
    } catch {
      return 'unknown';
    }
  }

  onApplicationShutdown(): void {
    // Disconnecting an ended client would leave ioredis's disconnect timer running.
    if (this.client.status !== 'end') this.client.disconnect();
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
