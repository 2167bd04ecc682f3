import 'reflect-metadata';
import { DynamicModule, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ConfigError,
  describeStartFailure,
  loadConfig,
  StartupLogger,
  type KeystoneConfig,
} from '@keystone/config';
import { CLOCK, EVENT_STORE, systemClock, type EventStore } from '@keystone/event-store';
import { EventStoreModule } from '@keystone/event-store/adapters';
import { PeopleService } from '@keystone/people';
import { ReactionsModule } from '@keystone/reactions';
import { PROJECTION_LOOP, ProjectionsModule, type ProjectionLoop } from '@keystone/projections';
import { CheckpointSchedule } from './checkpoint-schedule';

/**
 * The worker: the roles of KEYSTONE_ROLES other than api (which the API process serves): keeps the
 * read models caught up (projections), follows the log into the queues (reactors), runs the jobs
 * (processors). Several workers share the work safely; see infra/PRODUCTION.md.
 */
@Module({})
class WorkerModule {
  static forRoot(config: KeystoneConfig): DynamicModule {
    return {
      module: WorkerModule,
      global: true,
      imports: [
        EventStoreModule.forRoot(config.store),
        ProjectionsModule.forRoot({ run: config.roles.projections }),
        ReactionsModule.forConfig(config, false, (store, clock) => new PeopleService(store, clock)),
      ],
      providers: [{ provide: CLOCK, useValue: systemClock }],
      exports: [CLOCK],
    };
  }
}

const WORKER_ROLES = ['projections', 'reactors', 'processors'] as const;

let started: KeystoneConfig | undefined;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  started = config;
  const roles = WORKER_ROLES.filter((role) => config.roles[role]);
  if (roles.length === 0) {
    throw new ConfigError([
      `KEYSTONE_ROLES gives the worker nothing to do: name one or more of ${WORKER_ROLES.join(', ')}`,
    ]);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new StartupLogger(['warn', 'error']),
    abortOnError: false, // a provider that cannot start is said in one line by main, not by Nest
  });
  app.enableShutdownHooks();
  const loop = app.get<ProjectionLoop>(PROJECTION_LOOP);
  const logger = new Logger('Keystone worker');
  logger.log(
    `roles ${roles.join(', ')} on the ${config.store.kind} log: ${JSON.stringify(await loop.status())}`,
  );
  if (config.roles.processors && config.checkpointEveryMinutes > 0) {
    const schedule = await CheckpointSchedule.start({
      store: app.get<EventStore>(EVENT_STORE),
      redisUrl: config.redisUrl,
      prefix: config.queuePrefix,
      everyMs: config.checkpointEveryMinutes * 60_000,
      evidenceKeyFile: config.evidenceKeyFile,
      clock: systemClock,
    });
    // Closed before the store: Nest closes the store on the same signals, after this listener.
    for (const signal of ['SIGTERM', 'SIGINT'] as const)
      process.once(signal, () => void schedule.stop());
    logger.log(`signed checkpoints every ${config.checkpointEveryMinutes} minutes`);
  }
  process.stdout.write('worker: ready\n');
}

// A bad start: one line saying what, where and how to fix it, and exit code 2.
main().catch((error: unknown) => {
  console.error(describeStartFailure('worker', error, started));
  process.exit(2);
});
