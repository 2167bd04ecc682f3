export * from './verify-log';
export * from './evidence-bundle';
export * from './signing-key';
export * from './panel-report';
export * from './panel-from-log';
export * from './api/panel-report.http.controller';
export * from './checkpoint';
export * from './trusted-keys';
