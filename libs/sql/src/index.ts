export * from './sql-database';
export { sqlBesideLog, sqlDatabaseFor } from './sql-database.for-store';
