import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@keystone/event-store';
import { sqlBesideLog } from '@keystone/sql';
import { ExpertsHttpController } from './api/experts.http.controller';
import { ExpertReader } from './application/expert-reader';
import { EXPERT_KEY_STORE, KEY_WRAPPER, type KeyWrapper } from './application/personal-data';
import { ROSTER_COMMAND_HANDLERS } from './application/roster.commands';
import { SqlExpertKeyStore } from './infrastructure/expert-key-stores';

@Module({})
export class RosterModule {
  /** `keyWrapper` holds the key-encryption key, which the composition root keeps outside the database. */
  static forRoot(keyWrapper: KeyWrapper): DynamicModule {
    return {
      module: RosterModule,
      // The roster's read side (the experts list) reads names through the reader, wherever it is served.
      global: true,
      imports: [CqrsModule],
      controllers: [ExpertsHttpController],
      providers: [
        ExpertReader,
        ...ROSTER_COMMAND_HANDLERS,
        { provide: KEY_WRAPPER, useValue: keyWrapper },
        {
          provide: EXPERT_KEY_STORE,
          // Experts' keys live in the SQL beside the log, in a table of their own, wrapped.
          useFactory: (store: EventStore, wrapper: KeyWrapper) =>
            new SqlExpertKeyStore(sqlBesideLog(store), wrapper),
          inject: [EVENT_STORE, KEY_WRAPPER],
        },
      ],
      exports: [EXPERT_KEY_STORE, ExpertReader],
    };
  }
}
