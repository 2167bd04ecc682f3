export * from './domain/expert.events';
export * from './domain/expert.decider';
export * from './application/personal-data';
export * from './application/expert-reader';
export * from './infrastructure/expert-key-stores';
export * from './api/experts.http.controller';
export * from './roster.module';
export * from './application/roster.commands';
