import type { CaseScope } from '@keystone/access';
import type { OpenCase } from '../domain/case.state';

export function scopeOf(state: OpenCase): CaseScope {
  return {
    state: state.state,
    region: state.region,
    openForOffers: !state.closed && state.screening !== 'declined',
  };
}
