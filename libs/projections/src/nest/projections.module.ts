import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@keystone/event-store';
import { ReadModelsHttpController } from '../api/read-models.http.controller';
import { casesProjection } from '../cases/cases.projection';
import { expertsProjection } from '../roster/experts.projection';
import { sessionsProjection } from '../platform/sessions.projection';
import { CasesReadModel } from '../queries/cases.read-model';
import { ProjectionLoop } from '../runner/projection-loop';
import type { DocumentProjection } from '../runner/projection';
import { READ_MODEL_DB, sqlDatabaseFor, type SqlDatabase } from '@keystone/sql';

import { PROJECTION_LOOP } from './tokens';

export { PROJECTION_LOOP, READ_MODEL_DB };

/** Every projection Keystone keeps. */
export const PROJECTIONS: readonly DocumentProjection<unknown>[] = [
  casesProjection as DocumentProjection<unknown>,
  expertsProjection as DocumentProjection<unknown>,
  sessionsProjection as DocumentProjection<unknown>,
];

export interface ProjectionsOptions {
  /** Whether this process keeps the projections caught up (the worker does; so does the embedded API). */
  readonly run: boolean;
  /** Whether this process serves the read models over HTTP. */
  readonly http?: boolean;
}

@Injectable()
class ProjectionsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(PROJECTION_LOOP) private readonly loop: ProjectionLoop,
    @Inject('PROJECTIONS_OPTIONS') private readonly options: ProjectionsOptions,
    @Inject('READ_MODEL_DB_CLOSE') private readonly close: () => void,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.run) await this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    this.close();
  }
}

@Global()
@Module({})
export class ProjectionsModule {
  static forRoot(options: ProjectionsOptions): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [
        { provide: 'PROJECTIONS_OPTIONS', useValue: options },
        {
          provide: 'READ_MODEL',
          useFactory: (store: EventStore) => sqlDatabaseFor(store),
          inject: [EVENT_STORE],
        },
        {
          provide: READ_MODEL_DB,
          useFactory: (rm: { db: SqlDatabase }) => rm.db,
          inject: ['READ_MODEL'],
        },
        {
          provide: 'READ_MODEL_DB_CLOSE',
          useFactory: (rm: { close(): void }) => () => rm.close(),
          inject: ['READ_MODEL'],
        },
        {
          provide: PROJECTION_LOOP,
          useFactory: (db: SqlDatabase, store: EventStore) =>
            new ProjectionLoop(db, store, PROJECTIONS),
          inject: [READ_MODEL_DB, EVENT_STORE],
        },
        {
          provide: CasesReadModel,
          useFactory: (db: SqlDatabase) => new CasesReadModel(db),
          inject: [READ_MODEL_DB],
        },
        ProjectionsLifecycle,
      ],
      controllers: options.http ? [ReadModelsHttpController] : [],
      exports: [READ_MODEL_DB, PROJECTION_LOOP, CasesReadModel],
    };
  }
}
