import { DomainError, type CommandOutcome } from '@keystone/event-store';

/** If-Match: "3" (or 3, or W/"3") → 3; absent → undefined; anything else is a 400 that says so. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) {
    throw new DomainError(
      'REQUEST.INVALID_IF_MATCH',
      'validation',
      `If-Match must be the ETag of GET /cases/{id}, e.g. "3"; got ${header}.`,
    );
  }
  return Number(match[1]);
}

export const etagOf = (version: number): string => `"${version}"`;

/** What every command answers: where the case now stands and the log position written (read-your-writes). */
export function commandResponse(
  caseId: string,
  outcome: CommandOutcome,
): { caseId: string; version: number; position: number } {
  return { caseId, version: outcome.steps[0].version, position: outcome.position };
}
