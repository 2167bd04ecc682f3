export * from './principal';
export * from './tokens';
export * from './policy';
export * from './nest/access.guard';
export * from './nest/command-context';
export * from './nest/idempotency';
export * from './http/time-fields';
