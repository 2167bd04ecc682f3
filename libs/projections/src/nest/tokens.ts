export const PROJECTION_LOOP = Symbol('PROJECTION_LOOP');
