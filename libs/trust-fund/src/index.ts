export * from './domain/trust-fund.decider';
