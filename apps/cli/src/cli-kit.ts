import { readFileSync } from 'node:fs';
import { Keyring } from '@keystone/audit';
import type { KeystoneConfig } from '@keystone/config';
import { INSTANT_FORMAT, parseInstantOrDate, type EventStore } from '@keystone/event-store';

/** A wrong call of the CLI: exit 2 with the reason. */
export class UsageError extends Error {}

export type Values = Record<string, string | boolean | undefined>;

export interface CommandContext {
  readonly config: KeystoneConfig;
  readonly positionals: readonly string[];
  readonly values: Values;
  readonly json: boolean;
  /** Opens the configured log (once); closed by main. */
  store(): Promise<EventStore>;
}

export type Command = (context: CommandContext) => Promise<number>;

export function print<T>(json: boolean, value: T, text: (value: T) => string): number {
  console.log(json ? JSON.stringify(value, null, 2) : text(value));
  return 0;
}

let lastProgress = 0;

/** A progress line on stderr, at most five times a second. */
export function progress(json: boolean, line: string): void {
  if (json || Date.now() - lastProgress < 200) return;
  lastProgress = Date.now();
  process.stderr.write(`\r${line}`);
}

export function bar(at: number, target: number, width = 30): string {
  const done = target === 0 ? width : Math.min(width, Math.round((at / target) * width));
  return `[${'#'.repeat(done)}${'.'.repeat(width - done)}]`;
}

export const rate = (items: number, since: number): number =>
  Math.round(items / Math.max((Date.now() - since) / 1000, 0.001));

export function option(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredOption(values: Values, name: string, why: string): string {
  const value = option(values, name);
  if (!value) throw new UsageError(`--${name} is required: ${why}`);
  return value;
}

/** A time option, through the one time module: an instant with its offset, or a calendar date (UTC). */
export function isoDate(value: string, name: string): string {
  const parsed = parseInstantOrDate(value);
  if (parsed === null)
    throw new UsageError(
      `--${name} must be ${INSTANT_FORMAT}, or a calendar date such as 2025-12-31 (its start, UTC); got "${value}"`,
    );
  return parsed;
}

export function yearOption(values: Values, required: boolean): number | undefined {
  const raw = option(values, 'year');
  if (raw === undefined) {
    if (required) throw new UsageError('--year is required, e.g. --year 2026');
    return undefined;
  }
  const year = Number(raw);
  if (!Number.isInteger(year) || year < 2000 || year > 2200)
    throw new UsageError(`--year must be a year, got "${raw}"`);
  return year;
}

/** The keys the auditor trusts: `--public-key FILE` and/or `--keyring FILE` (PEM public keys). */
export function trustedKeys(values: Values): Keyring | null {
  const files = [option(values, 'public-key'), option(values, 'keyring')].filter(
    (file): file is string => file !== undefined,
  );
  if (files.length === 0) return null;
  try {
    return Keyring.of(files.map((file) => readFileSync(file, 'utf8')));
  } catch (error) {
    throw new UsageError(
      `cannot read the trusted keys in ${files.join(' and ')}: ${(error as Error).message}`,
    );
  }
}

/** A file the auditor names, read (only), or a usage error naming it. */
export function readInput(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
}
