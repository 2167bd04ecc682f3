/** Injection token of the KeystoneConfig the process booted with. */
export const KEYSTONE_CONFIG = Symbol('KEYSTONE_CONFIG');
