export * from './principal';
export * from './tokens';
export * from './case-access';
export * from './nest/access.guard';
export * from './nest/command-context';
export * from './nest/idempotency';
export * from './http/time-fields';
