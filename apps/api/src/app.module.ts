import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import {
  AccessGuard,
  IDEMPOTENCY_LEASE_MS,
  Idempotency,
  idempotencyStoreProvider,
  RequestPrincipals,
  TOKEN_VERIFIER,
  TokenVerifier,
} from '@keystone/access';
import { AuditHttpModule } from '@keystone/audit';
import { CasesModule } from '@keystone/cases';
import { tokenSettings, type KeystoneConfig } from '@keystone/config';
import { CLOCK, systemClock, type Clock, type EventStore } from '@keystone/event-store';
import { EventStoreModule } from '@keystone/event-store/adapters';
import { PeopleModule, PeopleService } from '@keystone/people';
import { PlatformModule } from '@keystone/platform';
import { ProjectionsModule } from '@keystone/projections';
import { ReactionsModule } from '@keystone/reactions';
import { FileKeyWrapper, RosterModule } from '@keystone/roster';
import { TrustFundModule } from '@keystone/trust-fund';
import { KEYSTONE_CONFIG } from './config.token';
import { RateLimitStorage } from './http/rate-limit';
import { HealthHttpController } from './health/health.http.controller';
import { ReferenceHttpController } from './http/reference.http.controller';
import { RedisProbe } from './health/redis.probe';
import { KeystoneErrorFilter } from './http/error.filter';

export interface AppOptions {
  readonly clock?: Clock;
  /**
   * An event store built by the caller instead of from config.store (closed with the app): for an
   * adapter on a client the caller holds, as the tests do with the KurrentDB adapter's stand-in.
   */
  readonly eventStore?: EventStore;
}

@Module({})
export class AppModule {
  static forRoot(config: KeystoneConfig, options: AppOptions = {}): DynamicModule {
    const clock = options.clock ?? systemClock;
    return {
      module: AppModule,
      global: true,
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule.forRoot(config.store, { clock: () => clock.now() }, options.eventStore),
        CasesModule,
        PlatformModule,
        RosterModule.forRoot(new FileKeyWrapper(config.keyEncryptionKeyFile)),
        TrustFundModule,
        PeopleModule.forRoot({
          oidc:
            config.auth.mode === 'oidc' && config.auth.browser
              ? {
                  issuer: config.auth.issuer,
                  ...config.auth.browser,
                  redirectUri: `${config.publicUrl}/auth/oidc/callback`,
                }
              : null,
        }),
        ProjectionsModule.forRoot({ run: config.roles.projections, http: true }),
        AuditHttpModule.forRoot({ evidenceKeyFile: config.evidenceKeyFile }),
        ReactionsModule.forConfig(config, true, (store, clock) => new PeopleService(store, clock)),
      ],
      controllers: [HealthHttpController, ReferenceHttpController],
      providers: [
        { provide: KEYSTONE_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        {
          provide: TOKEN_VERIFIER,
          useValue: new TokenVerifier(tokenSettings(config.auth), config.tokenPolicy),
        },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: KeystoneErrorFilter },
        RequestPrincipals,
        Idempotency,
        idempotencyStoreProvider,
        { provide: IDEMPOTENCY_LEASE_MS, useValue: config.http.idempotencyLeaseMs },
        RedisProbe,
        { provide: RateLimitStorage, useValue: new RateLimitStorage(config) },
      ],
      exports: [CLOCK],
    };
  }
}
