export * from './follow-up.plan';
export * from './follow-up.reactor';
export * from './follow-up.processor';
export * from './notifications';
export * from './nest/reactions.module';
export * from './api/notifications.http.controller';
export * from './webhook';
