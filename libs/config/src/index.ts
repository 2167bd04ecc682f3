export * from './keystone-config';
export * from './token-settings';
export * from './start-failure';
