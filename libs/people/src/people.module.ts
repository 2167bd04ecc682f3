import { DynamicModule, Module } from '@nestjs/common';
import { SESSION_RESOLVER } from '@keystone/access';
import { AuthHttpController, PeopleHttpController } from './api/people.http.controller';
import { OidcSignIn, type OidcBrowserSettings } from './application/oidc-sign-in';
import { PeopleService } from './application/people.service';
import { OIDC_SIGN_IN } from './application/tokens';

/** People who sign in to the web app: invitations, roles (as events), sessions, the identity provider. */
@Module({})
export class PeopleModule {
  static forRoot(options: { oidc: OidcBrowserSettings | null }): DynamicModule {
    return {
      module: PeopleModule,
      controllers: [AuthHttpController, PeopleHttpController],
      providers: [
        PeopleService,
        { provide: SESSION_RESOLVER, useExisting: PeopleService },
        { provide: OIDC_SIGN_IN, useValue: options.oidc ? new OidcSignIn(options.oidc) : null },
      ],
      exports: [PeopleService, SESSION_RESOLVER],
    };
  }
}
