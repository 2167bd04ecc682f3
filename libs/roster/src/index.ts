export * from './domain/expert.events';
export * from './domain/expert.decider';
