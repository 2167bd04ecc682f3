import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { DomainError } from '@keystone/event-store';
import { bodyInspection } from './body-limits';

const MAX_PROBLEMS = 20;

/** Every input checked by class-validator: unknown fields, wrong types and missing ones, all listed at once. */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const all = errors.flatMap((error) => flatten(error, ''));
      // The first problems in full, then a count: a body of many wrong fields gets a short answer.
      const problems = all.slice(0, MAX_PROBLEMS);
      const more = all.length - problems.length;
      return new DomainError(
        'REQUEST.INVALID',
        'validation',
        `The request is not valid: ${problems.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`,
        more > 0 ? { problems, more } : { problems },
      );
    },
  });
}

function flatten(error: ValidationError, prefix: string): string[] {
  const path = prefix ? `${prefix}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((message) =>
    message.startsWith(error.property)
      ? `${prefix ? `${prefix}.` : ''}${message}`
      : `${path}: ${message}`,
  );
  return [...own, ...(error.children ?? []).flatMap((child) => flatten(child, path))];
}

/** JSON bodies up to a limit; a malformed or oversized body is a 400 in Keystone's error shape. */
export function jsonBodies(maxBytes: number) {
  const parse = json({ limit: maxBytes });
  return [
    parse,
    bodyInspection(),
    (
      error: { type?: string; status?: number; message?: string },
      _req: Request,
      res: Response,
      next: NextFunction,
    ) => {
      if (error?.type === 'entity.parse.failed') {
        res.status(400).json({
          code: 'REQUEST.MALFORMED_JSON',
          message: `The body is not valid JSON: ${error.message}.`,
          details: {},
        });
      } else if (error?.type === 'entity.too.large') {
        res.status(400).json({
          code: 'REQUEST.TOO_LARGE',
          message: `The body is larger than the ${maxBytes} bytes Keystone reads.`,
          details: { maxBytes },
        });
      } else if (error?.status === 400 || error?.status === 415) {
        res.status(400).json({
          code: 'REQUEST.UNREADABLE',
          message: error.message ?? 'The body could not be read.',
          details: {},
        });
      } else {
        next(error);
      }
    },
  ];
}
