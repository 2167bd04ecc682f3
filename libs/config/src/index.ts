export * from './keystone-config';
