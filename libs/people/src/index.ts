export * from './domain/person.decider';
export * from './application/people.service';
export * from './application/people.policy';
export { AccountBook } from './infrastructure/account-book';
export { PeopleModule } from './people.module';
export * from './application/oidc-sign-in';
