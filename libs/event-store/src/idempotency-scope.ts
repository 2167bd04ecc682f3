import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/**
 * A request made with an Idempotency-Key runs in a scope: the ids it names (a case, an offer) are
 * derived from the key, not drawn at random, and each command it runs leaves a receipt written in
 * the same transaction as its events. So a retry after any crash either finds the receipt (the
 * change was made: it answers the same ids and versions, writing nothing) or finds nothing (it was
 * not: it makes the change once). See libs/access's Idempotency and runCommand.
 */
export interface IdempotencyScope {
  readonly owner: string;
  readonly key: string;
  readonly requestHash: string;
  /** Ids named so far (newId), commands run so far (runCommand): what the next ones derive from. */
  ids: number;
  commands: number;
}

const storage = new AsyncLocalStorage<IdempotencyScope>();

export function inIdempotencyScope<T>(
  scope: Pick<IdempotencyScope, 'owner' | 'key' | 'requestHash'>,
  work: () => T,
): T {
  return storage.run({ ...scope, ids: 0, commands: 0 }, work);
}

export function idempotencyScope(): IdempotencyScope | undefined {
  return storage.getStore();
}

/** The n-th id of a scope: a UUID (RFC 9562 version 8) from SHA-256 of the key and n. */
export function derivedId(scope: IdempotencyScope, n: number): string {
  const bytes = createHash('sha256')
    .update(`${scope.owner}\n${scope.key}\n${scope.requestHash}\n${n}`)
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
