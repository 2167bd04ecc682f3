import { Module } from '@nestjs/common';
import { SESSION_RESOLVER } from '@keystone/access';
import { AuthHttpController, PeopleHttpController } from './api/people.http.controller';
import { PeopleService } from './application/people.service';

/** People who sign in to the web app: invitations, roles (as events), sessions. */
@Module({
  controllers: [AuthHttpController, PeopleHttpController],
  providers: [PeopleService, { provide: SESSION_RESOLVER, useExisting: PeopleService }],
  exports: [PeopleService, SESSION_RESOLVER],
})
export class PeopleModule {}
