export const READ_MODEL_DB = Symbol('READ_MODEL_DB');
export const PROJECTION_LOOP = Symbol('PROJECTION_LOOP');
