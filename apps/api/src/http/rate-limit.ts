import { createHash } from 'node:crypto';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { NextFunction, Request, Response } from 'express';
import Redis from 'ioredis';
import type { KeystoneConfig } from '@keystone/config';
import { SlidingWindowStorage } from './sliding-window-storage';

const WINDOW_MS = 60_000;
/** How long a client that went over its limit waits before it is counted again. */
const BLOCK_MS = 10_000;
/** A limiter that cannot count in time lets the request through rather than stall everyone. */
const STORAGE_TIMEOUT_MS = 250;

/**
 * The counters of @nestjs/throttler, in this process's memory (the embedded default: counted in
 * constant time, sliding-window-storage.ts) or in Redis (shared by every API of a deployment),
 * closed with the application.
 */
export class RateLimitStorage implements OnApplicationShutdown {
  readonly storage: ThrottlerStorage;
  private readonly redis: Redis | null;
  private readonly memory: SlidingWindowStorage | null;

  constructor(config: KeystoneConfig) {
    if (config.http.rateLimit.store === 'redis') {
      this.redis = new Redis(config.redisUrl, {
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        connectTimeout: 1_000,
        commandTimeout: STORAGE_TIMEOUT_MS,
        keyPrefix: `${config.queuePrefix}:rate:`,
      });
      this.redis.on('error', () => undefined); // counted as "cannot count": requests pass
      this.memory = null;
      this.storage = new ThrottlerStorageRedisService(this.redis);
    } else {
      this.redis = null;
      this.memory = new SlidingWindowStorage();
      this.storage = this.memory;
    }
  }

  /** Waits (at most `ms`) for Redis to answer, so limits hold from the first request. */
  async ready(ms: number): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      redis.once('ready', done);
    });
  }

  onApplicationShutdown(): void {
    this.memory?.close();
    this.redis?.disconnect();
  }
}

/** A request counts one, plus one for every 4 KiB of body it announces: big bodies cost their parse. */
const BYTES_PER_UNIT = 4 * 1024;
const MAX_UNITS = 256;

/**
 * Rate limits that hold before any work is done on a request (before its body is even parsed):
 * per client address, and per credential (a hash of the Authorization header, so one caller's
 * burst never spends another's allowance). A request weighs one, plus one per 4 KiB of the body it
 * announces, so a client sending large bodies runs out sooner. Over the limit: 429
 * REQUEST.RATE_LIMITED with Retry-After. The public health check is not counted (load balancers
 * poll it).
 */
export function rateLimiter(
  storage: ThrottlerStorage,
  limits: { readonly perAddress: number; readonly perCaller: number },
) {
  const logger = new Logger('Keystone rate limits');
  let failing = false;
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' && req.path === '/health') return next();
    const checks: [name: string, key: string, limit: number][] = [
      ['address', req.ip ?? req.socket.remoteAddress ?? 'unknown', limits.perAddress],
    ];
    const credential = req.headers.authorization;
    if (credential)
      checks.push([
        'caller',
        createHash('sha256').update(credential).digest('hex'),
        limits.perCaller,
      ]);
    const announced = Number(req.headers['content-length'] ?? 0) || 0;
    const units = 1 + Math.min(MAX_UNITS, Math.floor(announced / BYTES_PER_UNIT));
    try {
      for (const [name, key, limit] of checks) {
        for (let unit = 0; unit < units; unit++) {
          const record = await withTimeout(
            storage.increment(`${name}:${key}`, WINDOW_MS, limit, BLOCK_MS, name),
          );
          if (record.isBlocked)
            return refuse(res, name, limit, record.timeToBlockExpire, announced > 0);
        }
      }
      failing = false;
    } catch (error) {
      if (!failing) logger.warn(`cannot count requests, letting them through: ${String(error)}`);
      failing = true;
    }
    next();
  };
}

function refuse(
  res: Response,
  name: string,
  limit: number,
  retryAfterSeconds: number,
  unreadBody: boolean,
) {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  res.setHeader('Retry-After', String(seconds));
  // The body was never read: closing the connection spares reading it only to throw it away.
  if (unreadBody) res.setHeader('Connection', 'close');
  res.setHeader('Cache-Control', 'no-store');
  res.status(429).json({
    code: 'REQUEST.RATE_LIMITED',
    message: `Too many requests from this ${name === 'address' ? 'address' : 'credential'}: at most ${limit} a minute (a request counts one, and one more per 4 KiB of body). Retry after ${seconds} s.`,
    details: { limit, per: name, retryAfterSeconds: seconds },
  });
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`no answer within ${STORAGE_TIMEOUT_MS} ms`)),
        STORAGE_TIMEOUT_MS,
      ).unref(),
    ),
  ]);
}
