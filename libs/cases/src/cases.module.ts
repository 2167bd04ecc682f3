import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CasesHttpController } from './api/cases.http.controller';
import { CaseReader } from './application/case-reader';
import { DeployExpertHandler } from './application/deploy-expert';
import { ExecuteCaseCommandHandler } from './application/execute-case-command';

@Module({
  imports: [CqrsModule],
  controllers: [CasesHttpController],
  providers: [ExecuteCaseCommandHandler, DeployExpertHandler, CaseReader],
  exports: [CaseReader],
})
export class CasesModule {}
