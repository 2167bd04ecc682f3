import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CASE_PLATFORM } from '@keystone/cases';
import { PlatformHttpController } from './api/platform.http.controller';
import {
  ExecuteRegistryCommandHandler,
  ExecuteSessionCommandHandler,
  ExecuteThemeCommandHandler,
  PlatformDirectory,
} from './application/platform.commands';

/** The voluntary platform: sessions, the provider registry, new themes; it answers the cases' port. */
@Global()
@Module({
  imports: [CqrsModule],
  controllers: [PlatformHttpController],
  providers: [
    ExecuteSessionCommandHandler,
    ExecuteRegistryCommandHandler,
    ExecuteThemeCommandHandler,
    PlatformDirectory,
    { provide: CASE_PLATFORM, useExisting: PlatformDirectory },
  ],
  exports: [PlatformDirectory, CASE_PLATFORM],
})
export class PlatformModule {}
