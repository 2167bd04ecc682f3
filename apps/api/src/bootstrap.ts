import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { KeystoneConfig } from '@keystone/config';
import { AppModule, type AppOptions } from './app.module';
import { mountOpenApi } from './http/openapi';
import { mountQueueDashboard } from './http/queue-dashboard';
import { rateLimiter, RateLimitStorage } from './http/rate-limit';
import { jsonBodies, requestValidationPipe } from './http/request-validation';
import { securityHeaders } from './http/security-headers';

/** Builds the HTTP application for a configuration; main.ts and the e2e tests share it. */
export async function createApi(
  config: KeystoneConfig,
  options: AppOptions & { logger?: false } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    logger: options.logger ?? ['log', 'warn', 'error'],
    bodyParser: false,
  });
  app.disable('x-powered-by');
  // Counted before anything else is done: a client over its limit never costs a body parse.
  const limits = app.get(RateLimitStorage);
  await limits.ready(2_000);
  app.use(rateLimiter(limits.storage, config.http.rateLimit));
  app.use(securityHeaders());
  app.use(...jsonBodies(config.http.maxBodyBytes));
  app.useGlobalPipes(requestValidationPipe());
  app.enableShutdownHooks();
  mountOpenApi(app);
  mountQueueDashboard(app);
  return app;
}
