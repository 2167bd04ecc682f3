export * from './follow-up.plan';
export * from './follow-up.reactor';
export * from './follow-up.processor';
export * from './notifications';
