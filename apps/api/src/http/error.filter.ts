import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { Request } from 'express';
import {
  DomainError,
  EventStoreError,
  storageFailure,
  type ErrorKind,
  type EventStoreUnavailable,
} from '@keystone/event-store';

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
};

/** Seconds a client should wait before retrying a 503. */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/** The one place errors become HTTP: one shape, { code, message, details }, with stable codes. */
/** Nest's own refusals (a pipe, an unknown route) in Keystone's codes: letters, never bare numbers. */
const HTTP_CODES: Record<number, string> = {
  400: 'REQUEST.INVALID',
  404: 'REQUEST.NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
};

/**
 * What a 503 says, truthfully: "nothing was written" only when the database rolled the write back;
 * when the connection went away with a change in flight, that its outcome is unknown and how to
 * learn it (the same Idempotency-Key); a read only that it can be retried.
 */
function storageMessage(failure: EventStoreUnavailable, writeRequest: boolean): string {
  if (failure.code === 'STORAGE.FULL')
    return "Keystone's storage is full: nothing of this request was written. An administrator must free space; then retry.";
  if (!writeRequest)
    return `Keystone's storage cannot be reached or did not answer in time; retry in ${STORAGE_RETRY_AFTER_SECONDS} seconds.`;
  if (failure.outcome === 'not-written')
    return `Keystone's storage cannot be reached or did not answer in time: nothing of this request was written. Retry in ${STORAGE_RETRY_AFTER_SECONDS} seconds.`;
  return "Keystone's storage stopped answering while this request was being served: whether its change was recorded is unknown. Retry it with the same Idempotency-Key: the retry answers the first outcome, or makes the change once.";
}

function isUnavailable(error: EventStoreError): error is EventStoreUnavailable {
  return error.code === 'STORAGE.UNAVAILABLE' || error.code === 'STORAGE.FULL';
}

export function toHttpError(
  error: unknown,
  writeRequest = true,
): { status: number; body: ErrorBody } {
  const known =
    error instanceof DomainError ||
    (error instanceof EventStoreError && !isUnavailable(error)) ||
    error instanceof HttpException;
  const failure = known ? null : storageFailure(error);
  if (failure) {
    const outcome = writeRequest ? (failure.outcome ?? 'unknown') : undefined;
    return {
      status: 503,
      body: {
        code: failure.code,
        message: storageMessage(failure, writeRequest),
        details: {
          ...(outcome ? { outcome } : {}),
          retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS,
        },
      },
    };
  }
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
        'Keystone failed unexpectedly; the error is logged. If this request makes a change, retry it with the same Idempotency-Key: the retry answers the first outcome, or makes the change once.',
      details: {},
    },
  };
}

const logger = new Logger('Keystone');

/**
 * Answers an error in the one shape, with Retry-After when it says when to retry (storage down,
 * a keyed request still being served). The filter below, and the HTTP edge's own middleware.
 */
export function sendError(request: Request, response: Response, error: unknown): void {
  const method = request.method;
  const { status, body } = toHttpError(error, method !== 'GET' && method !== 'HEAD');
  if (status === 503)
    logger.warn(`storage: ${error instanceof Error ? error.message : String(error)}`);
  else if (status >= 500)
    logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  const retryAfter = body.details.retryAfterSeconds;
  if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
  response.status(status).type('application/json').json(body); // even on an HTML route
}

@Catch()
export class KeystoneErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(http.getRequest<Request>(), http.getResponse<Response>(), error);
  }
}
