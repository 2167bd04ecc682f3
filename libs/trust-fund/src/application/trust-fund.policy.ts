import { routeRules } from '@keystone/access';

/** The trust fund's policy: officers record the money coming in and going out; auditors read it. */
export const FUND_ROUTES = routeRules({
  ReceiveContribution: ['case-officer'],
  DisburseFunds: ['case-officer'],
  ReleaseCommitment: ['case-officer'],
  ReadFund: ['case-officer', 'auditor'],
});
