export * from './sql-database';
export { sqlBesideLog, sqlDatabaseFor } from './sql-database.for-store';
export { Checkpoint } from './checkpoint';

/** Injection token of the SQL beside the log that read models, checkpoints and the inbox share. */
export const READ_MODEL_DB = Symbol('READ_MODEL_DB');
