import { routeRules } from '@keystone/access';

/** The roster's policy: officers keep the roster; officers and auditors read it (personal data included). */
export const ROSTER_ROUTES = routeRules({
  RegisterExpert: ['case-officer'],
  SetAvailability: ['case-officer'],
  EraseExpert: ['case-officer'],
  ReadExpert: ['case-officer', 'auditor'],
});
