import 'reflect-metadata';
import { DynamicModule, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, type KeystoneConfig } from '@keystone/config';
import { CLOCK, EventStoreModule, systemClock } from '@keystone/event-store';
import { ReactionsModule } from '@keystone/reactions';
import { PROJECTION_LOOP, ProjectionsModule, type ProjectionLoop } from '@keystone/projections';

/** The worker: keeps the projections caught up (and, with the reactions, runs the queues). */
@Module({})
class WorkerModule {
  static forRoot(config: KeystoneConfig): DynamicModule {
    return {
      module: WorkerModule,
      global: true,
      imports: [
        EventStoreModule.forRoot(config.store),
        ProjectionsModule.forRoot({ run: true }),
        ReactionsModule.forRoot({
          redisUrl: config.redisUrl,
          prefix: config.queuePrefix,
          followUp: config.followUp,
          ...(config.webhook ? { webhook: config.webhook } : {}),
          runReactors: true,
          runProcessors: true,
          http: false,
        }),
      ],
      providers: [{ provide: CLOCK, useValue: systemClock }],
      exports: [CLOCK],
    };
  }
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: ['warn', 'error'],
  });
  app.enableShutdownHooks();
  const loop = app.get<ProjectionLoop>(PROJECTION_LOOP);
  const logger = new Logger('Keystone worker');
  logger.log(`following the ${config.store.kind} log: ${JSON.stringify(await loop.status())}`);
  process.stdout.write('worker: ready\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
