import { ROLES, routeRules } from '@keystone/access';

/** The people context's policy: administrators manage people; everyone signed in reads themself. */
export const PEOPLE_ROUTES = routeRules({
  InvitePerson: ['admin'],
  ReadPeople: ['admin'],
  GrantRole: ['admin'],
  RevokeAccess: ['admin'],
  ReadMe: ROLES,
  // Who did what in a case's history is shown by name to everyone who may read that history.
  ReadDirectory: ROLES,
});
