import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Idempotency, RequestPrincipals } from '@keystone/access';
import type { KeystoneConfig } from '@keystone/config';
import { AppModule, type AppOptions } from './app.module';
import { mountOpenApi } from './http/openapi';
import { mountQueueDashboard } from './http/queue-dashboard';
import { rateLimiter, RateLimitStorage } from './http/rate-limit';
import { idempotentPosts } from './http/idempotency';
import { jsonBodies, requestValidationPipe } from './http/request-validation';
import { securityHeaders } from './http/security-headers';

/** Builds the HTTP application for a configuration; main.ts and the e2e tests share it. */
export async function createApi(
  config: KeystoneConfig,
  options: AppOptions & { logger?: false | LoggerService } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    logger: options.logger ?? ['log', 'warn', 'error'],
    bodyParser: false,
    // A provider that cannot start (the log unreachable, damaged) is thrown to the caller, which
    // says why in one line; Nest would otherwise print it and exit on its own.
    abortOnError: false,
  });
  app.disable('x-powered-by');
  // Counted before anything else is done: a client over its limit never costs a body parse.
  const limits = app.get(RateLimitStorage);
  await limits.ready(2_000);
  app.use(rateLimiter(limits.storage, config.http.rateLimit));
  app.use(securityHeaders());
  app.use(...jsonBodies(config.http.maxBodyBytes));
  app.use(idempotentPosts(app.get(Idempotency), app.get(RequestPrincipals)));
  app.useGlobalPipes(requestValidationPipe());
  app.enableShutdownHooks();
  mountOpenApi(app);
  mountQueueDashboard(app);
  serveWebApp(app);
  return app;
}

/**
 * The browser application (apps/web, built by `npm run web:build` into dist/web) at /, same origin
 * as the API. Its hashed assets may be cached for good; the page itself is never cached.
 */
function serveWebApp(app: NestExpressApplication): void {
  const dir = join(projectRoot(__dirname), 'dist', 'web');
  if (!existsSync(join(dir, 'index.html'))) return;
  app.useStaticAssets(dir, {
    index: 'index.html',
    setHeaders: (res, path) => {
      if (path.includes(`${sep}assets${sep}`))
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
}

/** The folder holding package.json, from source (apps/api/src) or compiled (dist/apps/api/src). */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}
