/**
 * The event store's core, the door the contexts use: the port, its errors, the decider shape, the one
 * command runner and fold, the hash chain, upcasting, time and the as-of replay. It loads no driver
 * and no Nest; the adapters are behind `@keystone/event-store/adapters`, for composition roots only.
 */
export * from './event-store.port';
export * from './errors';
export * from './canonical-json';
export * from './hash-chain';
export * from './prove-part';
export * from './upcasting';
export * from './time';
export * from './as-of';
export * from './tokens';
export { newEventId, newId } from './event-ids';
export { idempotencyScope, inIdempotencyScope, type IdempotencyScope } from './idempotency-scope';
export * from './decider/decider';
export * from './decider/fold';
export * from './decider/command-runner';
export { inPgTransaction, runSerializedDdl } from './postgres/serialized-ddl';
export * from './write-when-free';
export * from './poll-loop';
