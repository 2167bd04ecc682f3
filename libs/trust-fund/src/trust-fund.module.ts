import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TrustFundHttpController } from './api/trust-fund.http.controller';
import { ExecuteFundCommandHandler } from './application/execute-fund-command';

@Module({
  imports: [CqrsModule],
  controllers: [TrustFundHttpController],
  providers: [ExecuteFundCommandHandler],
})
export class TrustFundModule {}
