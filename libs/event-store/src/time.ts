/**
 * Time, once: the clock the application reads, and the one parser of the instants people send
 * (`occurredAt`, `asOf`, `asOfEffective`, `--from/--to`). An instant is ISO 8601 with an explicit
 * offset, so "12:00+05:00" and "07:00Z" are the same moment and compare as such; anything looser
 * (basic format, week dates, decimal commas, no offset) is refused rather than guessed at.
 */

/** Time as the application sees it; tests and the reactors move it instead of waiting. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };

/** What every refusal of a time names, so people learn the one accepted form. */
export const INSTANT_FORMAT =
  'an ISO 8601 date-time with an offset, e.g. 2026-03-01T09:30:00Z or 2026-03-01T14:30:00+05:00';
export const DATE_FORMAT = 'an ISO 8601 calendar date, e.g. 2026-03-01';

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant as a canonical UTC string (`toISOString`), or null if it is not a valid instant. */
export function parseInstant(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = INSTANT.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '00', , offset, oh, om] = m;
  if (!validDate(+y, +mo, +d) || +h > 23 || +mi > 59 || +s > 59) return null;
  if (offset !== 'Z' && (+oh > 23 || +om > 59)) return null;
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? null : new Date(millis).toISOString();
}

/** A calendar date (no time, no offset) as midnight UTC of that day, or null. */
export function parseDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = DATE.exec(value);
  if (!m || !validDate(+m[1], +m[2], +m[3])) return null;
  return `${value}T00:00:00.000Z`;
}

/** An instant, or a calendar date taken as that day's start in UTC: what the CLI's options accept. */
export function parseInstantOrDate(value: unknown): string | null {
  return parseInstant(value) ?? parseDate(value);
}

/** Compares two instants as instants (milliseconds), whatever offsets they were written with. */
export function compareInstants(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b);
}

function validDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
