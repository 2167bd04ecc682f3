import { DomainError, type ErrorKind } from '@keystone/event-store';

const err = (
  code: string,
  kind: ErrorKind,
  message: string,
  details: Record<string, unknown> = {},
) => new DomainError(code, kind, message, details);

/** The platform's refusals: each a stable code and a message saying what would be right. */
export const platformError = {
  invalid: (problem: string, details: Record<string, unknown> = {}) =>
    err('PLATFORM.INVALID_COMMAND', 'validation', problem, details),
  occurredInFuture: (occurredAt: string, now: string) =>
    err(
      'PLATFORM.OCCURRED_IN_FUTURE',
      'validation',
      `occurredAt ${occurredAt} is in the future (now ${now}); give the date the act took effect.`,
      { occurredAt, now },
    ),
  sessionNotFound: (sessionId: string) =>
    err('PLATFORM.SESSION_NOT_FOUND', 'not-found', `No platform session ${sessionId}.`, {
      sessionId,
    }),
  sessionExists: (sessionId: string) =>
    err('PLATFORM.SESSION_EXISTS', 'conflict', `Session ${sessionId} is already convened.`, {
      sessionId,
    }),
  wrongStatus: (action: string, status: string, needed: readonly string[]) =>
    err(
      'PLATFORM.SESSION_STATUS',
      'rule',
      `${action} needs the session ${needed.join(' or ')}; it is ${status}.`,
      { status, needed },
    ),
  notTaking: (sessionId: string, what: string, status: string) =>
    err(
      'PLATFORM.SESSION_NOT_TAKING',
      'rule',
      `Session ${sessionId} is ${status}: ${what} name a session while its registration is open or it is being held, before its outcome is published.`,
      { sessionId, status },
    ),
  outOfOrder: (act: string, at: string, before: string, beforeAt: string) =>
    err(
      'PLATFORM.OUT_OF_ORDER',
      'rule',
      `${act} (${at}) cannot take effect before ${before} (${beforeAt}).`,
      { occurredAt: at, [before.replace(/\W+/g, '_')]: beforeAt },
    ),
  alreadyPresenting: (state: string, kind: string) =>
    err(
      'PLATFORM.ALREADY_PRESENTING',
      'conflict',
      `${state} already has a ${kind} at this session; one ${kind} per State and session.`,
      { state, kind },
    ),
  unknownState: (state: string) =>
    err('PLATFORM.UNKNOWN_STATE', 'validation', `${state} is not a UN member State (ISO3).`, {
      state,
    }),
  caseNotOfState: (caseId: string, state: string, caseState: string | null) =>
    err(
      'PLATFORM.CASE_NOT_OF_STATE',
      'rule',
      caseState
        ? `Case ${caseId} is ${caseState}'s request; ${state} presents its own cases only.`
        : `No case ${caseId}.`,
      { caseId, state, caseState },
    ),
  nothingToReportBack: (caseId: string, sessionStart: string) =>
    err(
      'PLATFORM.NOTHING_TO_REPORT_BACK',
      'rule',
      `Case ${caseId} had no expert deployed before the session began (${sessionStart}); a report-back is on support received.`,
      { caseId, sessionStart },
    ),
  providerRegistered: (providerId: string) =>
    err(
      'PROVIDER.ALREADY_REGISTERED',
      'conflict',
      `Provider ${providerId} is registered already.`,
      {
        providerId,
      },
    ),
  providerNotRegistered: (providerId: string) =>
    err(
      'PROVIDER.NOT_REGISTERED',
      'rule',
      `No registered provider ${providerId}: an officer registers a provider (POST /providers) before it offers.`,
      { providerId },
    ),
  providerRetired: (providerId: string) =>
    err(
      'PROVIDER.RETIRED',
      'rule',
      `Provider ${providerId} has been retired from the registry; it no longer offers.`,
      { providerId },
    ),
  themeKnown: (text: string, slug: string, field: 'label' | 'synonyms' = 'label') =>
    err(
      'THEME.KNOWN',
      'conflict',
      `"${text}" already names the theme ${slug}; use it instead of proposing it.`,
      { text, theme: slug, field },
    ),
  themeUnknown: (text: string) =>
    err(
      'THEME.UNKNOWN',
      'validation',
      `"${text}" is not a theme of the vocabulary (GET /reference/themes lists them with their synonyms). A new theme is proposed (POST /themes/proposals) and accepted by a case officer before requests use it.`,
      { field: 'themes', theme: text },
    ),
  themeNotProposed: (slug: string) =>
    err('THEME.NOT_PROPOSED', 'not-found', `No theme ${slug} has been proposed.`, { theme: slug }),
  themeDecided: (slug: string, decision: string) =>
    err('THEME.ALREADY_DECIDED', 'conflict', `The proposal of ${slug} was ${decision} already.`, {
      theme: slug,
      decision,
    }),
};

export function required(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim().length === 0)
    throw platformError.invalid(`${field} must not be empty`, { field });
  return value.trim();
}

export function notInFuture(occurredAt: string, now: string): void {
  if (Date.parse(occurredAt) > Date.parse(now))
    throw platformError.occurredInFuture(occurredAt, now);
}
