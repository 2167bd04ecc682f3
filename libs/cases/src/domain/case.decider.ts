import type { Decider } from '@keystone/event-store';
import type { CaseCommand } from './case.commands';
import type { CaseEvent } from './case.events';
import { decideCase } from './case.decide';
import { evolveCase, initialCaseState, type CaseState } from './case.state';

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = {
  initialState: initialCaseState,
  evolve: evolveCase,
  decide: decideCase,
};
