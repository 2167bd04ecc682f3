import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@keystone/event-store';
import { sqlBesideLog } from '@keystone/sql';
import { ExpertsHttpController } from './api/experts.http.controller';
import { ExpertReader } from './application/expert-reader';
import { EXPERT_KEY_STORE } from './application/personal-data';
import { ROSTER_COMMAND_HANDLERS } from './application/roster.commands';
import { SqlExpertKeyStore } from './infrastructure/expert-key-stores';

@Module({
  imports: [CqrsModule],
  controllers: [ExpertsHttpController],
  providers: [
    ExpertReader,
    ...ROSTER_COMMAND_HANDLERS,
    {
      provide: EXPERT_KEY_STORE,
      // Experts' keys live in the SQL beside the log, in a table of their own.
      useFactory: (store: EventStore) => new SqlExpertKeyStore(sqlBesideLog(store)),
      inject: [EVENT_STORE],
    },
  ],
  exports: [EXPERT_KEY_STORE],
})
export class RosterModule {}
