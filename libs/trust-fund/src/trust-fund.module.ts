import { Module } from '@nestjs/common';
import { TrustFundHttpController } from './api/trust-fund.http.controller';

@Module({ controllers: [TrustFundHttpController] })
export class TrustFundModule {}
