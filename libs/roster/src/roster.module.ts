import { Module } from '@nestjs/common';
import { companionSqlOf, EVENT_STORE, type EventStore } from '@keystone/event-store';
import { ExpertsHttpController } from './api/experts.http.controller';
import { EXPERT_KEY_STORE, type ExpertKeyStore } from './application/personal-data';
import { ROSTER_COMMAND_HANDLERS } from './application/roster.commands';
import { RosterService } from './application/roster.service';
import { CqrsModule } from '@nestjs/cqrs';
import { PostgresExpertKeyStore, SqliteExpertKeyStore } from './infrastructure/expert-key-stores';

/** Experts' keys live in the same database as the log, in a table of their own. */
function keyStoreFor(store: EventStore): ExpertKeyStore {
  const sql = companionSqlOf(store);
  return sql.kind === 'sqlite'
    ? new SqliteExpertKeyStore(sql.database)
    : new PostgresExpertKeyStore(sql.pool);
}

@Module({
  imports: [CqrsModule],
  controllers: [ExpertsHttpController],
  providers: [
    RosterService,
    ...ROSTER_COMMAND_HANDLERS,
    { provide: EXPERT_KEY_STORE, useFactory: keyStoreFor, inject: [EVENT_STORE] },
  ],
  exports: [RosterService, EXPERT_KEY_STORE],
})
export class RosterModule {}
