import type { DomainError } from '@keystone/event-store';
import { accessError, type Principal, type Role } from './principal';

/**
 * What a context's policy answers about one caller and one action: allowed, or refused with the
 * typed error that says why (its stable code goes to the HTTP answer, and to the allowed-actions
 * list). Each bounded context has one policy; the route guard, the command runner's guard, the read
 * side's row scoping and GET …/allowed-actions all ask it.
 */
export type Decision =
  { readonly allowed: true } | { readonly allowed: false; readonly error: DomainError };

export const ALLOWED: Decision = { allowed: true };

export const refuse = (error: DomainError): Decision => ({ allowed: false, error });

/** Throws the refusal, if it is one. */
export function enforce(decision: Decision): void {
  if (!decision.allowed) throw decision.error;
}

/** What a route declares to the guard: the roles that may call it at all (scope comes later). */
export interface RouteRule {
  readonly name: string;
  readonly roles: readonly Role[];
}

/** The role half of every policy: is this caller's role among those the action is for? */
export function roleDecision(principal: Principal, rule: RouteRule): Decision {
  if (rule.roles.includes(principal.role)) return ALLOWED;
  return refuse(
    accessError.forbidden(
      `A ${principal.role} may not ${rule.name}; this is for: ${rule.roles.join(', ') || 'Keystone itself'}.`,
      { role: principal.role, action: rule.name },
    ),
  );
}

/** Builds a context's route rules from its table, naming each action for the messages. */
export function routeRules<A extends string>(
  table: Readonly<Record<A, readonly Role[]>>,
  describe: (action: A) => string = inWords,
): Readonly<Record<A, RouteRule>> {
  return Object.fromEntries(
    (Object.keys(table) as A[]).map((action) => [
      action,
      { name: describe(action), roles: table[action] },
    ]),
  ) as Record<A, RouteRule>;
}

/** `ConfirmConsent` → "confirm consent". */
function inWords(action: string): string {
  return action.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
