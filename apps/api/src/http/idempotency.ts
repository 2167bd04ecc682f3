import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  Idempotency,
  RequestPrincipals,
  type KeyedOutcome,
  type Principal,
} from '@keystone/access';
import { inIdempotencyScope } from '@keystone/event-store';
import { sendError } from './error.filter';

/**
 * Idempotency-Key on a POST, at the HTTP edge: a keyed request from a signed-in caller is admitted
 * (libs/access's Idempotency: replayed, refused, or served once in its key's scope) before routing,
 * and its answer is stored under the key before it leaves. A request without a key passes straight
 * through: as a Nest interceptor, the same rules cost every request Nest's interceptor pipeline
 * (about a fifth of the API's CPU per command in the HTTP benchmark). A caller who cannot be
 * resolved passes through too: the guard refuses it, with its own reason, and no key is touched.
 */
export function idempotentPosts(
  idempotency: Idempotency,
  principals: RequestPrincipals,
): RequestHandler {
  async function admit(key: string, request: Request, response: Response, next: NextFunction) {
    let principal: Principal;
    try {
      principal = await principals.of(request);
    } catch {
      return next();
    }
    const admission = await idempotency.admit({
      principal,
      key,
      method: request.method,
      url: request.originalUrl,
      body: request.body,
    });
    if (admission.kind === 'replay') {
      response.setHeader('Idempotent-Replayed', 'true');
      if (admission.etag) response.setHeader('ETag', admission.etag);
      response.status(admission.status).type('application/json').send(admission.body);
      return;
    }
    storeBeforeAnswering(response, admission.finish, (error) =>
      sendError(request, response, error),
    );
    inIdempotencyScope(admission.scope, () => next());
  }
  return (request, response, next) => {
    const key = request.header('idempotency-key');
    if (request.method !== 'POST' || key === undefined) return next();
    admit(key, request, response, next).catch((error) => sendError(request, response, error));
  };
}

/**
 * Holds the answer back until it is stored under the key (a refusal, 400 and above, frees the key
 * instead), so a client that has its answer finds it stored when it sends the key again. If storing
 * fails, the client gets that failure instead of the answer, as it would for any write that failed.
 */
function storeBeforeAnswering(
  response: Response,
  finish: (outcome: KeyedOutcome | null) => Promise<void>,
  failed: (error: unknown) => void,
): void {
  const chunks: Buffer[] = [];
  const collect = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === 'string')
      chunks.push(
        Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'),
      );
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  const write = response.write;
  const end = response.end;
  response.write = function (this: Response, chunk: unknown, ...rest: unknown[]) {
    collect(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as Response['write'];
  response.end = function (this: Response, ...args: unknown[]) {
    response.write = write;
    response.end = end; // the failure's answer, if any, goes straight out
    if (typeof args[0] !== 'function') collect(args[0], args[1]);
    const status = response.statusCode;
    const etag = response.getHeader('etag');
    const outcome =
      status < 400
        ? {
            status,
            body: Buffer.concat(chunks).toString('utf8'),
            etag: typeof etag === 'string' ? etag : null,
          }
        : null;
    finish(outcome).then(
      () => (end as (...a: unknown[]) => Response).apply(response, args),
      (error: unknown) => (response.headersSent ? response.destroy() : failed(error)),
    );
    return response;
  } as Response['end'];
}
