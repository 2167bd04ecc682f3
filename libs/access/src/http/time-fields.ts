import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, ValidateBy, type ValidationOptions } from 'class-validator';
import {
  DATE_FORMAT,
  INSTANT_FORMAT,
  parseInstant,
  parseInstantOrDate,
} from '@keystone/event-store';

interface TimeFieldOptions {
  readonly description: string;
  readonly required?: boolean;
  readonly example?: string;
}

/**
 * A moment in a body or a query (`occurredAt`, `asOf`, `asOfEffective`): ISO 8601 with an explicit
 * offset, parsed by the one time module and handed on in canonical UTC form, so `…+05:00` and the
 * same instant in `Z` mean the same everywhere. Anything else is a 400 naming the accepted format.
 */
export const InstantField = (options: TimeFieldOptions) =>
  timeField(options, parseInstant, INSTANT_FORMAT, 'date-time', '2026-03-01T09:30:00Z');

/** A day (a deployment's start, an availability period): a calendar date, or an instant as above. */
export const DayField = (options: TimeFieldOptions) =>
  timeField(
    options,
    parseInstantOrDate,
    `${DATE_FORMAT}, or ${INSTANT_FORMAT}`,
    'date',
    '2026-03-01',
  );

function timeField(
  options: TimeFieldOptions,
  parse: (value: unknown) => string | null,
  accepted: string,
  format: string,
  example: string,
) {
  const doc = { description: `${options.description} Format: ${accepted}.`, format, example };
  return applyDecorators(
    ...(options.required ? [ApiProperty(doc)] : [ApiPropertyOptional(doc), IsOptional()]),
    // Canonical when valid; left as sent otherwise, so the check below names what was wrong.
    Transform(({ value }) => parse(value) ?? value),
    isTime(parse, accepted),
  );
}

function isTime(parse: (value: unknown) => string | null, accepted: string, v?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isKeystoneTime',
      validator: {
        validate: (value) => parse(value) !== null,
        defaultMessage: (args) =>
          `${args?.property} must be ${accepted}; got ${shown(args?.value)}`,
      },
    },
    v,
  );
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : typeof value;
  return text.length > 60 ? `${text.slice(0, 57)}…"` : text;
}
