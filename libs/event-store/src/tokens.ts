/** Injection token of the one EventStore a process uses (a plain symbol: the core loads no Nest). */
export const EVENT_STORE = Symbol('EVENT_STORE');
