import 'reflect-metadata';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, type KeystoneConfig } from '@keystone/config';
import { EVENT_STORE, EventStoreModule, type EventStore } from '@keystone/event-store';

/**
 * The worker's composition root: it opens the same event log as the API and is where the
 * projection runner (issue 4) and the BullMQ processors (issue 5) are wired. Until they land it
 * reports the log it would follow and keeps running, so deployments can already place it.
 */
@Module({})
class WorkerModule {
  static forRoot(config: KeystoneConfig): DynamicModule {
    return { module: WorkerModule, imports: [EventStoreModule.forRoot(config.store)] };
  }
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config));
  app.enableShutdownHooks();
  const health = await app.get<EventStore>(EVENT_STORE).health();
  new Logger('Keystone worker').log(
    `event log ${health.adapter} reachable=${health.reachable} at position ${health.lastPosition}; no projections or processors are registered in this build`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
