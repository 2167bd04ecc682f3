import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { KeystoneConfig } from '@keystone/config';
import { AppModule } from './app.module';

/** Builds the HTTP application for a configuration; main.ts and the e2e tests share it. */
export async function createApi(
  config: KeystoneConfig,
  options: { logger?: false } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), {
    logger: options.logger ?? ['log', 'warn', 'error'],
  });
  app.enableShutdownHooks();
  return app;
}
