import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, EventStoreError, type ErrorKind } from '@keystone/event-store';

export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details: Record<string, unknown>;
}

const STATUS_OF_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  stale: 412,
  rule: 422,
};

const STATUS_OF_STORE_CODE: Record<string, number> = {
  'EVENT_STORE.WRONG_EXPECTED_VERSION': 409,
  'EVENT_STORE.EVENT_ID_CONFLICT': 409,
  'EVENT_STORE.INVALID_ARGUMENT': 400,
  'EVENT_STORE.UNAVAILABLE': 503,
};

/** The one place errors become HTTP: one shape, { code, message, details }, with stable codes. */
/** Nest's own refusals (a pipe, an unknown route) in Keystone's codes: letters, never bare numbers. */
const HTTP_CODES: Record<number, string> = {
  400: 'REQUEST.INVALID',
  404: 'REQUEST.NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
};

export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof DomainError) {
    return {
      status: STATUS_OF_KIND[error.kind],
      body: { code: error.code, message: error.message, details: error.details },
    };
  }
  if (error instanceof EventStoreError) {
    const status = STATUS_OF_STORE_CODE[error.code] ?? 500;
    const message =
      status === 409
        ? `${error.message} Another change landed first; read the case again.`
        : error.message;
    return { status, body: { code: error.code, message, details: error.details } };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = HTTP_CODES[status] ?? 'REQUEST.REFUSED';
    return { status, body: { code, message: error.message, details: {} } };
  }
  return {
    status: 500,
    body: {
      code: 'INTERNAL',
      message:
        'Keystone failed unexpectedly; nothing of this request was written. The error is logged.',
      details: {},
    },
  };
}

@Catch()
export class KeystoneErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Keystone');

  catch(error: unknown, host: ArgumentsHost): void {
    const { status, body } = toHttpError(error);
    if (status >= 500)
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    host.switchToHttp().getResponse<Response>().status(status).type('application/json').json(body); // even on an HTML route
  }
}
