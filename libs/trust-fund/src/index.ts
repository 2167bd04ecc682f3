export * from './domain/trust-fund.decider';
export * from './application/execute-fund-command';
export * from './application/trust-fund.policy';
export * from './api/trust-fund.dtos';
export * from './api/trust-fund.http.controller';
export * from './trust-fund.module';
