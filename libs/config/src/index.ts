export * from './keystone-config';
export * from './token-settings';
