import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { KeystoneConfig } from '@keystone/config';
import { EventStoreModule } from '@keystone/event-store';
import { KEYSTONE_CONFIG } from './config.token';
import { HealthHttpController } from './health/health.http.controller';
import { RedisProbe } from './health/redis.probe';

@Module({})
export class AppModule {
  static forRoot(config: KeystoneConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), EventStoreModule.forRoot(config.store)],
      controllers: [HealthHttpController],
      providers: [{ provide: KEYSTONE_CONFIG, useValue: config }, RedisProbe],
    };
  }
}
