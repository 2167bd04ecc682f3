export * from './domain/trust-fund.decider';
export * from './api/trust-fund.http.controller';
export * from './trust-fund.module';
export * from './application/execute-fund-command';
